using Microsoft.EntityFrameworkCore;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Sessions;

/// <summary>O9: one common rule for the waiting list: the order of prescription.</summary>
public sealed class GetSessionWaitlistTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GetSessionWaitlist.Handler Handler => new(fixture.Database);

    private async Task<Guid> JuliesOpenSessionAsync()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        await using var db = fixture.Database.CreateDbContext();
        return await db.Sessions.Where(s => s.OrganisationId == julie.OrganisationId && s.Status == Domain.Offer.SessionStatus.Open).Select(s => s.Id).SingleAsync(Ct);
    }

    [Fact]
    public async Task Entries_AreInOrderOfPrescription_ActiveOnesNumbered_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var sessionId = await JuliesOpenSessionAsync();

        var result = await Handler.HandleAsync(new GetSessionWaitlist(sessionId), julie, Ct);

        await using var db = fixture.Database.CreateDbContext();
        var expected = await db.Prescriptions.Where(p => p.SessionId == sessionId).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Select(p => new { p.Id, p.Status }).ToListAsync(Ct);
        result.Entries.Select(e => e.PrescriptionId).ShouldBe(expected.Select(e => e.Id));
        var positions = result.Entries.Where(e => e.Position is not null).Select(e => e.Position!.Value).ToList();
        positions.ShouldBe(Enumerable.Range(1, positions.Count));
        result.Entries.Where(e => e.Position is null).ShouldAllBe(e => !e.Status.IsActive());
        // Held: the active ones, counted here from the statuses listed by hand (not through the production predicate).
        PrescriptionStatus[] activeByHand = [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Attended,
            PrescriptionStatus.AbsentJustified, PrescriptionStatus.AbsentUnjustified, PrescriptionStatus.Selected, PrescriptionStatus.Waitlisted];
        result.Held.ShouldBe(expected.Count(e => activeByHand.Contains(e.Status)));
        result.Total.ShouldBe(expected.Count);
        expected.ShouldContain(e => !e.Status.IsActive(), "the demo has inactive prescriptions on this session, so the numbering skips them");
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
        var sessionId = await JuliesOpenSessionAsync();
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
