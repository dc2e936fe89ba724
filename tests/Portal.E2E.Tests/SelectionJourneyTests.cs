using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Application.Abstractions;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.E2E.Tests;

/// <summary>S1, S7, S12: the OF refuses a candidate with reasons on its decisions screen; the prescriber's open dashboard shows it live.</summary>
[Collection(PortalServerCollection.Name)]
public sealed class SelectionJourneyTests(PortalServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A candidate met at the information session on Julie's open session, followed by a prescriber (demo data).</summary>
    private async Task<(Guid Session, Guid Prescription, string Candidate, string PrescriberAccount)> AttendedCandidateAsync()
    {
        await using var db = await server.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync(Ct);
        var julie = await db.Users.SingleAsync(u => u.Email.StartsWith("julie.moreau@"), Ct);
        var formapro = await db.Memberships.Where(m => m.UserId == julie.Id).Select(m => m.OrganisationId).FirstAsync(Ct);
        var prescriberIds = await db.Memberships.Where(m => m.Role == Role.Prescripteur).Select(m => m.UserId).ToListAsync(Ct);
        var found = await db.AllPrescriptions
            .Where(p => p.TrainingBodyId == formapro && p.Status == PrescriptionStatus.Attended)
            .Join(db.Sessions.Where(s => s.Status == SessionStatus.Open), p => p.SessionId, s => s.Id, (p, s) => p)
            .Join(db.AllCandidates, p => p.CandidateId, c => c.Id, (p, c) => new { p.Id, p.SessionId, c.LastName, c.FirstName, c.ReferentUserId, p.CreatedAt })
            .Where(x => prescriberIds.Contains(x.ReferentUserId))
            .OrderBy(x => x.LastName)
            .ToListAsync(Ct);
        var pick = found.First();
        var email = await db.Users.Where(u => u.Id == pick.ReferentUserId).Select(u => u.Email).SingleAsync(Ct);
        return (pick.SessionId, pick.Id, $"{pick.LastName.ToUpperInvariant()} {pick.FirstName}", email.Split('@')[0]);
    }

    [Fact]
    public async Task TrainingBody_RefusesACandidateWithReasons_ThePrescribersOpenDashboardShowsThemLive_S7_S1()
    {
        var (sessionId, prescriptionId, candidate, account) = await AttendedCandidateAsync();

        // The prescriber's dashboard is open.
        await using var prescriberContext = await server.ContextForAsync(account);
        var dashboard = await prescriberContext.NewPageAsync();
        await dashboard.GotoAsync("/");
        await dashboard.WaitForInteractiveAsync();
        var candidateRow = dashboard.Locator("tbody tr", new() { HasText = candidate });
        await Assertions.Expect(candidateRow).ToBeVisibleAsync();
        var choice = candidateRow.Locator($"[data-session-id='{sessionId}']");
        await Assertions.Expect(choice).ToContainTextAsync(PrescriptionStatus.Attended.Label());

        // The OF opens the decisions screen from the session page.
        await using var ofContext = await server.ContextForAsync("julie.moreau");
        var page = await ofContext.NewPageAsync();
        await page.GotoAsync($"/sessions/{sessionId}");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Décisions de sélection" }).ClickAsync();
        await page.WaitForURLAsync($"**/sessions/{sessionId}/decisions");
        var row = page.Locator($"tr[data-prescription-id='{prescriptionId}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(page, "of-decisions-screen");

        // Keyboard: focus the row, R opens the refusal with reasons.
        await row.GetByRole(AriaRole.Checkbox).FocusAsync();
        await page.Keyboard.PressAsync("r");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = $"Refuser {candidate}" })).ToBeVisibleAsync();
        await dialog.GetByText("Maîtrise des savoirs de base (lecture, calcul)").ClickAsync();
        await dialog.GetByText("Candidat indisponible aux dates de la session").ClickAsync();
        await Assertions.Expect(dialog.GetByLabel("Explication pour le candidat")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("Maîtrise des savoirs de base"));
        await dialog.GetByLabel("Explication pour le prescripteur").FillAsync("Calcul non acquis au positionnement ; une remise à niveau est conseillée.");
        await PortalServer.ScreenshotAsync(page, "of-non-selection-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Refuser avec ces motifs" }).ClickAsync();

        await Assertions.Expect(page.GetByText($"{candidate} : non retenu(e), motifs transmis au prescripteur.")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync("Prérequis non atteints : Maîtrise des savoirs de base (lecture, calcul)");

        // Without reload, the prescriber sees the refusal, its reasons and the explanation written for them.
        await Assertions.Expect(choice).ToContainTextAsync(PrescriptionStatus.NotSelected.Label());
        var reasons = candidateRow.Locator("[data-testid='decision-reasons']");
        await Assertions.Expect(reasons).ToContainTextAsync("Prérequis non atteints : Maîtrise des savoirs de base (lecture, calcul) ; Candidat indisponible aux dates de la session");
        await Assertions.Expect(reasons).ToContainTextAsync("Calcul non acquis au positionnement");
        await PortalServer.ScreenshotAsync(dashboard, "prescriber-sees-refusal-live");
    }
}
