using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>Q3, Q4 in the browser: a prescriber-side user exports a large list, follows it in "Mes exports", then downloads it.</summary>
[Collection(PortalServerCollection.Name)]
public sealed class ExportJourneyTests(PortalServer server)
{
    [Fact]
    public async Task Q3_Referent_ExportsTheOrganisationsCandidates_SeesTheProgress_ThenDownloadsTheFile()
    {
        await using var context = await server.ContextForAsync("sophie.bernard");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/organisation");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Candidats de l'organisation", Level = 1 })).ToBeVisibleAsync();

        await PortalServer.ScreenshotAsync(page, "exports-buttons-organisation");

        // More rows than the E2E server's threshold (3): the export is queued and the browser goes to "Mes exports".
        await page.GetByTestId("export-candidats-organisation").GetByTestId("export-csv").ClickAsync();
        await page.WaitForURLAsync("**/exports?nouveau=**");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mes exports", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("export-queued")).ToBeVisibleAsync();
        var exportId = page.Url[(page.Url.IndexOf("nouveau=", StringComparison.Ordinal) + "nouveau=".Length)..];
        var row = page.Locator($"[data-export-id='{exportId}']");
        await Assertions.Expect(row.GetByTestId("export-progress")).ToBeVisibleAsync();
        await Assertions.Expect(row.GetByTestId("export-rows")).ToContainTextAsync("ligne(s) écrite(s)");
        await page.WaitForInteractiveAsync();
        await PortalServer.ScreenshotAsync(page, "exports-in-progress");

        // The job finishes: live, the progress gives way to the download link.
        var link = row.GetByTestId("export-download");
        await Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(row.GetByTestId("export-status")).ToHaveTextAsync("Prêt");
        await Assertions.Expect(row.GetByTestId("export-progress")).ToHaveCountAsync(0);
        await PortalServer.ScreenshotAsync(page, "exports-ready");

        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        download.SuggestedFilename.ShouldStartWith("candidats-organisation-");
        download.SuggestedFilename.ShouldEndWith(".csv");
        var path = await download.PathAsync();
        var lines = (await File.ReadAllLinesAsync(path!)).Where(l => l.Length > 0).ToList();
        lines[0].ShouldBe("Candidat;Commune;Suivi par;À traiter;Dernier événement;Choix (au plus 3)");
        lines.Count.ShouldBeGreaterThan(4);
    }
}
