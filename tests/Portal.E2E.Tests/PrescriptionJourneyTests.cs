using System.Globalization;
using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #4's journey: a prescriber creates a candidate, prescribes on three sessions (P7, S12), cannot add a
/// fourth (P6), opens a fiche complément that the OF answers, seen live (P8); the OF's sessions show the new
/// prescriptions live.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class PrescriptionJourneyTests(PortalServer server)
{
    [Fact]
    public async Task Prescriber_CreatesACandidate_PrescribesThreeChoices_AndTalksWithTheOf_Live_P6_P7_P8()
    {
        await using var ofContext = await server.ContextForAsync("julie.moreau");
        var ofPage = await ofContext.NewPageAsync();
        await ofPage.GotoAsync("/");
        await ofPage.WaitForInteractiveAsync();
        var cacesRow = ofPage.Locator("tr", new() { HasText = "cariste" }).First;
        var prescriptionsCell = cacesRow.Locator("td[data-label='Prescriptions reçues']");
        var before = int.Parse(await prescriptionsCell.InnerTextAsync(), CultureInfo.InvariantCulture);

        await using var context = await server.ContextForAsync("ines.petit");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();

        // A new candidate.
        await JourneySteps.CreateCandidateAsync(page, "Awa", "Sissoko", "14/05/2003", "Pessac", "Pessac (33)", rqth: true);

        // Three choices, the first on the CACES session of Julie's training body.
        // Each session is recognised by one of its fiche's selection criteria (S12), shown in the dialog.
        foreach (var (words, criterion) in new[] { ("cariste", "port de charges"), ("aide-soignant", "Niveau 3"), ("Maçon", "travail en hauteur") })
            await JourneySteps.PrescribeAsync(page, words, criterion);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choix de formation (3 / 3)" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Prescrire sur une session" })).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByText("Trois choix en cours : annulez-en un")).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(page, "prescriber-candidate-three-choices");

        // The OF's "Mes sessions" counted the new prescription without a reload.
        await Assertions.Expect(prescriptionsCell).ToHaveTextAsync((before + 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = 10_000 });

        // Fiche complément: the prescriber opens it, the OF answers, the prescriber sees the answer live.
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("cariste") }).ClickAsync();
        await page.WaitForURLAsync("**/prescriptions/**");
        await page.WaitForInteractiveAsync();
        var prescriptionUrl = page.Url;
        await page.GetByLabel("Public fragile").CheckAsync();
        await page.GetByLabel("Premier message").FillAsync("Mme Sissoko est en situation de handicap : merci de l'appeler avant l'information collective.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ouvrir la fiche complément" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("complement-messages")).ToContainTextAsync("merci de l'appeler");

        var ofThread = await ofContext.NewPageAsync();
        await ofThread.GotoAsync(prescriptionUrl);
        await ofThread.WaitForInteractiveAsync();
        await Assertions.Expect(ofThread.GetByText("Public fragile").First).ToBeVisibleAsync();
        await ofThread.GetByLabel("Votre message").FillAsync("Bien noté, nous l'appelons demain matin.");
        await ofThread.GetByRole(AriaRole.Button, new() { Name = "Envoyer" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("complement-messages")).ToContainTextAsync("nous l'appelons demain matin", new() { Timeout = 5_000 });
        await PortalServer.ScreenshotAsync(page, "prescriber-fiche-complement");
    }
}
