using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.Home;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Live;
using Portal.Testing;

namespace Portal.Application.Tests.Home;

/// <summary>"Mes candidats": filters, paging in SQL, the last event and what needs the prescriber's action (S6, P8).</summary>
public sealed class PrescriberDashboardActionsTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);

    private GetPrescriberDashboard.Handler Handler => new(fixture.Database, _clock);

    [Fact]
    public async Task Paging_SkipAndTake_CoverEveryCandidateOnce_InNameOrder()
    {
        var sophie = await fixture.UserAsync(TestUsers.Sophie);
        var all = await Handler.HandleAsync(new GetPrescriberDashboard(true, Take: 500), sophie, Ct);
        var pages = new List<GetPrescriberDashboard.Row>();
        for (var skip = 0; skip < all.Total; skip += 3)
            pages.AddRange((await Handler.HandleAsync(new GetPrescriberDashboard(true, Take: 3, Skip: skip), sophie, Ct)).Rows);
        pages.Select(r => r.CandidateId).ShouldBe(all.Rows.Select(r => r.CandidateId));
        all.Total.ShouldBeGreaterThan(3);
    }

    [Fact]
    public async Task Filters_WithAndWithoutActiveChoice_SplitTheCandidates_P6()
    {
        var sophie = await fixture.UserAsync(TestUsers.Sophie);
        var all = await Handler.HandleAsync(new GetPrescriberDashboard(true), sophie, Ct);
        var with = await Handler.HandleAsync(new GetPrescriberDashboard(true, Filter: DashboardFilter.WithActiveChoice), sophie, Ct);
        var without = await Handler.HandleAsync(new GetPrescriberDashboard(true, Filter: DashboardFilter.WithoutChoice), sophie, Ct);
        (with.Total + without.Total).ShouldBe(all.Total);
        with.Rows.ShouldAllBe(r => r.ActiveChoices > 0);
        without.Rows.ShouldAllBe(r => r.ActiveChoices == 0);
    }

    [Fact]
    public async Task NeedsAction_ListsARecentDecision_AndAMessageOfTheOf_AndNotOlderDecisions_S6_P8()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var notifier = new LiveNotifier(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);
        var candidate = await new CreateCandidate.Handler(fixture.Database, _clock).HandleAsync(new CreateCandidate("Noé", "Attente", new DateOnly(2000, 1, 1), "33063"), camille, Ct);
        var session = await OfferBuilder.AddSessionAsync(fixture.Database, julie.OrganisationId, new DateOnly(2027, 2, 1), arrange: s => s.Publish(DemoDatabase.SeededAt));
        var prescription = await new Prescribe.Handler(fixture.Database, _clock, notifier).HandleAsync(new Prescribe(candidate, session.Id, PrescribeTests.Form), camille, Ct);

        (await Handler.HandleAsync(new GetPrescriberDashboard(false, Filter: DashboardFilter.NeedsAction, Take: 500), camille, Ct)).Rows.ShouldNotContain(r => r.CandidateId == candidate);

        // The OF answers in the fiche complément: a message to read.
        await new OpenComplement.Handler(fixture.Database, _clock, notifier).HandleAsync(new OpenComplement(prescription, false, "Pouvez-vous l'appeler ?"), camille, Ct);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await new PostComplementMessage.Handler(fixture.Database, _clock, notifier).HandleAsync(new PostComplementMessage(prescription, "Appel prévu demain."), julie, Ct);
        var row = (await Handler.HandleAsync(new GetPrescriberDashboard(false, Filter: DashboardFilter.NeedsAction, Take: 500), camille, Ct)).Rows.Single(r => r.CandidateId == candidate);
        row.NeedsAction.ShouldContain(a => a.StartsWith("Message de l'organisme à lire", StringComparison.Ordinal));

        // The prescriber answers: nothing left to read.
        _clock.Advance(TimeSpan.FromMinutes(5));
        await new PostComplementMessage.Handler(fixture.Database, _clock, notifier).HandleAsync(new PostComplementMessage(prescription, "Merci."), camille, Ct);
        (await Handler.HandleAsync(new GetPrescriberDashboard(false, Filter: DashboardFilter.NeedsAction, Take: 500), camille, Ct)).Rows.ShouldNotContain(r => r.CandidateId == candidate);

        // A decision received now needs attention, and no longer after 7 days.
        await using (var db = fixture.Database.CreateDbContext())
        {
            var p = await db.AllPrescriptions.SingleAsync(x => x.Id == prescription, Ct);
            Meetings.ConvokeAt(db, p, julie.UserId, _clock.GetUtcNow());
            p.RecordAttendance(PrescriptionStatus.Attended, julie.UserId, _clock.GetUtcNow());
            p.Waitlist(julie.UserId, _clock.GetUtcNow());
            await db.SaveChangesAsync(Ct);
        }
        var decided = (await Handler.HandleAsync(new GetPrescriberDashboard(false, Filter: DashboardFilter.NeedsAction, Take: 500), camille, Ct)).Rows.Single(r => r.CandidateId == candidate);
        decided.NeedsAction.ShouldContain(a => a.StartsWith("Décision reçue : Liste d'attente", StringComparison.Ordinal));
        decided.LastEvent!.Status.ShouldBe(PrescriptionStatus.Waitlisted);
        _clock.Advance(TimeSpan.FromDays(8));
        (await Handler.HandleAsync(new GetPrescriberDashboard(false, Filter: DashboardFilter.NeedsAction, Take: 500), camille, Ct)).Rows.ShouldNotContain(r => r.CandidateId == candidate);
    }
}
