using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Features.Catalogue;
using Portal.Web.Tests.Infrastructure;
using Portal.Testing;

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
        // O8: 12 places, 2 held by the candidates the demo selected on it.
        caces.QuerySelector("[data-testid='open-places']")!.Shown().ShouldBe("10 places ouvertes sur 12");
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
    public void Catalogue_SearchForm_IsAPlainGetFormOfTheQueryString()
    {
        var cut = RenderLoaded("/catalogue?entree=permanentes");

        // Static server rendering (issue #12): no circuit, the browser itself puts the fields in the address.
        var form = cut.Find("form[role='search']");
        form.GetAttribute("method").ShouldBe("get");
        form.GetAttribute("action").ShouldBe("/catalogue");
        form.QuerySelectorAll("[name]").Select(f => f.GetAttribute("name")).ShouldBe(["q", "metier", "commune", "rayon", "du", "au", "entree"]);
        form.QuerySelector("select[name='entree'] option[selected]")!.GetAttribute("value").ShouldBe("permanentes");
        form.QuerySelector("button[type='submit']")!.Shown().ShouldBe("Rechercher");
    }

    [Fact]
    public void Catalogue_FormSubmission_IsRedirectedToTheCanonicalSearchAddress()
    {
        // What a browser sends: every field, empty ones too, and the commune as typed.
        RenderLoaded("/catalogue?q=cariste&metier=&commune=Pau+%2864%29&rayon=10&du=&au=&entree=permanentes");

        Services.GetRequiredService<NavigationManager>().Uri.ShouldEndWith("/catalogue?q=cariste&commune=64445&rayon=10&entree=permanentes");
    }

    [Fact]
    public void Catalogue_UnknownCommune_SaysSo()
    {
        var cut = RenderLoaded("/catalogue?commune=Atlantide");

        cut.Find("[data-testid='commune-unknown']").Shown().ShouldStartWith("Commune introuvable");
        cut.Find("input#catalogue-commune").GetAttribute("aria-invalid").ShouldBe("true");
        cut.Find("[data-testid='catalogue-empty']");
    }

    [Fact]
    public void Catalogue_Pages_AreLinksToTheirAddress()
    {
        var cut = RenderLoaded("/catalogue");

        // Four demo fiches on pages of ten: one page, no pager; the links come from the page's own address.
        cut.FindAll("[data-testid='catalogue-pages']").ShouldBeEmpty();
        CatalogueResults.PagesAround(5, 12).ShouldBe([1, 3, 4, 5, 6, 7, 12]);
    }
}
