using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Features.Catalogue;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Catalogue;

/// <summary>The public catalogue, anonymous, on the shared demo database (nothing here changes a row).</summary>
public sealed class CataloguePageTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    private IRenderedComponent<CataloguePage> RenderLoaded(string url = "/catalogue")
    {
        // [SupplyParameterFromQuery] reads the address, as on a shared search URL.
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        var cut = Render<CataloguePage>();
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        return cut;
    }

    private static List<string> TitlesShown(IRenderedComponent<CataloguePage> cut) =>
        [.. cut.FindAll("[data-fiche-id] h3").Select(h => h.Shown())];

    [Fact]
    public void Catalogue_Anonymous_ListsTheValidatedOffer_SoonestSessionFirst_WithOpenPlaces_O8()
    {
        var cut = RenderLoaded();

        cut.Find("h1").Shown().ShouldBe("Catalogue des formations");
        cut.Find("[data-testid='catalogue-total']").Shown().ShouldBe("4 formations trouvées");
        TitlesShown(cut).ShouldBe(["Développeur web et web mobile", "Préparation au titre de cariste d'entrepôt (CACES R489)",
            "Préparation aux concours d'aide-soignant", "Maçon du bâti ancien"]);
        var caces = cut.FindAll("[data-fiche-id]")[1];
        caces.QuerySelector("a")!.GetAttribute("href").ShouldBe($"/catalogue/{caces.GetAttribute("data-fiche-id")}");
        caces.Shown().ShouldContain("Formapro Gironde · Entrées groupées");
        caces.QuerySelector("[data-testid='open-places']")!.Shown().ShouldBe("12 places ouvertes sur 12");
        caces.Shown().ShouldContain("à Mérignac");
        Text.EnumNamesIn(string.Concat(cut.Nodes.Select(n => n.TextContent))).ShouldBeEmpty();
    }

    [Fact]
    public void Catalogue_WithASearchInTheQueryString_ShowsOnlyItsResults()
    {
        var cut = RenderLoaded("/catalogue?commune=64445&rayon=10");

        TitlesShown(cut).ShouldBe(["Préparation aux concours d'aide-soignant", "Maçon du bâti ancien"]);
        cut.Find("[data-testid='catalogue-total']").Shown().ShouldBe("2 formations trouvées près de Pau");
        cut.Find("[data-fiche-id] li[data-session-id]").Shown().ShouldContain("à Pau");
        cut.FindAll("[data-fiche-id]")[1].Shown().ShouldContain("à Lescar (7");
    }

    [Fact]
    public void Catalogue_NoMatch_ExplainsWhatToTry()
    {
        var cut = RenderLoaded("/catalogue?q=astronaute");

        TitlesShown(cut).ShouldBeEmpty();
        var empty = cut.Find("[data-testid='catalogue-empty']").Shown();
        empty.ShouldContain("Aucune formation ne correspond à votre recherche.");
        empty.ShouldContain("une distance plus grande");
    }

    [Fact]
    public void Catalogue_EveryFieldHasALabel()
    {
        var cut = RenderLoaded();

        foreach (var id in new[] { "catalogue-words", "catalogue-job", "catalogue-commune" })
        {
            cut.Find($"input#{id}");
            cut.Find($"label[for='{id}']").Shown().ShouldNotBeEmpty();
        }
        string[] expectedLabel = ["Mots-clés", "Métier ou code ROME", "Commune", "Distance",
            "Début à partir du", "Début au plus tard le", "Mode d'entrée"];
        expectedLabel.ShouldBeSubsetOf(cut.FindAll("label").Select(l => l.Shown()).ToList());
        cut.Find("form[role='search']");
    }

    [Fact]
    public void Catalogue_Submit_PutsTheSearchInTheQueryString()
    {
        var cut = RenderLoaded("/catalogue?entree=permanentes");

        cut.Find("input#catalogue-words").Input("cariste");
        cut.Find("form").Submit();

        var uri = Services.GetRequiredService<NavigationManager>().Uri;
        // The router renders the page again for the new address (the other tests render such addresses).
        uri.ShouldEndWith("/catalogue?q=cariste&entree=permanentes");
    }
}
