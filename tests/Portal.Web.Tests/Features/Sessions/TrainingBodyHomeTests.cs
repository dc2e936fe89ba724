using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Offer;
using Portal.Testing;
using Portal.Web.Features.Sessions;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Sessions;

/// <summary>"Mes sessions" read-only, on the shared demo database.</summary>
public sealed class TrainingBodyHomeTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    [Theory]
    [InlineData(TestUsers.Julie)]
    [InlineData(TestUsers.Thomas)]
    public async Task TrainingBodyHome_ListsTheSessionsOfTheUsersTrainingBodyOnly(string account)
    {
        var of = await AuthorizeAsAsync(account);
        await using var db = Database.CreateDbContext();
        var own = await db.Sessions
            .Where(s => s.OrganisationId == of.OrganisationId && s.Status != SessionStatus.Finished && s.Status != SessionStatus.Cancelled)
            .Select(s => s.Id).ToListAsync(Cancellation);
        var othersTitles = await db.FicheActions.Where(f => f.OrganisationId != of.OrganisationId).Select(f => f.Title).ToListAsync(Cancellation);

        var cut = Render<TrainingBodyHome>();

        cut.WaitForAssertion(() => cut.FindAll("tbody tr").Count.ShouldBe(own.Count));
        cut.Find("h1").Shown().ShouldBe("Mes sessions");
        own.ShouldNotBeEmpty();
        cut.FindAll("[data-session-id]").Select(e => Guid.Parse(e.GetAttribute("data-session-id")!)).ShouldBe(own, ignoreOrder: true);
        var table = cut.Find("table").Shown();
        foreach (var title in othersTitles) table.ShouldNotContain(title);
    }

    [Fact]
    public async Task TrainingBodyHome_ShowsSessionStatusAndEntryModeInFrench()
    {
        await AuthorizeAsAsync(TestUsers.Julie);

        var cut = Render<TrainingBodyHome>();

        cut.WaitForAssertion(() => cut.FindAll("td[data-label='Statut']").Select(td => td.Shown()).ShouldBe(["Ouverte", "Programmée"]));
        cut.FindAll("td[data-label='Action'] .mud-typography-caption").Select(c => c.Shown()).Distinct().ShouldBe(["Entrées groupées"]);
        Text.EnumNamesIn(cut.Find("table").TextContent).ShouldBeEmpty();
    }

    [Fact]
    public async Task TrainingBodyHome_FieldStartsAtTheSessionsOpenPlaces_AndIsNotClampedInTheBrowser_O8()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var sessions = await db.Sessions.Where(s => s.OrganisationId == julie.OrganisationId)
            .ToDictionaryAsync(s => s.Id, s => (s.OpenPlaces, s.Capacity), Cancellation);

        var cut = Render<TrainingBodyHome>();

        cut.WaitForAssertion(() => cut.FindAll("[data-session-id]").Count.ShouldBe(sessions.Count));
        foreach (var row in cut.FindAll("[data-session-id]"))
        {
            var (open, capacity) = sessions[Guid.Parse(row.GetAttribute("data-session-id")!)];
            var input = row.QuerySelector("input[data-testid='open-places-input']").ShouldNotBeNull();
            input.GetAttribute("value").ShouldBe(open.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // The server refuses out-of-range values in French (O8); the field never silently clamps them.
            input.GetAttribute("max").ShouldNotBe(capacity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task TrainingBodyHome_PlaceChangeOfOneOfItsSessions_TakesTheEventsFiguresInPlace_O8()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var session = await db.Sessions.Where(s => s.OrganisationId == julie.OrganisationId && s.Status == Portal.Domain.Offer.SessionStatus.Open)
            .OrderBy(s => s.Id).FirstAsync(Cancellation);
        var cut = Render<TrainingBodyHome>();
        cut.WaitForAssertion(() => cut.FindAll($"[data-session-id='{session.Id}']").ShouldNotBeEmpty());
        var row = () => cut.Find($"[data-session-id='{session.Id}']").Closest("tr")!;
        var status = () => row().QuerySelector("td[data-label='Statut']")!.TextContent.Trim();
        status().ShouldBe("Ouverte");

        // The event says 1 place and "suspended" while the database says otherwise: what shows can only come from
        // the event (a reload would show the database's figures).
        await Notifier.PublishAsync(new SessionPlacesChanged(session.Id, julie.OrganisationId, 1, session.Capacity,
            Portal.Domain.Offer.SessionStatus.Suspended, session.Version + 1), Cancellation);

        cut.WaitForAssertion(() => row().QuerySelector("input[data-testid='open-places-input']")!.GetAttribute("value").ShouldBe("1"));
        status().ShouldBe("Suspendue");
    }

    [Fact]
    public async Task TrainingBodyHome_Disposed_LeavesNoLiveSubscription()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var cut = Render<TrainingBodyHome>();
        cut.WaitForAssertion(() => cut.FindAll("tbody tr").ShouldNotBeEmpty());
        Notifier.SubscriberCount<SessionPlacesChanged>().ShouldBe(1);

        await DisposeComponentsAsync();

        Notifier.SubscriberCount<SessionPlacesChanged>().ShouldBe(0);
    }

    [Fact]
    public async Task TrainingBodyHome_IgnoresLiveEventsOfAnotherTrainingBody()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var thomas = await UserAsync(TestUsers.Thomas);
        var cut = Render<TrainingBodyHome>();
        cut.WaitForAssertion(() => cut.FindAll("tbody tr").ShouldNotBeEmpty());

        // Once drained, every subscriber has been served: the component has reacted (or not).
        await Notifier.PublishAsync(new SessionPlacesChanged(Guid.NewGuid(), thomas.OrganisationId, 1, 10), Cancellation);
        await Notifier.DrainAsync();

        cut.Find("[aria-live='polite']").Shown().ShouldBeEmpty();
        cut.FindAll(".portal-live-changed").ShouldBeEmpty();
    }
}
