using Microsoft.EntityFrameworkCore;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Sessions;

/// <summary>The session's prescriptions in order of arrival (not the waiting list, whose one order is tested with the decisions, O9).</summary>
public sealed class GetSessionWaitlistTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GetSessionWaitlist.Handler Handler => new(fixture.Database);

    private async Task<Guid> JuliesOpenSessionAsync()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        await using var db = fixture.Database.CreateDbContext();
        // The demo's open session, whose candidates also chose other sessions (this class's fresh sessions have single-choice candidates).
        return await db.Sessions
            .Where(s => s.OrganisationId == julie.OrganisationId && s.Status == Domain.Offer.SessionStatus.Open)
            .Where(s => db.AllPrescriptions.Any(p => p.SessionId == s.Id && db.AllPrescriptions.Any(q => q.CandidateId == p.CandidateId && q.SessionId != s.Id)))
            .Select(s => s.Id).SingleAsync(Ct);
    }

    /// <summary>A fresh session of Julie's with <paramref name="count"/> prescriptions of Camille's, one minute apart (ids[0] first).</summary>
    private async Task<(Guid Session, List<Guid> Ids)> FreshSessionAsync(int count)
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DemoDatabase.SeededAt);
        using var recording = new RecordingPrescriptionChanges();
        var session = await OfferBuilder.AddSessionAsync(fixture.Database, julie.OrganisationId, new DateOnly(2027, 3, 1), capacity: 4,
            arrange: s => s.Publish(DemoDatabase.SeededAt));
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var candidate = await new Features.Candidates.CreateCandidate.Handler(fixture.Database, clock)
                .HandleAsync(new Features.Candidates.CreateCandidate($"Arrivée{i}", "Ordre", new DateOnly(1997, 2, 1 + i), "33063"), camille, Ct);
            ids.Add(await new Features.Prescriptions.Prescribe.Handler(fixture.Database, clock, recording.Notifier)
                .HandleAsync(new Features.Prescriptions.Prescribe(candidate, session.Id, PrescribeTests.Form), camille, Ct));
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        return (session.Id, ids);
    }

    [Fact]
    public async Task Entries_AreInOrderOfArrival_ActiveOnesNumbered_TheCancelledOneSkipped_O9_O7()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var (sessionId, ids) = await FreshSessionAsync(4);
        using (var recording = new RecordingPrescriptionChanges())
            await new Features.Prescriptions.CancelPrescription.Handler(fixture.Database, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DemoDatabase.SeededAt), recording.Notifier)
                .HandleAsync(new Features.Prescriptions.CancelPrescription(ids[1], "Erreur de session"), camille, Ct);

        var result = await Handler.HandleAsync(new GetSessionWaitlist(sessionId), julie, Ct);

        // Prescribed in the order 0, 1, 2, 3; the cancelled ids[1] keeps its line without a position.
        result.Entries.Select(e => e.PrescriptionId).ShouldBe([ids[0], ids[1], ids[2], ids[3]]);
        result.Entries.Select(e => e.Position).ShouldBe([1, null, 2, 3]);
        result.Held.ShouldBe(3);
        result.Total.ShouldBe(4);
    }

    [Fact]
    public async Task OtherChoices_OfEachCandidate_AreShown_WithoutThisSession_P6()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var sessionId = await JuliesOpenSessionAsync();
        var result = await Handler.HandleAsync(new GetSessionWaitlist(sessionId), julie, Ct);
        var withOthers = result.Entries.Where(e => e.OtherChoices.Count > 0).ToList();
        withOthers.ShouldNotBeEmpty();
        withOthers.SelectMany(e => e.OtherChoices).ShouldAllBe(o => o.Status.IsActive());
    }

    [Fact]
    public async Task AnotherTrainingBody_GetsNotFound_AndAPrescriberIsRefused()
    {
        var (sessionId, _) = await FreshSessionAsync(1);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        await Should.ThrowAsync<NotFoundException>(() => Handler.HandleAsync(new GetSessionWaitlist(sessionId), thomas, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Handler.HandleAsync(new GetSessionWaitlist(sessionId), camille, Ct));
    }

    [Fact]
    public async Task SevenPrescriptions_PageSizeThree_PositionsContinueAcrossPages_ThirdPageHoldsOne_TotalSeven_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var session = await OfferBuilder.AddSessionAsync(fixture.Database, julie.OrganisationId, new DateOnly(2027, 5, 3));
        // p1..p7 prescribed an hour apart on a new session of Julie's; p2 is cancelled (no position).
        var ids = new List<Guid>();
        await using (var db = fixture.Database.CreateDbContext())
        {
            for (var n = 1; n <= 7; n++)
            {
                var at = DemoDatabase.SeededAt.AddHours(n);
                var c = new Candidate(camille.OrganisationId, camille.UserId, "Candidat", $"Page{n}", new DateOnly(1990, 1, n), "33063", at);
                var p = new Prescription(c.Id, session.Id, julie.OrganisationId, camille.OrganisationId, camille.UserId, 1, PrescribeTests.Form, at);
                if (n == 2) p.Cancel(camille.UserId, at.AddMinutes(5), "Le candidat a trouvé un emploi.");
                db.AddRange(c, p);
                ids.Add(p.Id);
            }
            await db.SaveChangesAsync(Ct);
        }

        var pages = new List<GetSessionWaitlist.Result>();
        for (var skip = 0; skip < 9; skip += 3) pages.Add(await Handler.HandleAsync(new GetSessionWaitlist(session.Id, skip, 3), julie, Ct));

        pages[0].Entries.Select(e => (e.PrescriptionId, e.Position)).ShouldBe([(ids[0], (int?)1), (ids[1], null), (ids[2], 2)]);
        pages[1].Entries.Select(e => (e.PrescriptionId, e.Position)).ShouldBe([(ids[3], (int?)3), (ids[4], 4), (ids[5], 5)]);
        pages[2].Entries.Select(e => (e.PrescriptionId, e.Position)).ShouldBe([(ids[6], (int?)6)]);
        pages.ShouldAllBe(p => p.Total == 7 && p.Held == 6);
        pages[2].Entries.Single().CandidateName.ShouldBe("Candidat Page7");

        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        await Should.ThrowAsync<NotFoundException>(() => Handler.HandleAsync(new GetSessionWaitlist(session.Id, 0, 3), thomas, Ct));
    }
}
