using Microsoft.Playwright;
using Portal.Testing;

namespace Portal.E2E.Tests;

/// <summary>S11 and S6 screens in the browser: the Région imports an EOS export; a prescriber opens "Mes préférences".</summary>
[Collection(PortalServerCollection.Name)]
public sealed class EosCoherenceTests(PortalServer server)
{
    [Fact]
    public async Task S11_Region_ImportsAnEosExport_AndReadsTheAnomalies()
    {
        await using var context = await server.ContextForAsync("claire.lefevre");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Menu principal" }).GetByRole(AriaRole.Link, new() { Name = "Cohérence EOS" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cohérence avec EOS", Level = 1 })).ToBeVisibleAsync();
        await page.WaitForInteractiveAsync();

        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "export_eos_entrees.csv",
            MimeType = "text/csv",
            Buffer = EosFiles.Windows1252(EosFiles.Realistic),
        });

        var table = page.GetByTestId("eos-anomalies");
        await Assertions.Expect(table.Locator("tr", new() { HasText = "Théo LACOSTE" })).ToContainTextAsync("Entrée dans EOS sans prescription dans le portail");
        await Assertions.Expect(table.Locator("tr", new() { HasText = "Jérôme Castaing" })).ToContainTextAsync("Entrée dans le portail absente d'EOS");
        await Assertions.Expect(page.GetByTestId("eos-summary")).ToContainTextAsync("« export_eos_entrees.csv »");
        await Assertions.Expect(page.GetByTestId("eos-export")).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(page, "eos-coherence-region");
    }

    [Fact]
    public async Task S6_Prescriber_FindsTheEmailOptOut_InMesPreferences()
    {
        await using var context = await server.ContextForAsync("lea.garcia");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Menu principal" }).GetByRole(AriaRole.Link, new() { Name = "Mes préférences" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mes préférences", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Recevoir ces e-mails")).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(page, "preferences-prescriber");
    }
}
