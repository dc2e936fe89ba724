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

        await catalogue.ChooseCommuneWithKeyboardAsync("Pau", "Pau (64)");
        await catalogue.SearchWithKeyboardAsync("aide soignant");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/catalogue\?q=aide(\+|%20)soignant&commune=64445$"));
        await Assertions.Expect(catalogue.Total).ToHaveTextAsync("1 formation trouvée près de Pau");
        await Assertions.Expect(catalogue.Results).ToHaveCountAsync(1);
        await Assertions.Expect(catalogue.Results.First).ToContainTextAsync("20 places ouvertes sur 20");
        await PortalServer.ScreenshotAsync(page, "catalogue-search");

        await catalogue.OpenResultWithKeyboardAsync("Préparation aux concours d'aide-soignant");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Préparation aux concours d'aide-soignant", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Comment se passe la sélection", Level = 2 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("selection-criteria").GetByRole(AriaRole.Listitem)).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("open-places")).ToHaveTextAsync("20 places ouvertes sur 20");
        await PortalServer.ScreenshotAsync(page, "catalogue-fiche");
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
