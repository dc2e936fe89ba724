using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>The public catalogue, anonymous, with the keyboard only (issue #3 item 4).</summary>
[Collection(PortalServerCollection.Name)]
public sealed class CatalogueTests(PortalServer server)
{
    [Fact]
    public async Task Catalogue_Anonymous_SearchesWithTheKeyboard_AndOpensAFiche()
    {
        await using var context = await server.ContextForAsync(null);
        var page = await context.NewPageAsync();
        var catalogue = new CataloguePage(page);
        await catalogue.OpenAsync();
        // The demo offer (4 fiches with open sessions) and whatever other journeys of this run added.
        await Assertions.Expect(catalogue.Results.Nth(3)).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(page, "catalogue");
        // Enhanced navigation swaps the page in place: a value left on window survives it, a full reload would lose it.
        await page.EvaluateAsync("() => window.portalSamePage = true");

        await catalogue.TypeCommuneWithKeyboardAsync("Pau");
        await catalogue.SearchWithKeyboardAsync("aide soignant");

        // The plain GET form, answered with the canonical address of the search (commune by its INSEE code).
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/catalogue\?q=aide(\+|%20)soignant&commune=64445$"));
        await Assertions.Expect(catalogue.Total).ToHaveTextAsync("1 formation trouvée près de Pau");
        await Assertions.Expect(catalogue.Results).ToHaveCountAsync(1);
        // O8: 20 places, 2 held by the candidates the demo selected on the session.
        await Assertions.Expect(catalogue.Results.First).ToContainTextAsync("18 places ouvertes sur 20");
        await Assertions.Expect(page.GetByLabel("Commune", new() { Exact = true })).ToHaveValueAsync("Pau (64)");
        (await page.EvaluateAsync<bool>("() => window.portalSamePage === true")).ShouldBeTrue("the search reloaded the whole page instead of an enhanced navigation");
        await PortalServer.ScreenshotAsync(page, "catalogue-search");

        await catalogue.OpenResultWithKeyboardAsync("Préparation aux concours d'aide-soignant");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Préparation aux concours d'aide-soignant", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Comment se passe la sélection", Level = 2 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("selection-criteria").GetByRole(AriaRole.Listitem)).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("open-places")).ToHaveTextAsync("18 places ouvertes sur 20");
        await PortalServer.ScreenshotAsync(page, "catalogue-fiche");

        // Static server rendering (issue #12): the whole visit never opened a circuit.
        (await catalogue.OpenedACircuitAsync()).ShouldBeFalse();
        await Assertions.Expect(page.Locator("main[data-interactive='false']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Catalogue_Anonymous_PassesAnAccessibilityScan()
    {
        await using var context = await server.ContextForAsync(null);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/catalogue?q=formation&commune=33063&rayon=30");
        await Assertions.Expect(new CataloguePage(page).Heading).ToBeVisibleAsync();

        // All of axe's rules (best practices too), and no violation of any impact.
        var violations = await Axe.RunAsync(page);

        Axe.Describe("/catalogue", violations).ShouldBeEmpty();
    }

    [Fact]
    public async Task Catalogue_LinkFromASignedInScreen_LeavesTheCircuit_AndBackHomeIsInteractive()
    {
        await using var context = await server.ContextForAsync("camille.durand");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();

        // From an interactive page, the router leaves interactive routing for a static page (a full load).
        await page.GetByRole(AriaRole.Link, new() { Name = "Catalogue", Exact = true }).ClickAsync();
        await Assertions.Expect(new CataloguePage(page).Heading).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main[data-interactive='false']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("current-user")).ToContainTextAsync("Camille Durand");

        // And back: the dashboard starts its circuit again.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Menu principal" }).GetByRole(AriaRole.Link, new() { Name = "Mes candidats" }).ClickAsync();
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mes candidats", Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Offer_Prescriber_SeesTheCatalogueWithOpenPlaces_AndTheRegionalOrderSection()
    {
        await using var context = await server.ContextForAsync("camille.durand");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/offre");
        await page.WaitForInteractiveAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Offre de formation", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Commande régionale", Level = 2 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-fiche-id]").Nth(3)).ToBeVisibleAsync(); // at least the 4 demo fiches
        await Assertions.Expect(page.GetByTestId("open-places").First).ToContainTextAsync("places ouvertes sur");
        await PortalServer.ScreenshotAsync(page, "offre-prescriber");
    }
}
