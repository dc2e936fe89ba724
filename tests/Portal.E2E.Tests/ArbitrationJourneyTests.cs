using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Application.Abstractions;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #5, S10 and A7: a prescriber contests a refusal (Nadia Chevalier's, demo data, in Gironde); the MFE du Médoc
/// sees the case arrive live on *Arbitrages*, reads it and overturns it; the prescriber's open prescription page shows
/// the outcome without reload. Then the prescriber gives the candidate a personal link, which opens without login.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class ArbitrationJourneyTests(PortalServer server)
{
    private async Task<Guid> NadiasPrescriptionAsync()
    {
        await using var db = await server.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync();
        return await db.AllPrescriptions
            .Where(p => db.AllCandidates.Any(c => c.Id == p.CandidateId && c.FirstName == "Nadia" && c.LastName == "Chevalier"))
            .Select(p => p.Id).SingleAsync();
    }

    [Fact]
    public async Task Prescriber_ContestsARefusal_TheMfeOverturnsIt_AndThePrescriberSeesItLive_S10_A7()
    {
        var prescriptionId = await NadiasPrescriptionAsync();

        // The MFE du Médoc has its Arbitrages screen open.
        await using var mfeContext = await server.ContextForAsync("aurelie.fournier");
        var mfePage = await mfeContext.NewPageAsync();
        var arbitrages = new ArbitrationsScreen(mfePage);
        await arbitrages.OpenAsync();

        // The prescriber contests the refusal from the prescription's page.
        await using var context = await server.ContextForAsync("camille.durand");
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/prescriptions/{prescriptionId}");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nadia Chevalier – choix n° 1", Level = 1 })).ToBeVisibleAsync();
        var panel = new PrescriptionArbitrationPanel(page);
        await panel.ContestAsync("Le projet logistique de Mme Chevalier est validé par une immersion de deux semaines chez un logisticien de Mérignac ; elle est disponible aux dates de la session.");
        await Assertions.Expect(panel.Status).ToContainTextAsync("MFE du Médoc");
        await PortalServer.ScreenshotAsync(page, "prescriber-arbitration-requested");

        // The case arrives live on the MFE's screen.
        await Assertions.Expect(arbitrages.Row("Nadia Chevalier")).ToContainTextAsync("En cours d'arbitrage", new() { Timeout = 10_000 });
        await PortalServer.ScreenshotAsync(mfePage, "mfe-arbitrages");

        // The MFE reads the case (criteria S12, history, arguments) and overturns the refusal.
        await arbitrages.OpenCaseAsync("Nadia Chevalier");
        await Assertions.Expect(mfePage.GetByTestId("selection-criteria")).ToContainTextAsync("Projet professionnel dans la logistique validé");
        await Assertions.Expect(mfePage.GetByTestId("prescriber-argument")).ToContainTextAsync("immersion de deux semaines");
        await PortalServer.ScreenshotAsync(mfePage, "mfe-arbitration-case");
        await arbitrages.OverturnAsync("Retenue", "L'immersion valide le projet professionnel : le motif principal du refus tombe.");
        await PortalServer.ScreenshotAsync(mfePage, "mfe-arbitration-decided");

        // The prescriber's open page shows the outcome and the new status without reload.
        await Assertions.Expect(panel.Outcome).ToContainTextAsync("décision infirmée, nouvelle décision : Retenue", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator(".mud-timeline-item").Last).ToContainTextAsync("Décision de l'arbitrage (S10)");
        await PortalServer.ScreenshotAsync(page, "prescriber-arbitration-outcome");

        // A7: the prescriber gives Nadia her personal link; it opens without login and shows her own follow-up.
        var candidateId = await CandidateOfAsync(prescriptionId);
        await page.GotoAsync($"/candidats/{candidateId}");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer un lien personnel" }).ClickAsync();
        var url = await page.GetByTestId("new-link").Locator("input").InputValueAsync();
        url.ShouldContain("/mon-suivi/");
        await PortalServer.ScreenshotAsync(page, "prescriber-candidate-link");

        await using var anonymous = await server.ContextForAsync(null);
        var candidatePage = await anonymous.NewPageAsync();
        await candidatePage.GotoAsync(url);
        await Assertions.Expect(candidatePage.GetByRole(AriaRole.Heading, new() { Name = "Bonjour Nadia", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(candidatePage.GetByTestId("follow-up-status").First).ToContainTextAsync("vous êtes retenu");
        await PortalServer.ScreenshotAsync(candidatePage, "candidate-follow-up");
    }

    private async Task<Guid> CandidateOfAsync(Guid prescriptionId)
    {
        await using var db = await server.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync();
        return await db.AllPrescriptions.Where(p => p.Id == prescriptionId).Select(p => p.CandidateId).SingleAsync();
    }
}
