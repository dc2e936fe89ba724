using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Abstractions;
using Portal.Application.Features.Sessions;
using Portal.Testing;
using Portal.Web.Features.Catalogue;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Catalogue;

/// <summary>The prescribers' "Offre": the catalogue with open places updating live (O8). Each test has its own database.</summary>
public sealed class OfferPageTests : PortalTestContext
{
    private async Task<(IRenderedComponent<OfferPage> Cut, Guid SessionId, Guid TrainingBodyId, int Capacity)> RenderWithTheCacesSessionAsync()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        await using var db = Database.CreateDbContext();
        var session = await db.FicheActions.Where(f => f.Title.StartsWith("Préparation au titre de cariste"))
            .Join(db.Sessions, f => f.Id, s => s.FicheActionId, (f, s) => s)
            .Where(s => s.Status == Portal.Domain.Offer.SessionStatus.Open)
            .Select(s => new { s.Id, s.OrganisationId, s.Capacity, s.OpenPlaces }).SingleAsync(Cancellation);
        var cut = Render<OfferPage>();
        // O8: the demo selected two candidates on it (capacity 12): 10 open.
        session.OpenPlaces.ShouldBe(session.Capacity - 2);
        cut.WaitForAssertion(() => OpenPlacesShown(cut, session.Id).ShouldBe($"{session.OpenPlaces} places ouvertes sur {session.Capacity}"));
        return (cut, session.Id, session.OrganisationId, session.Capacity);
    }

    private static string OpenPlacesShown(IRenderedComponent<OfferPage> cut, Guid sessionId) =>
        cut.Find($"[data-session-id='{sessionId}'] [data-testid='open-places']").Shown();

    [Fact]
    public async Task Offer_ShowsTheCatalogueWithLinksToTheFiches_AndTheRegionalOrderSection()
    {
        var (cut, _, _, _) = await RenderWithTheCacesSessionAsync();

        cut.Find("h1").Shown().ShouldBe("Offre de formation");
        cut.FindAll("h2").Select(h => h.Shown()).ShouldContain("Commande régionale");
        cut.FindAll("[data-fiche-id]").Count.ShouldBe(4);
        foreach (var row in cut.FindAll("[data-fiche-id]"))
            row.QuerySelector("h3 a")!.GetAttribute("href").ShouldBe($"/catalogue/{row.GetAttribute("data-fiche-id")}");
    }

    [Fact]
    public async Task Offer_OpenPlacesChangedInTheDatabaseAndPublished_NewCountShowsLive_O8()
    {
        var (cut, sessionId, _, capacity) = await RenderWithTheCacesSessionAsync();
        await using (var db = Database.CreateDbContext())
        {
            var session = await db.Sessions.SingleAsync(s => s.Id == sessionId, Cancellation);
            session.SetOpenPlaces(3, heldPlaces: 0);
            await db.SaveChangesAsync(Cancellation);
            // As another server would, through the backplane.
            await Notifier.PublishAsync(new SessionPlacesChanged(session.Id, session.OrganisationId, 3, session.Capacity, session.Status, session.Version), Cancellation);
        }

        cut.WaitForAssertion(() => OpenPlacesShown(cut, sessionId).ShouldBe($"3 places ouvertes sur {capacity}"));
        cut.Find("[data-testid='live-announcer']").Shown().ShouldBe($"Places ouvertes mises à jour : 3 sur {capacity}.");
        cut.FindAll(".portal-live-changed").Select(e => e.Closest("[data-session-id]")!.GetAttribute("data-session-id")).ShouldBe([sessionId.ToString()]);
    }

    [Fact]
    public async Task Offer_AnEventCarryingNewFiguresAndStatus_UpdatesThatSessionInPlace_WithoutSearchingAgain_O8()
    {
        var (cut, sessionId, trainingBodyId, capacity) = await RenderWithTheCacesSessionAsync();
        var heading = cut.FindComponent<MudBlazor.MudText>();
        var pageRenders = heading.RenderCount;

        // The database still says otherwise: what shows can only come from the event (a search again would show the database).
        await Notifier.PublishAsync(new SessionPlacesChanged(sessionId, trainingBodyId, 1, capacity, Portal.Domain.Offer.SessionStatus.Suspended, 500), Cancellation);
        await Notifier.DrainAsync();

        cut.WaitForAssertion(() => OpenPlacesShown(cut, sessionId).ShouldBe($"1 place ouverte sur {capacity}"));
        cut.Find($"[data-session-id='{sessionId}'] [data-testid='session-status']").Shown().ShouldBe("· Suspendue");
        heading.RenderCount.ShouldBe(pageRenders);
    }

    [Fact]
    public async Task Offer_TrainingBodySavesItsPlaces_SessionShowsCompleteLive_O8()
    {
        var (cut, sessionId, _, capacity) = await RenderWithTheCacesSessionAsync();
        var julie = await UserAsync(TestUsers.Julie);

        await Services.GetRequiredService<UpdateOpenPlaces.Handler>().HandleAsync(new UpdateOpenPlaces(sessionId, 0), julie, Cancellation);

        cut.WaitForAssertion(() => OpenPlacesShown(cut, sessionId).ShouldBe($"complet ({capacity} places)"));
    }
}
