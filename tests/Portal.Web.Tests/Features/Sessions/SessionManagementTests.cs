using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Sessions;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Sessions;

/// <summary>The OF creates, suspends and cancels sessions from "Mes sessions" (O4, O7). Each test has its own database.</summary>
public sealed class SessionManagementTests : PortalTestContext
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;
    private IRenderedComponent<TrainingBodyHome> _cut = null!;
    private CurrentUser _julie = null!;
    private Guid _openSessionId;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _julie = await AuthorizeAsAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        _openSessionId = await db.Sessions.Where(s => s.OrganisationId == _julie.OrganisationId && s.Status == SessionStatus.Open)
            .Select(s => s.Id).SingleAsync(Cancellation);
        _snackbars = Render<MudSnackbarProvider>();
        _popovers = Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
        _cut = Render<TrainingBodyHome>();
        _cut.WaitForAssertion(() => _cut.FindAll("tbody tr").ShouldNotBeEmpty());
    }

    private IElement ButtonIn<T>(IRenderedComponent<T> host, string text) where T : Microsoft.AspNetCore.Components.IComponent =>
        host.FindAll("button").First(b => b.Shown().Contains(text, StringComparison.Ordinal));

    private string DialogText() => Text.Squash(string.Concat(_dialogs.Nodes.Select(n => n.TextContent)));

    private void OpenMenuOf(Guid sessionId)
    {
        var row = _cut.FindAll("tbody tr").First(r => r.QuerySelector($"[data-session-id='{sessionId}']") is not null);
        row.QuerySelector("button[aria-label^='Actions sur la session']")!.Click();
    }

    private void ClickMenuItem(string text) =>
        _popovers.WaitForAssertion(() => _popovers.FindAll(".mud-menu-item").First(i => i.Shown().Contains(text, StringComparison.Ordinal)).Click());

    private async Task<SessionStatus> StatusAsync(Guid id)
    {
        await using var db = Database.CreateDbContext();
        return await db.Sessions.Where(s => s.Id == id).Select(s => s.Status).SingleAsync(Cancellation);
    }

    [Fact]
    public void NewSession_WithEmptyDates_ShowsFrenchMessagesPerField_AndCreatesNothing()
    {
        ButtonIn(_cut, "Nouvelle session").Click();
        _dialogs.WaitForAssertion(() => DialogText().ShouldContain("Nouvelle session"));
        _dialogs.WaitForAssertion(() => _dialogs.FindAll(".mud-select").ShouldNotBeEmpty());

        ButtonIn(_dialogs, "Créer la session").Click();

        _dialogs.WaitForAssertion(() =>
        {
            var text = DialogText();
            text.ShouldContain("La date de début est obligatoire.");
            text.ShouldContain("La date limite d'inscription est obligatoire.");
            text.ShouldContain("Le lieu de formation est obligatoire.");
        });
    }

    [Fact]
    public async Task Suspend_BeforeO7Allows_ShowsTheRuleInFrench_AndKeepsTheSessionOpen_O7()
    {
        OpenMenuOf(_openSessionId);
        ClickMenuItem("Suspendre les prescriptions");

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldStartWith("Suspension impossible :"));
        (await StatusAsync(_openSessionId)).ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public async Task Cancel_AsksTheReasonInsideTheDialog_ThenCancelsTheSessionAndItsPrescriptions()
    {
        OpenMenuOf(_openSessionId);
        ClickMenuItem("Annuler la session");
        _dialogs.WaitForAssertion(() => DialogText().ShouldContain("passeront à « Session annulée »"));

        ButtonIn(_dialogs, "Annuler la session").Click();
        _dialogs.WaitForAssertion(() => DialogText().ShouldContain("Le motif est obligatoire."));
        (await StatusAsync(_openSessionId)).ShouldBe(SessionStatus.Open);

        _dialogs.Find("textarea").Input("Formateur indisponible");
        ButtonIn(_dialogs, "Annuler la session").Click();

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Session annulée."));
        (await StatusAsync(_openSessionId)).ShouldBe(SessionStatus.Cancelled);
        await using var db = Database.CreateDbContext();
        (await db.AllPrescriptions.AnyAsync(p => p.SessionId == _openSessionId && PrescriptionLifecycle.Active.Contains(p.Status), Cancellation)).ShouldBeFalse();
        // The list no longer shows the cancelled session.
        _cut.WaitForAssertion(() => _cut.FindAll($"[data-session-id='{_openSessionId}']").ShouldBeEmpty());
    }
}
