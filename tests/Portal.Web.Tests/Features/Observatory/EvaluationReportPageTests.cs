using Bunit;
using MudBlazor;
using Portal.Testing;
using Portal.Web.Features.Observatory;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Observatory;

/// <summary>Q4: the evaluation report's screen: its three axes with their tables and exports, and printing.</summary>
public sealed class EvaluationReportPageTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    private IRenderedComponent<EvaluationReportPage> RenderLoaded()
    {
        Render<MudPopoverProvider>();
        var cut = Render<EvaluationReportPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='table-lisibilite']").ShouldNotBeEmpty());
        return cut;
    }

    [Fact]
    public async Task EvaluationReport_ShowsTheThreeAxes_TheLastFourQuarters_AndTheirExports_Q4()
    {
        await AuthorizeAsAsync(TestUsers.Claire);

        var cut = RenderLoaded();

        cut.FindAll("h2").Select(h => h.Shown()).ShouldBe(["1. Conformité à la charte", "2. Amélioration dans le temps", "3. Impact sur l'accès des publics fragiles"]);
        // Demo data is seeded on 27 November 2026: the four quarters up to then.
        cut.Find("[data-testid='table-lisibilite'] tbody").QuerySelectorAll("tr th").Select(th => th.Shown())
            .ShouldBe(["T1 2026", "T2 2026", "T3 2026", "T4 2026"]);
        cut.Find("[data-testid='table-dialogue'] a[aria-label$='en XLSX']").GetAttribute("href")
            .ShouldBe("/api/observatoire/evaluation/dialogue.xlsx?du=2026-01-01&au=2026-11-27");
        cut.Find("[data-testid='table-acces']").Shown().ShouldContain("Période précédente");
        var conformity = cut.Find("[data-testid='table-conformite']");
        conformity.Shown().ShouldContain("Organismes de formation au seuil");
        conformity.QuerySelectorAll("tbody tr th").Select(th => th.Shown()).ShouldContain("Fiches de prescription complètes (%)");
        conformity.QuerySelector("a[aria-label$='en CSV']")!.GetAttribute("href").ShouldBe("/api/observatoire/evaluation/conformite.csv?du=2026-01-01&au=2026-11-27");
    }

    [Fact]
    public async Task EvaluationReport_Print_AsksTheBrowserToPrint()
    {
        await AuthorizeAsAsync(TestUsers.Nicolas);
        var cut = RenderLoaded();

        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.Shown() == "Imprimer (A4)").Click());

        JSInterop.VerifyInvoke("print");
    }
}
