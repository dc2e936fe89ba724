using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Abstractions;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Testing;
using Portal.Web.Features.Sessions;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Sessions;

/// <summary>O8: the OF edits its open places. Each test changes rows, so each has its own database.</summary>
public sealed class TrainingBodyHomeSaveTests : PortalTestContext
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;
    private IRenderedComponent<TrainingBodyHome> _cut = null!;
    private CurrentUser _julie = null!;
    private Guid _sessionId;
    private int _capacity;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _julie = await AuthorizeAsAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var open = await db.Sessions.Where(s => s.OrganisationId == _julie.OrganisationId && s.Status == Domain.Offer.SessionStatus.Open)
            .Select(s => new { s.Id, s.Capacity }).SingleAsync(Cancellation);
        (_sessionId, _capacity) = (open.Id, open.Capacity);

        // In the app the snackbars live in MainLayout: render the provider next to the screen.
        _snackbars = Render<MudSnackbarProvider>();
        _cut = Render<TrainingBodyHome>();
        _cut.WaitForAssertion(() => Row().ShouldNotBeNull());
    }

    private IElement Row() => _cut.Find($"[data-session-id='{_sessionId}']");

    private IElement Field() => Row().QuerySelector("input[data-testid='open-places-input']")!;

    private void Type(string value) => Field().Input(value);

    private void Save() => Row().QuerySelector("button[aria-label^='Enregistrer']")!.Click();

    private async Task<int> OpenPlacesInDatabaseAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.Sessions.Where(s => s.Id == _sessionId).Select(s => s.OpenPlaces).SingleAsync(Cancellation);
    }

    private IReadOnlyList<IElement> Snackbars() => _snackbars.FindAll(".mud-snackbar");

    [Fact]
    public async Task SaveOpenPlaces_ValidValue_IsPersistedConfirmedAndPublished_O8()
    {
        var published = new List<SessionPlacesChanged>();
        using var _ = Notifier.Subscribe<SessionPlacesChanged>(e => { published.Add(e); return Task.CompletedTask; });

        Type("7");
        Save();

        _snackbars.WaitForAssertion(() => Snackbars().Single().Shown().ShouldBe("Places ouvertes enregistrées."));
        Snackbars().Single().ClassList.ShouldContain("mud-alert-filled-success");
        (await OpenPlacesInDatabaseAsync()).ShouldBe(7);
        await Notifier.DrainAsync();
        await using (var db = Database.CreateDbContext())
        {
            // The event carries the session's version as saved, so that a screen can drop an older figure arriving late.
            var version = await db.Sessions.Where(s => s.Id == _sessionId).Select(s => s.Version).SingleAsync(Cancellation);
            published.ShouldBe([new SessionPlacesChanged(_sessionId, _julie.OrganisationId, 7, _capacity, Portal.Domain.Offer.SessionStatus.Open, version)]);
        }
        _cut.WaitForAssertion(() => Field().GetAttribute("value").ShouldBe("7"));
    }

    [Fact]
    public async Task SaveOpenPlaces_SessionCancelledMeanwhile_ShowsTheFrenchRefusal_AndTheListDropsTheSession_O8()
    {
        var before = await OpenPlacesInDatabaseAsync();
        Type("7");
        await using (var db = Database.CreateDbContext())
        {
            (await db.Sessions.SingleAsync(s => s.Id == _sessionId, Cancellation)).Cancel();
            await db.SaveChangesAsync(Cancellation);
        }

        Save();

        _snackbars.WaitForAssertion(() => Snackbars().Single().Shown().ShouldBe("Les places d'une session « Annulée » ne se modifient plus."));
        Snackbars().Single().ClassList.ShouldContain("mud-alert-filled-warning");
        // The list is reloaded: a cancelled session is no longer among the sessions to manage.
        _cut.WaitForAssertion(() => _cut.FindAll($"[data-session-id='{_sessionId}']").ShouldBeEmpty());
        (await OpenPlacesInDatabaseAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData("99")]
    [InlineData("-3")]
    public async Task SaveOpenPlaces_OutOfRange_ShowsTheFrenchRefusal_AndKeepsTheTypedValue_O8(string typed)
    {
        var before = await OpenPlacesInDatabaseAsync();
        int held;
        await using (var db = Database.CreateDbContext())
            held = await db.AllPrescriptions.CountAsync(p => p.SessionId == _sessionId && (p.Status == Domain.Prescriptions.PrescriptionStatus.Selected
                || p.Status == Domain.Prescriptions.PrescriptionStatus.PlaceOffered || p.Status == Domain.Prescriptions.PrescriptionStatus.Entered), Cancellation);
        Type(typed);
        Save();

        // O8 (ADR 0015): the bound is the capacity less the places held (selected, offered, entered).
        _snackbars.WaitForAssertion(() => Snackbars().Single().Shown()
            .ShouldBe($"Les places ouvertes doivent être comprises entre 0 et {_capacity - held} : capacité {_capacity} moins {held} place(s) déjà occupée(s) (retenus, places proposées, entrés)."));
        Snackbars().Single().ClassList.ShouldContain("mud-alert-filled-warning");
        Field().GetAttribute("value").ShouldBe(typed);
        (await OpenPlacesInDatabaseAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task TrainingBodyHome_OpenPlacesChangedElsewhere_ShowsLive_O8()
    {
        // A colleague of the same OF saves from another circuit.
        await Services.GetRequiredService<UpdateOpenPlaces.Handler>().HandleAsync(new UpdateOpenPlaces(_sessionId, 3), _julie, Cancellation);

        _cut.WaitForAssertion(() => Field().GetAttribute("value").ShouldBe("3"));
        Row().ClassList.ShouldContain("portal-live-changed");
        _cut.Find("[aria-live='polite']").Shown().ShouldBe($"Places ouvertes mises à jour : 3 sur {_capacity}.");
    }
}
