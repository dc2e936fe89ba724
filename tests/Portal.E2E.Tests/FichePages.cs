using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>Page object of the OF's fiche editor (O2, S12): fields by their French labels, lists by their add fields.</summary>
public sealed class FicheEditorPage(IPage page)
{
    public async Task OpenNewAsync()
    {
        await page.GotoAsync("/fiches/nouvelle");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nouvelle fiche action", Level = 1 })).ToBeVisibleAsync();
    }

    public Task FillAsync(string label, string value) => page.GetByLabel(label, new() { Exact = true }).FillAsync(value);

    public async Task AddCriterionAsync(string criterion)
    {
        var input = page.GetByLabel("Nouveau critère de sélection", new() { Exact = true });
        await input.FillAsync(criterion);
        await input.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".portal-criteria li", new() { HasText = criterion })).ToBeVisibleAsync();
    }

    /// <summary>Types into a reference autocomplete (ROME, communes) and picks the suggestion.</summary>
    public async Task PickAsync(string label, string typed, string suggestion)
    {
        await page.GetByLabel(label, new() { Exact = true }).FillAsync(typed);
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = suggestion }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-chip", new() { HasText = suggestion })).ToBeVisibleAsync();
    }

    public Task SaveAndSubmitAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et soumettre à la Région" }).ClickAsync();
}

/// <summary>Page object of the Région's review of a fiche (O2).</summary>
public sealed class FicheReviewPage(IPage page)
{
    public ILocator Changes => page.GetByTestId("fiche-changes");

    public async Task ReturnAsync(string comment)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Renvoyer à l'organisme" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Commentaire pour l'organisme *").FillAsync(comment);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Renvoyer la fiche" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Fiche renvoyée à l'organisme avec votre commentaire.")).ToBeVisibleAsync();
    }

    public async Task ValidateAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider la fiche" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Fiche validée : elle est publiée.")).ToBeVisibleAsync();
    }
}
