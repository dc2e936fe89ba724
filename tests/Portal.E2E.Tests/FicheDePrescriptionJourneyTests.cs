using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #13, point 1 (P3, P4, P5, P7): through the real login, the OF opens a candidate's fiche de prescription from
/// its session, reads it beside the documents and the fiche complément, then prints it; the session's fiches print
/// one page per candidate.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed partial class FicheDePrescriptionJourneyTests(PortalServer server)
{
    [Fact]
    public async Task TrainingBody_OpensTheFicheFromItsSession_AndPrintsItOnePagePerCandidate_P3_P4_P5_P7()
    {
        await using var context = await server.ContextForAsync("julie.moreau");
        var of = await context.NewPageAsync();
        await of.GotoAsync("/");
        await of.WaitForInteractiveAsync();
        await of.GetByRole(AriaRole.Link, new() { Name = "Préparation au titre de cariste d'entrepôt (CACES R489)" }).First.ClickAsync();
        await of.WaitForURLAsync("**/sessions/**");
        await of.WaitForInteractiveAsync();
        var sessionPath = new Uri(of.Url).AbsolutePath;
        await of.GetByTestId("open-fiche").First.WaitForAsync();
        var candidates = await of.GetByTestId("open-fiche").CountAsync(); // one page of the table holds the whole session (demo data)
        candidates.ShouldBeGreaterThan(1);

        // The fiche, from the first candidate's link.
        var first = of.GetByTestId("open-fiche").First;
        var name = (await first.InnerTextAsync()).Trim();
        await first.ClickAsync();
        await of.WaitForURLAsync("**/prescriptions/**");
        await of.WaitForInteractiveAsync();
        var fiche = of.GetByTestId("fiche-prescription");
        await Assertions.Expect(fiche).ToBeVisibleAsync();
        await Assertions.Expect(fiche.Locator("tr[data-field='prior-path'] th")).ToHaveTextAsync("Acquis et parcours antérieur (P7)");
        await Assertions.Expect(fiche.Locator("tr[data-field='prior-path'] td")).ToHaveTextAsync("CAP obtenu, deux ans d'intérim dans le secteur visé.");
        await Assertions.Expect(fiche.Locator("tr[data-field='barriers'] td")).ToHaveTextAsync("Mobilité : aide au permis mobilisée.");
        await Assertions.Expect(of.GetByRole(AriaRole.Heading, new() { Name = "Documents joints" })).ToBeVisibleAsync();
        await Assertions.Expect(of.GetByRole(AriaRole.Heading, new() { Name = "Fiche complément" })).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(of, "of-reads-fiche-de-prescription");

        // "Imprimer la fiche" opens the print page in a new tab.
        var popup = await of.RunAndWaitForPopupAsync(() => of.GetByTestId("print-fiche").ClickAsync());
        await popup.WaitForLoadStateAsync();
        await Assertions.Expect(popup.GetByTestId("fiche-page")).ToHaveCountAsync(1);
        await Assertions.Expect(popup.GetByTestId("fiche-page").Locator("h2")).ToHaveTextAsync(name);
        await Assertions.Expect(popup.GetByTestId("print-button")).ToBeVisibleAsync();
        // The button opens the browser's print dialog under the CSP (script-src 'self', no inline handler): print is stubbed to observe it.
        await popup.EvaluateAsync("() => { window.__printed = 0; window.print = () => { window.__printed++; }; }");
        await popup.GetByTestId("print-button").ClickAsync();
        (await popup.EvaluateAsync<int>("() => window.__printed")).ShouldBe(1);
        await PortalServer.ScreenshotAsync(popup, "of-fiche-print-page");
        await popup.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(popup.GetByTestId("print-toolbar")).ToBeHiddenAsync();
        await PortalServer.ScreenshotAsync(popup, "of-fiche-print-media");

        // The whole session: as a PDF from the browser, one A4 page per candidate.
        var session = await context.NewPageAsync();
        await session.GotoAsync($"{sessionPath}/fiches/imprimer");
        await Assertions.Expect(session.GetByTestId("fiche-page")).ToHaveCountAsync(candidates);
        var pdf = await session.PdfAsync(new() { Format = "A4", PrintBackground = true });
        PdfPages().Matches(Encoding.Latin1.GetString(pdf)).Count.ShouldBe(candidates);
        await File.WriteAllBytesAsync(Path.Combine(PortalServer.ScreenshotDirectory, "of-session-fiches.pdf"), pdf);

        // Another OF's session: not found.
        await using var otherContext = await server.ContextForAsync("thomas.laurent");
        var other = await otherContext.NewPageAsync();
        var response = await other.GotoAsync($"{sessionPath}/fiches/imprimer");
        response!.Status.ShouldBe(404);
        await Assertions.Expect(other.GetByTestId("fiche-page")).ToHaveCountAsync(0);
    }

    /// <summary>A page object of the PDF (not the page tree, "/Type /Pages").</summary>
    [GeneratedRegex(@"/Type\s*/Page(?!s)")]
    private static partial Regex PdfPages();
}
