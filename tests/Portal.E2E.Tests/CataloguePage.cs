using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>Page object of the public catalogue (/catalogue) and its fiche pages, by role and label.</summary>
public sealed class CataloguePage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Catalogue des formations", Level = 1 });

    public ILocator Words => page.GetByLabel("Mots-clés");

    public ILocator Total => page.GetByTestId("catalogue-total");

    public ILocator Results => page.Locator("[data-fiche-id]");

    /// <summary>Opens the catalogue: a static page (issue #12), nothing to wait for beyond its HTML.</summary>
    public async Task OpenAsync()
    {
        await page.GotoAsync("/catalogue");
        await Assertions.Expect(Heading).ToBeVisibleAsync();
    }

    /// <summary>Whether this page ever opened a Blazor Server circuit (a request to the /_blazor hub).</summary>
    public Task<bool> OpenedACircuitAsync() =>
        page.EvaluateAsync<bool>("() => performance.getEntriesByType('resource').some(e => e.name.includes('/_blazor'))");

    /// <summary>Types a commune in its field with the keyboard (a name, a postcode or an INSEE code).</summary>
    public async Task TypeCommuneWithKeyboardAsync(string name)
    {
        await page.GetByLabel("Commune", new() { Exact = true }).FocusAsync();
        await page.Keyboard.TypeAsync(name);
    }

    /// <summary>Types the words in the search field and presses Enter, as a keyboard user does.</summary>
    public async Task SearchWithKeyboardAsync(string words)
    {
        await Words.FocusAsync();
        await page.Keyboard.TypeAsync(words);
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>Moves the focus to a result's link with Tab, then follows it with Enter.</summary>
    public async Task OpenResultWithKeyboardAsync(string title)
    {
        var link = page.GetByRole(AriaRole.Link, new() { Name = title });
        for (var i = 0; i < 40 && !await link.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(link).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
    }
}
