using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>Steps several journeys take in the same way (a prescriber's new candidate, a prescription).</summary>
internal static class JourneySteps
{
    /// <summary>From the prescriber's home: a new candidate, whose page opens.</summary>
    public static async Task CreateCandidateAsync(IPage page, string firstName, string lastName, string birthDate, string commune, string communeOption, bool rqth = false)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Nouveau candidat" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Prénom").FillAsync(firstName);
        await dialog.GetByLabel("Nom", new() { Exact = true }).FillAsync(lastName);
        await dialog.GetByLabel("Date de naissance").FillAsync(birthDate);
        await dialog.GetByLabel("Commune de résidence").FillAsync(commune);
        await page.GetByText(communeOption).First.ClickAsync();
        if (rqth) await dialog.GetByLabel("Reconnaissance de travailleur handicapé (RQTH)").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le candidat" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{firstName} {lastName.ToUpperInvariant()}", Level = 1 })).ToBeVisibleAsync();
        await page.WaitForInteractiveAsync();
    }

    /// <summary>Prescribes the open candidate on the first open session matching <paramref name="words"/>, recognised by one of its criteria (S12).</summary>
    public static async Task PrescribeAsync(IPage page, string words, string criterion)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Prescrire sur une session" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Session ouverte").FillAsync(words);
        // Wait for the list filtered on the words (not the first, unfiltered one), then pick its first session.
        var option = page.Locator(".mud-popover-open .mud-list-item", new() { HasText = words }).First;
        await Assertions.Expect(option).ToBeVisibleAsync();
        // The highlighted suggestion is taken with Enter, as a keyboard user does (a click can land while the list re-renders).
        await dialog.GetByLabel("Session ouverte").PressAsync("Enter");
        var criteria = dialog.GetByTestId("criteria");
        try
        {
            await Assertions.Expect(criteria).ToContainTextAsync(criterion, new() { Timeout = 3_000 });
        }
        catch (PlaywrightException)
        {
            // Nothing or another session was taken (the list was still updating): pick the right one.
            await dialog.GetByLabel("Session ouverte").FillAsync(words);
            await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = words }).First.ClickAsync();
            await Assertions.Expect(criteria).ToContainTextAsync(criterion, new() { Timeout = 10_000 });
        }
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Prescrire", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.GetByText("Complétez les champs signalés")).ToBeVisibleAsync();
        await dialog.GetByLabel("Acquis et parcours antérieur").FillAsync("Bac pro logistique, deux ans d'intérim.");
        await dialog.GetByLabel("Validation du projet").FillAsync("Immersion de deux semaines et entretien.");
        await dialog.GetByLabel("Conditions matérielles").FillAsync("Tram, pas de contrainte de garde.");
        await dialog.GetByLabel("Faisabilité du projet").FillAsync("Réaliste.");
        await dialog.GetByLabel("Oui").CheckAsync();
        await dialog.GetByLabel("Le candidat a donné son accord").CheckAsync();
        await dialog.GetByLabel("J'ai passé en revue avec le candidat").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Prescrire", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Prescription enregistrée.").First).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
    }
}
