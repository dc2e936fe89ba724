using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Abstractions;
using Portal.Application.Features.Sessions;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Home;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Home;

/// <summary>O8 live: open places changed elsewhere show up on "Mes candidats" without a reload. Each test has its own database.</summary>
public sealed class PrescriberHomeLiveTests : PortalTestContext
{
    private async Task<(IRenderedComponent<PrescriberHome> Cut, Guid SessionId, int Capacity)> RenderWithAChoiceOfAsync(string trainingBodyAccount)
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        var trainingBody = await UserAsync(trainingBodyAccount);
        await using var db = Database.CreateDbContext();
        var session = await db.AllPrescriptions.Where(p => p.PrescriberUserId == camille.UserId && p.TrainingBodyId == trainingBody.OrganisationId)
            .Join(db.Sessions, p => p.SessionId, s => s.Id, (p, s) => new { s.Id, s.Capacity, s.OpenPlaces })
            .FirstAsync(Cancellation);
        // O8: open = capacity − the places held (selected, offered, entered), counted here by hand.
        var held = await db.AllPrescriptions.CountAsync(p => p.SessionId == session.Id && (p.Status == PrescriptionStatus.Selected
            || p.Status == PrescriptionStatus.PlaceOffered || p.Status == PrescriptionStatus.Entered), Cancellation);
        session.OpenPlaces.ShouldBe(session.Capacity - held);

        var cut = Render<PrescriberHome>();
        cut.WaitForAssertion(() => OpenPlacesShown(cut, session.Id).ShouldNotBeEmpty());
        return (cut, session.Id, session.Capacity);
    }

    private static List<string> OpenPlacesShown(IRenderedComponent<PrescriberHome> cut, Guid sessionId) =>
        [.. cut.FindAll($"[data-session-id='{sessionId}'] [data-testid='open-places']").Select(e => e.Shown())];

    [Fact]
    public async Task PrescriberHome_TrainingBodyUpdatesOpenPlaces_NewCountShowsLive_O8()
    {
        var (cut, sessionId, capacity) = await RenderWithAChoiceOfAsync(TestUsers.Julie);
        var julie = await UserAsync(TestUsers.Julie);

        // The OF saves on its own screen: the handler publishes through the app's notifier.
        await Services.GetRequiredService<UpdateOpenPlaces.Handler>().HandleAsync(new UpdateOpenPlaces(sessionId, 5), julie, Cancellation);

        cut.WaitForAssertion(() => OpenPlacesShown(cut, sessionId).Distinct().ShouldBe([$"5 place(s) ouverte(s) sur {capacity}"]));
        cut.Find("[data-testid='live-announcer']").Shown().ShouldBe($"Places ouvertes mises à jour : 5 sur {capacity}.");
        cut.FindAll($"[data-session-id='{sessionId}'] .portal-live-changed").ShouldNotBeEmpty();
    }

    [Fact]
    public async Task PrescriberHome_OpenPlacesChangedInTheDatabaseAndPublished_NewCountShowsLive_O8()
    {
        var (cut, sessionId, capacity) = await RenderWithAChoiceOfAsync(TestUsers.Thomas);
        await using (var db = Database.CreateDbContext())
        {
            var session = await db.Sessions.SingleAsync(s => s.Id == sessionId, Cancellation);
            session.SetOpenPlaces(0, heldPlaces: 0);
            await db.SaveChangesAsync(Cancellation);
            // As another server would, through the backplane.
            await Notifier.PublishAsync(new SessionPlacesChanged(session.Id, session.OrganisationId, 0, session.Capacity, session.Status, session.Version), Cancellation);
        }

        cut.WaitForAssertion(() => OpenPlacesShown(cut, sessionId).Distinct().ShouldBe([$"0 place(s) ouverte(s) sur {capacity}"]));
        // The other sessions are not marked as changed.
        cut.FindAll(".portal-live-changed").Select(e => e.ParentElement!.GetAttribute("data-session-id")).Distinct()
            .ShouldBe([sessionId.ToString()]);
    }

    [Fact]
    public async Task PrescriberHome_AnEventCarryingTheNewFigures_UpdatesTheRowsInPlace_WithoutQueryingAgain_O8()
    {
        var (cut, sessionId, capacity) = await RenderWithAChoiceOfAsync(TestUsers.Julie);
        var julie = await UserAsync(TestUsers.Julie);

        // The event says 3 places and "suspended" while the database still says otherwise: what shows can only come
        // from the event (a reload would show the database's figures). Thousands of open dashboards stay query-free.
        await Notifier.PublishAsync(new SessionPlacesChanged(sessionId, julie.OrganisationId, 3, capacity, Portal.Domain.Offer.SessionStatus.Suspended, 500), Cancellation);

        cut.WaitForAssertion(() => OpenPlacesShown(cut, sessionId).Distinct().ShouldBe([$"3 place(s) ouverte(s) sur {capacity}"]));
        cut.Find("[data-testid='live-announcer']").Shown().ShouldBe($"Places ouvertes mises à jour : 3 sur {capacity}.");
    }
}
