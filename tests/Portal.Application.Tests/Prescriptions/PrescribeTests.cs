using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Live;
using Portal.Testing;

namespace Portal.Application.Tests.Prescriptions;

/// <summary>P4–P7, P6 (three choices, and the race for the last one), O4 (open sessions only), S12.</summary>
public sealed class PrescribeTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly LiveNotifier _notifier = new(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);

    public static PrescriptionForm Form => new()
    {
        PriorPath = "CAP cuisine, deux ans en restauration.",
        ProjectValidation = "Immersion de deux semaines (PMSMP).",
        CandidateAgreement = true,
        MaterialConditions = "Transports en commun.",
        Feasibility = "Réaliste.",
        RqthDeclared = false,
        CriteriaReviewed = true,
    };

    private Prescribe.Handler Handler(IAppDbContextFactory? factory = null) => new(factory ?? fixture.Database, _clock, _notifier);

    private async Task<Guid> NewCandidateAsync(CurrentUser prescriber) =>
        await new CreateCandidate.Handler(fixture.Database, _clock).HandleAsync(
            new CreateCandidate("Samia", "Test", new DateOnly(2001, 4, 2), "33063"), prescriber, Ct);

    /// <summary>Fresh open sessions of the tests' own (a validated fiche each, Julie's OF).</summary>
    private async Task<List<Guid>> OpenSessionsAsync(int count)
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
            ids.Add((await OfferBuilder.AddSessionAsync(fixture.Database, julie.OrganisationId, new DateOnly(2027, 2, 1), arrange: s => s.Publish(DemoDatabase.SeededAt))).Id);
        return ids;
    }

    private async Task<int> ActiveChoicesAsync(Guid candidate)
    {
        await using var db = fixture.Database.CreateDbContext();
        var active = PrescriptionLifecycle.Active;
        return await db.AllPrescriptions.CountAsync(p => p.CandidateId == candidate && active.Contains(p.Status), Ct);
    }

    [Fact]
    public async Task Prescribe_ThreeChoices_AreRanked1To3_AndAFourthIsRefusedInFrench_P6()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var candidate = await NewCandidateAsync(camille);
        var sessions = await OpenSessionsAsync(4);

        var ranks = new List<int>();
        foreach (var s in sessions.Take(3))
        {
            var id = await Handler().HandleAsync(new Prescribe(candidate, s, Form), camille, Ct);
            await using var db = fixture.Database.CreateDbContext();
            ranks.Add(await db.AllPrescriptions.Where(p => p.Id == id).Select(p => p.Rank).SingleAsync(Ct));
        }
        ranks.ShouldBe([1, 2, 3]);

        var ex = await Should.ThrowAsync<DomainException>(() => Handler().HandleAsync(new Prescribe(candidate, sessions[3], Form), camille, Ct));
        ex.Rule.ShouldBe("P6");
        ex.Message.ShouldContain("déjà trois choix");
        (await ActiveChoicesAsync(candidate)).ShouldBe(3);
    }

    [Fact]
    public async Task Prescribe_AfterACancellation_TheFreedRankIsReused_P6()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var candidate = await NewCandidateAsync(camille);
        var sessions = await OpenSessionsAsync(4);
        var first = await Handler().HandleAsync(new Prescribe(candidate, sessions[0], Form), camille, Ct);
        await Handler().HandleAsync(new Prescribe(candidate, sessions[1], Form), camille, Ct);
        await Handler().HandleAsync(new Prescribe(candidate, sessions[2], Form), camille, Ct);
        await new CancelPrescription.Handler(fixture.Database, _clock, _notifier).HandleAsync(new CancelPrescription(first, "Le candidat préfère une autre action."), camille, Ct);

        var again = await Handler().HandleAsync(new Prescribe(candidate, sessions[3], Form), camille, Ct);
        await using var db = fixture.Database.CreateDbContext();
        (await db.AllPrescriptions.Where(p => p.Id == again).Select(p => p.Rank).SingleAsync(Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task TwoPrescribers_RacingForTheThirdChoice_ExactlyOneWins_P6()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var sophie = await fixture.UserAsync(TestUsers.Sophie); // same organisation (référent)
        var candidate = await NewCandidateAsync(camille);
        var sessions = await OpenSessionsAsync(4);
        await Handler().HandleAsync(new Prescribe(candidate, sessions[0], Form), camille, Ct);
        await Handler().HandleAsync(new Prescribe(candidate, sessions[1], Form), camille, Ct);

        // Both read the candidate's two choices, then both try to save the third.
        var arrived = 0;
        var bothLoaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gated = new GatedDbContextFactory(fixture.Database, async () =>
        {
            if (Interlocked.Increment(ref arrived) == 2) bothLoaded.TrySetResult();
            await bothLoaded.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        });
        var racers = new[] { (camille, sessions[2]), (sophie, sessions[3]) }
            .Select(r => Task.Run(async () =>
            {
                try
                {
                    await Handler(gated).HandleAsync(new Prescribe(candidate, r.Item2, Form), r.Item1, Ct);
                    return (DomainException?)null;
                }
                catch (DomainException ex)
                {
                    return ex;
                }
            }, Ct))
            .ToList();
        var results = await Task.WhenAll(racers);

        results.Count(r => r is null).ShouldBe(1, "exactly one prescriber gets the third choice");
        var loser = results.Single(r => r is not null)!;
        loser.Rule.ShouldBe("P6");
        loser.Message.ShouldBe(Prescribe.RaceLostMessage);
        (await ActiveChoicesAsync(candidate)).ShouldBe(3);
    }

    [Fact]
    public async Task Prescribe_WithAMissingMandatoryField_NamesItInFrench_AndSavesNothing_P7()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var candidate = await NewCandidateAsync(camille);
        var session = (await OpenSessionsAsync(1))[0];
        var ex = await Should.ThrowAsync<DomainException>(() =>
            Handler().HandleAsync(new Prescribe(candidate, session, Form with { CandidateAgreement = false, Feasibility = " " }), camille, Ct));
        ex.Rule.ShouldBe("P7");
        ex.Message.ShouldContain("accord du candidat");
        ex.Message.ShouldContain("faisabilité");
        (await ActiveChoicesAsync(candidate)).ShouldBe(0);
    }

    [Fact]
    public async Task Prescribe_WithoutConfirmingTheCriteria_IsRefused_S12()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var candidate = await NewCandidateAsync(camille);
        var session = (await OpenSessionsAsync(1))[0];
        (await Should.ThrowAsync<DomainException>(() =>
            Handler().HandleAsync(new Prescribe(candidate, session, Form with { CriteriaReviewed = false }), camille, Ct))).Rule.ShouldBe("S12");
    }

    [Fact]
    public async Task Prescribe_OnAPlannedOrSuspendedSession_IsRefused_O4_O7()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var candidate = await NewCandidateAsync(camille);
        var planned = await OfferBuilder.AddSessionAsync(fixture.Database, julie.OrganisationId, new DateOnly(2027, 9, 1));
        var suspended = await OfferBuilder.AddSessionAsync(fixture.Database, julie.OrganisationId, new DateOnly(2027, 2, 1), capacity: 1,
            arrange: s => { s.Publish(DemoDatabase.SeededAt); s.Suspend(DemoDatabase.SeededAt, 5); });

        // A planned session is invisible to prescribers: not found.
        await Should.ThrowAsync<NotFoundException>(() => Handler().HandleAsync(new Prescribe(candidate, planned.Id, Form), camille, Ct));
        var ex = await Should.ThrowAsync<DomainException>(() => Handler().HandleAsync(new Prescribe(candidate, suspended.Id, Form), camille, Ct));
        ex.Message.ShouldContain("n'est pas ouverte");
    }

    [Fact]
    public async Task Prescribe_AnotherOrganisationsCandidate_IsNotFound()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var lucas = await fixture.UserAsync(TestUsers.Lucas);
        var candidate = await NewCandidateAsync(camille);
        var session = (await OpenSessionsAsync(1))[0];
        await Should.ThrowAsync<NotFoundException>(() => Handler().HandleAsync(new Prescribe(candidate, session, Form), lucas, Ct));
    }

    [Fact]
    public async Task Prescribe_TheSameSessionTwice_IsRefused_P6()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var candidate = await NewCandidateAsync(camille);
        var session = (await OpenSessionsAsync(1))[0];
        await Handler().HandleAsync(new Prescribe(candidate, session, Form), camille, Ct);
        (await Should.ThrowAsync<DomainException>(() => Handler().HandleAsync(new Prescribe(candidate, session, Form), camille, Ct))).Message.ShouldContain("déjà prescrit");
    }

    [Fact]
    public async Task Prescribe_ByAnOf_IsRefused()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var session = (await OpenSessionsAsync(1))[0];
        await Should.ThrowAsync<AccessDeniedException>(() => Handler().HandleAsync(new Prescribe(Guid.NewGuid(), session, Form), julie, Ct));
    }
}
