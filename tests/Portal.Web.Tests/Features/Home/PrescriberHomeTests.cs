using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Home;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Home;

/// <summary>"Mes candidats" on the shared demo database (nothing here changes a row).</summary>
public sealed class PrescriberHomeTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    private IRenderedComponent<PrescriberHome> RenderLoaded(bool wholeOrganisation = false)
    {
        var cut = Render<PrescriberHome>(p => p.Add(c => c.WholeOrganisation, wholeOrganisation));
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        return cut;
    }

    private static IEnumerable<Guid> CandidateIdsShown(IRenderedComponent<PrescriberHome> cut) =>
        cut.FindAll("a[href^='/candidats/']").Select(a => Guid.Parse(a.GetAttribute("href")!["/candidats/".Length..]));

    [Fact]
    public async Task PrescriberHome_ListsTheCandidatesTheUserFollows_AndNoOneElse()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        await using var db = Database.CreateDbContext();
        var hers = await db.Candidates.Where(c => c.ReferentUserId == camille.UserId).Select(c => c.Id).ToListAsync(Cancellation);

        var cut = RenderLoaded();

        cut.Find("h1").Shown().ShouldBe("Mes candidats");
        hers.ShouldNotBeEmpty();
        CandidateIdsShown(cut).ShouldBe(hers, ignoreOrder: true);
        cut.FindAll("th").Select(th => th.Shown()).ShouldNotContain("Suivi par");
    }

    [Fact]
    public async Task PrescriberHome_ShowsStatusesInFrench_NeverEnumNames()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        await using var db = Database.CreateDbContext();
        var statuses = await db.Prescriptions.Where(p => p.PrescriberUserId == camille.UserId).Select(p => p.Status).Distinct().ToListAsync(Cancellation);

        var cut = RenderLoaded();

        var chips = cut.FindAll(".mud-chip").Select(c => c.Shown()).Distinct().ToList();
        chips.ShouldBe(statuses.Select(s => s.Label()), ignoreOrder: true);
        chips.ShouldContain("Prescrite");
        chips.ShouldContain("Liste d'attente");
        Text.EnumNamesIn(cut.Find("table").TextContent).ShouldBeEmpty();
    }

    [Fact]
    public async Task PrescriberHome_ShowsEachChoicesOpenPlacesAndCapacity_O8()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        await using var db = Database.CreateDbContext();
        var sessions = await db.Sessions.ToDictionaryAsync(s => s.Id, s => (s.OpenPlaces, s.Capacity), Cancellation);

        var cut = RenderLoaded();

        var choices = cut.FindAll("[data-session-id]");
        choices.ShouldNotBeEmpty();
        foreach (var choice in choices)
        {
            var (open, capacity) = sessions[Guid.Parse(choice.GetAttribute("data-session-id")!)];
            choice.QuerySelector("[data-testid='open-places']").ShouldNotBeNull().Shown()
                .ShouldBe($"{open} place(s) ouverte(s) sur {capacity}");
        }
    }

    [Fact]
    public async Task PrescriberHome_Referent_ListsTheWholeOrganisation_WithWhoFollowsEach()
    {
        var sophie = await AuthorizeAsAsync(TestUsers.Sophie);
        await using var db = Database.CreateDbContext();
        var organisation = await db.Candidates.Where(c => c.OrganisationId == sophie.OrganisationId)
            .Select(c => new { c.Id, Referent = db.Users.Where(u => u.Id == c.ReferentUserId).Select(u => u.GivenName + " " + u.FamilyName).First() })
            .ToDictionaryAsync(c => c.Id, c => c.Referent, Cancellation);

        var cut = RenderLoaded(wholeOrganisation: true);

        cut.Find("h1").Shown().ShouldBe("Candidats de l'organisation");
        CandidateIdsShown(cut).ShouldBe(organisation.Keys, ignoreOrder: true);
        organisation.Values.Distinct().Count().ShouldBeGreaterThan(1);
        foreach (var row in cut.FindAll("tbody tr"))
        {
            var id = Guid.Parse(row.QuerySelector("a")!.GetAttribute("href")!["/candidats/".Length..]);
            row.QuerySelector("td[data-label='Suivi par']").ShouldNotBeNull().Shown().ShouldBe(organisation[id]);
        }
    }

    [Fact]
    public async Task PrescriberHome_PrescripteurAskingForTheWholeOrganisation_StillSeesOnlyTheirOwn()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        await using var db = Database.CreateDbContext();
        var hers = await db.Candidates.Where(c => c.ReferentUserId == camille.UserId).Select(c => c.Id).ToListAsync(Cancellation);

        var cut = RenderLoaded(wholeOrganisation: true);

        CandidateIdsShown(cut).ShouldBe(hers, ignoreOrder: true);
    }

    [Fact]
    public async Task PrescriberHome_TrainingBody_IsRefusedInFrench()
    {
        await AuthorizeAsAsync(TestUsers.Julie);

        var cut = RenderLoaded();

        cut.Find(".mud-alert-text-warning").Shown().ShouldBe("Cet écran est réservé aux prescripteurs.");
        cut.FindAll("table").ShouldBeEmpty();
    }

    [Fact]
    public async Task PrescriberHome_PrescriptionOfTheOrganisationChanged_AnnouncesTheFrenchStatus()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        var cut = RenderLoaded();
        cut.Find("[data-testid='live-announcer']").Shown().ShouldBeEmpty();

        await Notifier.PublishAsync(new PrescriptionStatusChanged(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
            camille.OrganisationId, Guid.NewGuid(), PrescriptionStatus.Selected), Cancellation);

        cut.WaitForAssertion(() => cut.Find("[data-testid='live-announcer']").Shown()
            .ShouldBe("Une prescription est passée à « Retenue »."));
    }

    [Fact]
    public async Task PrescriberHome_IgnoresLiveEventsOfOtherOrganisationsAndSessions()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var lucas = await UserAsync(TestUsers.Lucas);
        var cut = RenderLoaded();

        // The notifier awaits its subscribers: once published, the component has reacted (or not).
        await Notifier.PublishAsync(new PrescriptionStatusChanged(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
            lucas.OrganisationId, Guid.NewGuid(), PrescriptionStatus.Selected), Cancellation);
        await Notifier.PublishAsync(new SessionPlacesChanged(Guid.NewGuid(), Guid.NewGuid(), 1, 10), Cancellation);

        cut.Find("[data-testid='live-announcer']").Shown().ShouldBeEmpty();
        cut.FindAll(".portal-live-changed").ShouldBeEmpty();
    }

    [Fact]
    public async Task PrescriberHome_Disposed_LeavesNoLiveSubscription()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        RenderLoaded();
        Notifier.SubscriberCount<SessionPlacesChanged>().ShouldBe(1);
        Notifier.SubscriberCount<PrescriptionStatusChanged>().ShouldBe(1);

        await DisposeComponentsAsync();

        Notifier.SubscriberCount<SessionPlacesChanged>().ShouldBe(0);
        Notifier.SubscriberCount<PrescriptionStatusChanged>().ShouldBe(0);
    }
}
