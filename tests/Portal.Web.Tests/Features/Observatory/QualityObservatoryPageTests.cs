using Bunit;
using MudBlazor;
using Portal.Testing;
using Portal.Web.Features.Observatory;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Observatory;

/// <summary>Q1: the quality observatory's screen on the demo data: a table per kind of actor with exports, flagged cells, French refusals.</summary>
public sealed class QualityObservatoryPageTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    private IRenderedComponent<QualityObservatoryPage> RenderLoaded()
    {
        Render<MudPopoverProvider>();
        var cut = Render<QualityObservatoryPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='table-organismes']").ShouldNotBeEmpty());
        return cut;
    }

    [Fact]
    public async Task QualityObservatory_ShowsATablePerActorKind_WithExports_AndMarksCellsBelowThresholdWithASign_Q1()
    {
        await AuthorizeAsAsync(TestUsers.Nicolas);
        var today = Portal.Domain.Offer.TrainingSession.Today(Clock.GetUtcNow());

        var cut = RenderLoaded();

        foreach (var key in new[] { "conformite", "organismes", "prescripteurs", "territoires", "entrees-eos", "seuils" })
            cut.FindAll($"[data-testid='table-{key}']").ShouldHaveSingleItem();
        // The chart of the actors meeting each threshold, with its table (the conformity) right below.
        cut.Find("[aria-label^='Pour chaque indicateur, part des organismes de formation']").ShouldNotBeNull();
        cut.Find("[data-testid='table-conformite']").Shown().ShouldContain("Structures prescriptrices au seuil");
        cut.Find("[data-testid='table-organismes']").Shown().ShouldContain("Formapro Gironde");
        cut.Find("[data-testid='table-seuils']").Shown().ShouldContain("Non-sélections motivées explicitement (%)");
        cut.Find("[data-testid='table-prescripteurs'] a[aria-label$='en XLSX']").GetAttribute("href")
            .ShouldBe($"/api/observatoire/qualite/prescripteurs.xlsx?du={today.AddYears(-1).AddDays(1):yyyy-MM-dd}&au={today:yyyy-MM-dd}");
        // Every flagged cell carries a sign and words, not colour alone.
        cut.FindAll("td[data-flagged]").ShouldAllBe(td => td.TextContent.Contains('⚠') && td.TextContent.Contains("seuil non atteint"));
        // Issue #12: when the (shared) figures were computed, in Paris time.
        var paris = TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        cut.Find("[data-testid='computed-at']").Shown().ShouldContain($"le {paris:dd/MM/yyyy} à {paris:HH:mm:ss}");
    }

    [Fact]
    public async Task QualityObservatory_AnInvertedPeriod_IsRefusedInFrench_Q1()
    {
        await AuthorizeAsAsync(TestUsers.Claire);
        var cut = RenderLoaded();

        var du = cut.FindAll(".mud-input-control").First(c => c.QuerySelector("label")?.Shown() == "Du").QuerySelector("input")!;
        du.Change("01/06/2027");
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.Shown() == "Afficher").Click());

        cut.WaitForAssertion(() => cut.Find("[role='alert']").Shown().ShouldBe("La fin de la période doit suivre son début."));
        cut.FindAll("[data-testid='table-organismes']").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task TheRegion_ChangesAThreshold_AndTheThresholdsTableShowsIt_OthersHaveNoForm_Q1()
    {
        await AuthorizeAsAsync(TestUsers.Claire);
        var cut = RenderLoaded();
        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<string>>().Instance.SelectOption("motifs-explicites"));
        cut.Find("[data-testid='threshold-form'] .mud-input-control:nth-of-type(2) input").Change("80");
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.Shown() == "Enregistrer le seuil").Click());

        cut.WaitForAssertion(() => cut.Find("[role='status']").Shown().ShouldBe("Seuil enregistré."));
        cut.WaitForAssertion(() => cut.Find("[data-testid='table-seuils']").QuerySelectorAll("tbody tr")
            .Single(r => r.QuerySelector("th")!.Shown() == "Non-sélections motivées explicitement (%)").Children[2].Shown().ShouldBe("80,0 %"));
    }

    [Fact]
    public async Task TheCarif_HasNoThresholdForm_Q1()
    {
        await AuthorizeAsAsync(TestUsers.Nicolas);
        RenderLoaded().FindAll("[data-testid='threshold-form']").ShouldBeEmpty();
    }
}
