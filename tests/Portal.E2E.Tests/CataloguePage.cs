using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>Page object of the public catalogue (/catalogue) and its fiche pages, by role and label.</summary>
public sealed class CataloguePage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Catalogue des formations", Level = 1 });

    public ILocator Words => page.GetByLabel("Mots-clés");

    public ILocator Total => page.GetByTestId("catalogue-total");

    public ILocator Results => page.Locator("[data-fiche-id]");

    public async Task OpenAsync()
    {
        await page.GotoAsync("/catalogue");
        await Assertions.Expect(Heading).ToBeVisibleAsync();
        await page.WaitForInteractiveAsync();
    }

    /// <summary>Types the start of a commune's name in its autocomplete and picks the first suggestion with Enter.</summary>
    public async Task ChooseCommuneWithKeyboardAsync(string name, string suggestion)
    {
        var field = page.GetByLabel("Commune", new() { Exact = true });
        await field.FocusAsync();
        // Typing into the focused field (a first keystroke sent while the list opens could be lost: check the value).
        await field.PressSequentiallyAsync(name, new() { Delay = 60 });
        if (await field.InputValueAsync() != name) await field.FillAsync(name);
        // The suggestions come from the server: allow a busy machine time to answer.
        await Assertions.Expect(page.GetByText(suggestion, new() { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.Keyboard.PressAsync("Enter");
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
