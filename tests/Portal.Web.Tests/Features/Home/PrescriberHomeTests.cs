using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Application.Security;
using Portal.Web.Components.Live;
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
        var hers = await db.AllCandidates.Where(c => c.ReferentUserId == camille.UserId).Select(c => c.Id).ToListAsync(Cancellation);

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
        var statuses = await db.AllPrescriptions.Where(p => p.PrescriberUserId == camille.UserId).Select(p => p.Status).Distinct().ToListAsync(Cancellation);

        var cut = RenderLoaded();

        var chips = cut.FindAll(".mud-chip").Select(c => c.Shown()).Distinct().ToList();
        chips.ShouldBe(statuses.Select(s => s.Label()), ignoreOrder: true);
        chips.ShouldContain("Prescrite");
        chips.ShouldContain("Liste d'attente");
        Text.EnumNamesIn(cut.Find("table").TextContent).ShouldBeEmpty();
    }

    [Fact]
    public async Task PrescriberHome_DrawsEachChoicesStatusChip_WithoutAComponentPerChip_Issue12()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        await using var db = Database.CreateDbContext();
        var choices = await db.AllPrescriptions.CountAsync(p => p.PrescriberUserId == camille.UserId && p.Status != PrescriptionStatus.Cancelled, Cancellation);

        var cut = RenderLoaded();

        // Issue #12 (circuit memory): a status is drawn inside its row, not by a component of its own (a component costs
        // each open tab about 3 KB): one chip per choice shown, and no StatusChip component on the page.
        var chips = cut.FindAll("[data-session-id] .mud-chip");
        chips.Count.ShouldBe(cut.FindAll("[data-session-id]").Count);
        chips.Count.ShouldBeGreaterThan(0);
        chips.Count.ShouldBeLessThanOrEqualTo(choices);
        cut.FindComponents<Portal.Web.Components.Shared.StatusChip>().ShouldBeEmpty();
        // The live figure stays a component per choice (ADR 0014): it alone re-renders on a place change.
        cut.FindComponents<LiveOpenPlaces>().Count.ShouldBe(chips.Count);
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
        var organisation = await db.AllCandidates.Where(c => c.OrganisationId == sophie.OrganisationId)
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
        var hers = await db.AllCandidates.Where(c => c.ReferentUserId == camille.UserId).Select(c => c.Id).ToListAsync(Cancellation);

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

    private async Task<(Guid CandidateId, PrescriptionStatusChanged Change)> AChoiceOfCamilleShownAsync(CurrentUser camille)
    {
        await using var db = Database.CreateDbContext();
        var p = await db.AllPrescriptions.Where(x => x.PrescriberUserId == camille.UserId).OrderBy(x => x.Id).FirstAsync(Cancellation);
        return (p.CandidateId, new PrescriptionStatusChanged(p.Id, p.SessionId, p.CandidateId, p.PrescriberOrganisationId, p.TrainingBodyId, PrescriptionStatus.Selected));
    }

    [Fact]
    public async Task PrescriberHome_PrescriptionOfACandidateShownChanged_AnnouncesTheFrenchStatus_AndRendersOnlyThatRow_S6()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        var (candidateId, change) = await AChoiceOfCamilleShownAsync(camille);
        var cut = RenderLoaded();
        cut.Find("[data-testid='live-announcer']").Shown().ShouldBeEmpty();
        var rows = cut.FindComponents<PrescriberDashboardRow>();
        rows.Count.ShouldBeGreaterThan(1);
        var before = rows.ToDictionary(r => r.Instance.Row.CandidateId, r => r.RenderCount);
        var heading = cut.FindComponent<MudBlazor.MudText>();
        var pageRenders = heading.RenderCount;

        await Notifier.PublishAsync(PrescriptionsChanged.Of(change), Cancellation);

        cut.WaitForAssertion(() => cut.Find("[data-testid='live-announcer']").Shown()
            .ShouldBe("Une prescription est passée à « Retenue »."));
        await Notifier.DrainAsync();
        // The page rendered (its heading with it), which is how a reloaded row gets in...
        heading.RenderCount.ShouldBe(pageRenders + 1);
        // ...but only the row of that candidate, read again, was drawn again; its neighbours were not.
        foreach (var row in cut.FindComponents<PrescriberDashboardRow>())
            row.RenderCount.ShouldBe(before[row.Instance.Row.CandidateId] + (row.Instance.Row.CandidateId == candidateId ? 1 : 0), row.Instance.Row.LastName);
    }

    [Fact]
    public async Task PrescriberHome_IgnoresLiveEventsOfOtherOrganisationsAndSessions()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        var lucas = await UserAsync(TestUsers.Lucas);
        var (_, change) = await AChoiceOfCamilleShownAsync(camille);
        var cut = RenderLoaded();
        var pageRenders = cut.RenderCount;

        // The same candidate's change, said to belong to another organisation, does not reach this screen.
        await Notifier.PublishAsync(PrescriptionsChanged.Of(change with { PrescriberOrganisationId = lucas.OrganisationId, CandidateId = Guid.NewGuid(), PrescriptionId = Guid.NewGuid(), SessionId = Guid.NewGuid() }), Cancellation);
        await Notifier.PublishAsync(new SessionPlacesChanged(Guid.NewGuid(), Guid.NewGuid(), 1, 10), Cancellation);
        // Once drained, every subscriber has been served: the component has reacted (or not).
        await Notifier.DrainAsync();

        cut.Find("[data-testid='live-announcer']").Shown().ShouldBeEmpty();
        cut.FindAll(".portal-live-changed").ShouldBeEmpty();
        cut.RenderCount.ShouldBe(pageRenders);
    }

    [Fact]
    public async Task PrescriberHome_PlaceChangeOfAnotherSession_RendersNothing_O8()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var cut = RenderLoaded();
        var shown = cut.FindComponents<LiveOpenPlaces>();
        shown.ShouldNotBeEmpty();
        var pageRenders = cut.RenderCount;
        var rowRenders = cut.FindComponents<PrescriberDashboardRow>().Select(r => r.RenderCount).ToList();
        var placesRenders = shown.Select(p => p.RenderCount).ToList();

        await Notifier.PublishAsync(new SessionPlacesChanged(Guid.NewGuid(), Guid.NewGuid(), 1, 10, Portal.Domain.Offer.SessionStatus.Open, 99), Cancellation);
        await Notifier.DrainAsync();

        cut.RenderCount.ShouldBe(pageRenders);
        cut.FindComponents<PrescriberDashboardRow>().Select(r => r.RenderCount).ShouldBe(rowRenders);
        cut.FindComponents<LiveOpenPlaces>().Select(p => p.RenderCount).ShouldBe(placesRenders);
    }

    [Fact]
    public async Task PrescriberHome_PlaceChange_RendersOnlyTheOpenPlacesComponentsOfThatSession_O8()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var cut = RenderLoaded();
        var places = cut.FindComponents<LiveOpenPlaces>();
        var target = places[0].Instance.SessionId;
        var ofTarget = places.Count(p => p.Instance.SessionId == target);
        // The page's heading has child content: it renders again whenever the page does (bUnit's own RenderCount
        // of the page also counts its children's renders, so it cannot tell the two apart).
        var heading = cut.FindComponent<MudBlazor.MudText>();
        heading.Instance.HtmlTag.ShouldBe("h1");
        var pageRenders = heading.RenderCount;
        var rowRenders = cut.FindComponents<PrescriberDashboardRow>().Select(r => r.RenderCount).ToList();
        var placesRenders = places.Select(p => p.RenderCount).ToList();

        await Notifier.PublishAsync(new SessionPlacesChanged(target, Guid.NewGuid(), 2, 40, Portal.Domain.Offer.SessionStatus.Open, 1_000), Cancellation);
        await Notifier.DrainAsync();

        cut.WaitForAssertion(() => cut.FindAll($"[data-session-id='{target}'] [data-testid='open-places']").Select(e => e.Shown()).Distinct()
            .ShouldBe(["2 place(s) ouverte(s) sur 40"]));
        // The page and the rows were not drawn again; each open-places component of that session was, once; the others not at all.
        heading.RenderCount.ShouldBe(pageRenders);
        // A row's RenderCount (bUnit) counts its children's renders too: one per figure of that session it holds, and no more.
        cut.FindComponents<PrescriberDashboardRow>().Select(r => r.RenderCount)
            .ShouldBe(cut.FindComponents<PrescriberDashboardRow>().Select((r, i) => rowRenders[i] + r.Instance.Row.Choices.Count(c => c.SessionId == target)));
        var after = cut.FindComponents<LiveOpenPlaces>();
        for (var i = 0; i < after.Count; i++)
            after[i].RenderCount.ShouldBe(placesRenders[i] + (after[i].Instance.SessionId == target ? 1 : 0));
        after.Count(p => p.Instance.SessionId == target).ShouldBe(ofTarget);
        cut.Find("[data-testid='live-announcer']").Shown().ShouldBe("Places ouvertes mises à jour : 2 sur 40.");
    }

    [Fact]
    public async Task PrescriberHome_OlderFiguresArrivingLate_AreIgnored_O8()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var cut = RenderLoaded();
        var target = cut.FindComponents<LiveOpenPlaces>()[0].Instance.SessionId;

        await Notifier.PublishAsync(new SessionPlacesChanged(target, Guid.NewGuid(), 4, 40, Portal.Domain.Offer.SessionStatus.Open, 1_001), Cancellation);
        await Notifier.PublishAsync(new SessionPlacesChanged(target, Guid.NewGuid(), 9, 40, Portal.Domain.Offer.SessionStatus.Open, 1_000), Cancellation);
        await Notifier.DrainAsync();

        cut.WaitForAssertion(() => cut.FindAll($"[data-session-id='{target}'] [data-testid='open-places']").Select(e => e.Shown()).Distinct()
            .ShouldBe(["4 place(s) ouverte(s) sur 40"]));
    }

    [Fact]
    public async Task PrescriberHome_Disposed_LeavesNoLiveSubscription()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        var cut = RenderLoaded();
        var choicesShown = cut.FindAll("[data-testid='open-places']").Count;
        choicesShown.ShouldBeGreaterThan(1);
        // One subscription per open-places figure, keyed on its session; one for the organisation's prescriptions.
        Notifier.SubscriberCount<SessionPlacesChanged>().ShouldBe(choicesShown);
        Notifier.SubscriberCount<PrescriptionsChanged>(camille.OrganisationId).ShouldBe(1);

        await DisposeComponentsAsync();

        Notifier.SubscriberCount<SessionPlacesChanged>().ShouldBe(0);
        Notifier.SubscriberCount<PrescriptionsChanged>().ShouldBe(0);
    }
}
