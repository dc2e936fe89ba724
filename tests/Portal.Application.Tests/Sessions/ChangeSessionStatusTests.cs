using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Live;
using Portal.Testing;

namespace Portal.Application.Tests.Sessions;

/// <summary>O7: suspension and closure only with 5 × capacity prescriptions or after the registration deadline.</summary>
public sealed class ChangeSessionStatusTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static readonly DateOnly Start = new(2027, 2, 1);
    private static readonly DateOnly Deadline = new(2027, 1, 20);
    private readonly LiveNotifier _notifier = new(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);

    private ChangeSessionStatus.Handler Handler(DateTimeOffset now) => new(fixture.Database, new FakeTimeProvider(now), _notifier);

    private async Task<(CurrentUser Julie, TrainingSession Session)> OpenSessionAsync(int capacity = 2, int prescriptions = 0)
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var session = await OfferBuilder.AddSessionAsync(fixture.Database, julie.OrganisationId, Start, Deadline, capacity, s => s.Publish(DemoDatabase.SeededAt));
        await using var db = fixture.Database.CreateDbContext();
        var candidates = await db.AllCandidates.Select(c => c.Id).Take(prescriptions).ToListAsync(TestContext.Current.CancellationToken);
        candidates.Count.ShouldBe(prescriptions, "the demo has enough candidates");
        foreach (var candidate in candidates)
            db.AllPrescriptions.Add(new Prescription(candidate, session.Id, julie.OrganisationId, camille.OrganisationId, camille.UserId, 3, ValidForm, DemoDatabase.SeededAt));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (julie, session);
    }

    private static readonly PrescriptionForm ValidForm = new()
    {
        PriorPath = "CAP", ProjectValidation = "Immersion", CandidateAgreement = true, MaterialConditions = "Permis B",
        Feasibility = "Réaliste", RqthDeclared = false,
    };

    private async Task<SessionStatus> StatusAsync(Guid id)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Sessions.Where(s => s.Id == id).Select(s => s.Status).SingleAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Suspend_BeforeFiveTimesCapacityAndDeadline_IsRefusedWithTheCounts_O7()
    {
        var (julie, session) = await OpenSessionAsync(capacity: 2, prescriptions: 9);
        var ex = await Should.ThrowAsync<DomainException>(() =>
            Handler(OfferBuilder.NoonUtc(Deadline)).HandleAsync(new ChangeSessionStatus(session.Id, SessionAction.Suspend), julie, TestContext.Current.CancellationToken));
        ex.Rule.ShouldBe("O7");
        ex.Message.ShouldContain("9 prescriptions sur 10 requises (5 × 2 places)");
        (await StatusAsync(session.Id)).ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public async Task Suspend_AtFiveTimesCapacity_IsAllowed_AndReopenWorks_O7()
    {
        var (julie, session) = await OpenSessionAsync(capacity: 2, prescriptions: 10);
        await Handler(OfferBuilder.NoonUtc(Deadline)).HandleAsync(new ChangeSessionStatus(session.Id, SessionAction.Suspend), julie, TestContext.Current.CancellationToken);
        (await StatusAsync(session.Id)).ShouldBe(SessionStatus.Suspended);
        await Handler(OfferBuilder.NoonUtc(Deadline)).HandleAsync(new ChangeSessionStatus(session.Id, SessionAction.Reopen), julie, TestContext.Current.CancellationToken);
        (await StatusAsync(session.Id)).ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public async Task Suspend_OnceFiveTimesCapacityWasReached_StaysAllowed_AfterCancellationsAndWithdrawals_O7()
    {
        // Capacity 2: 10 prescriptions received ("a atteint" 5 × 2); 3 cancelled and 2 withdrawn since: 5 active, 10 received.
        var (julie, session) = await OpenSessionAsync(capacity: 2, prescriptions: 10);
        await using (var db = fixture.Database.CreateDbContext())
        {
            var prescriptions = await db.AllPrescriptions.Where(p => p.SessionId == session.Id).OrderBy(p => p.Id).ToListAsync(TestContext.Current.CancellationToken);
            foreach (var p in prescriptions.Take(3)) p.Cancel(julie.UserId, DemoDatabase.SeededAt.AddDays(1), "Doublon");
            foreach (var p in prescriptions.Skip(3).Take(2)) p.Withdraw(julie.UserId, DemoDatabase.SeededAt.AddDays(1));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await Handler(OfferBuilder.NoonUtc(Deadline)).HandleAsync(new ChangeSessionStatus(session.Id, SessionAction.Suspend), julie, TestContext.Current.CancellationToken);

        (await StatusAsync(session.Id)).ShouldBe(SessionStatus.Suspended);
    }

    [Fact]
    public async Task Close_TheDayAfterTheDeadline_IsAllowed_O7()
    {
        var (julie, session) = await OpenSessionAsync(capacity: 2, prescriptions: 1);
        await Handler(OfferBuilder.NoonUtc(Deadline.AddDays(1))).HandleAsync(new ChangeSessionStatus(session.Id, SessionAction.Close), julie, TestContext.Current.CancellationToken);
        (await StatusAsync(session.Id)).ShouldBe(SessionStatus.Closed);
    }

    [Fact]
    public async Task Close_OnTheDeadlineDay_WithFewPrescriptions_IsRefused_O7()
    {
        var (julie, session) = await OpenSessionAsync(capacity: 2, prescriptions: 1);
        (await Should.ThrowAsync<DomainException>(() =>
            Handler(OfferBuilder.NoonUtc(Deadline)).HandleAsync(new ChangeSessionStatus(session.Id, SessionAction.Close), julie, TestContext.Current.CancellationToken)))
            .Rule.ShouldBe("O7");
    }

    [Fact]
    public async Task Cancel_EndsTheActivePrescriptionsAsSessionCancelled_WithHistory_AndPublishesThem()
    {
        var (julie, session) = await OpenSessionAsync(capacity: 2, prescriptions: 3);
        var published = new List<PrescriptionStatusChanged>();
        using var subscription = _notifier.Subscribe<PrescriptionsChanged>(e => { published.AddRange(e.Changes); return Task.CompletedTask; });

        await Handler(OfferBuilder.NoonUtc(Deadline)).HandleAsync(new ChangeSessionStatus(session.Id, SessionAction.Cancel, "Formateur indisponible"), julie, TestContext.Current.CancellationToken);

        (await StatusAsync(session.Id)).ShouldBe(SessionStatus.Cancelled);
        await using var db = fixture.Database.CreateDbContext();
        var statuses = await db.AllPrescriptions.Where(p => p.SessionId == session.Id).Select(p => p.Status).ToListAsync(TestContext.Current.CancellationToken);
        statuses.ShouldAllBe(s => s == PrescriptionStatus.SessionCancelled);
        (await db.AllPrescriptionTransitions.CountAsync(t => t.To == PrescriptionStatus.SessionCancelled
            && db.AllPrescriptions.Any(p => p.Id == t.PrescriptionId && p.SessionId == session.Id), TestContext.Current.CancellationToken)).ShouldBe(3);
        await _notifier.DrainAsync();
        published.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Cancel_WithoutReason_IsRefused()
    {
        var (julie, session) = await OpenSessionAsync();
        await Should.ThrowAsync<DomainException>(() =>
            Handler(OfferBuilder.NoonUtc(Deadline)).HandleAsync(new ChangeSessionStatus(session.Id, SessionAction.Cancel, " "), julie, TestContext.Current.CancellationToken));
        (await StatusAsync(session.Id)).ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public async Task AnotherTrainingBody_GetsNotFound_AndAPrescriberIsRefused()
    {
        var (_, session) = await OpenSessionAsync(capacity: 1, prescriptions: 0);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var later = OfferBuilder.NoonUtc(Deadline.AddDays(1));
        await Should.ThrowAsync<NotFoundException>(() => Handler(later).HandleAsync(new ChangeSessionStatus(session.Id, SessionAction.Close), thomas, TestContext.Current.CancellationToken));
        await Should.ThrowAsync<AccessDeniedException>(() => Handler(later).HandleAsync(new ChangeSessionStatus(session.Id, SessionAction.Close), camille, TestContext.Current.CancellationToken));
        (await StatusAsync(session.Id)).ShouldBe(SessionStatus.Open);
    }
}

/// <summary>O7: the count the rule applies is the count the OF reads on "Mes sessions": every prescription ever received.</summary>
public sealed class SessionCountConsistencyTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    [Fact]
    public async Task RuleAndScreen_CountEveryPrescriptionReceived_FourOfFourWhenOneIsCancelled_O7()
    {
        var ct = TestContext.Current.CancellationToken;
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var clock = new FakeTimeProvider(DemoDatabase.SeededAt);
        using var recording = new RecordingPrescriptionChanges();
        var session = await OfferBuilder.AddSessionAsync(fixture.Database, julie.OrganisationId, new DateOnly(2027, 3, 8), capacity: 2,
            arrange: s => s.Publish(DemoDatabase.SeededAt));
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var candidate = await new Features.Candidates.CreateCandidate.Handler(fixture.Database, clock)
                .HandleAsync(new Features.Candidates.CreateCandidate($"Compte{i}", "Tenu", new DateOnly(1996, 3, 1 + i), "33063"), camille, ct);
            ids.Add(await new Features.Prescriptions.Prescribe.Handler(fixture.Database, clock, recording.Notifier)
                .HandleAsync(new Features.Prescriptions.Prescribe(candidate, session.Id, Prescriptions.PrescribeTests.Form), camille, ct));
        }
        await new Features.Prescriptions.CancelPrescription.Handler(fixture.Database, clock, recording.Notifier)
            .HandleAsync(new Features.Prescriptions.CancelPrescription(ids[0], "Doublon"), camille, ct);

        var rows = await new GetTrainingBodySessions.Handler(fixture.Database).HandleAsync(new GetTrainingBodySessions(), julie, ct);
        await using var db = fixture.Database.CreateDbContext();

        // O7 "a atteint": 4 prescribed, one cancelled since, still 4 received (ADR 0017).
        rows.Single(r => r.SessionId == session.Id).Prescriptions.ShouldBe(4);
        (await SessionCounts.ReceivedPrescriptionsAsync(db, session.Id, ct)).ShouldBe(4);
    }
}
