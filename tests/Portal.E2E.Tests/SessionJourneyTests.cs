using System.Globalization;
using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>The OF creates a session of a validated fiche from "Mes sessions" (O2, O4).</summary>
[Collection(PortalServerCollection.Name)]
public sealed class SessionJourneyTests(PortalServer server)
{
    [Fact]
    public async Task TrainingBody_CreatesASessionInsideThe120DayWindow_ItOpensAtOnce_O4()
    {
        await using var context = await server.ContextForAsync("thomas.laurent");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        var before = await page.Locator("tbody tr").CountAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Nouvelle session" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = "Nouvelle session" })).ToBeVisibleAsync();

        var today = DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime);
        string D(int days) => today.AddDays(days).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        await dialog.GetByLabel("Date de début").FillAsync(D(100));
        await dialog.GetByLabel("Date de fin").FillAsync(D(200));
        await dialog.GetByLabel("Date limite d'inscription").FillAsync(D(90));
        await dialog.GetByLabel("Capacité (places)").FillAsync("14");
        await dialog.GetByLabel("Lieu de formation (commune)").FillAsync("Orthez");
        await page.GetByText("Orthez (64)").First.ClickAsync();
        await PortalServer.ScreenshotAsync(page, "of-new-session-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Créer la session" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Session créée.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(before + 1);
        var created = page.Locator("tbody tr", new() { HasText = $"du {D(100)}" });
        await Assertions.Expect(created).ToContainTextAsync("Ouverte");
        await Assertions.Expect(created).ToContainTextAsync("14");
        await PortalServer.ScreenshotAsync(page, "of-session-created");
    }
}
