using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>Page object of a prescription's arbitration panel (S10): contest, the case's state, the outcome.</summary>
public sealed class PrescriptionArbitrationPanel(IPage page)
{
    public ILocator Status => page.GetByTestId("arbitration-status");

    public ILocator Outcome => page.GetByTestId("arbitration-outcome");

    public async Task ContestAsync(string argument)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Contester…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Votre argument").FillAsync(argument);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Demander l'arbitrage" }).ClickAsync();
        await Assertions.Expect(Status).ToContainTextAsync("en cours auprès de");
    }
}

/// <summary>Page object of the MFE's *Arbitrages* list and of one case (S10).</summary>
public sealed class ArbitrationsScreen(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("/arbitrages");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Arbitrages", Level = 1 })).ToBeVisibleAsync();
    }

    public ILocator Row(string candidate) => page.Locator("tr", new() { Has = page.Locator("[data-arbitration-id]"), HasText = candidate });

    public async Task OpenCaseAsync(string candidate)
    {
        await Row(candidate).GetByRole(AriaRole.Link, new() { Name = candidate }).ClickAsync();
        await page.WaitForURLAsync("**/arbitrages/**");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Arbitrage : {candidate}", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Overturns the decision: the new one is chosen by its French label.</summary>
    public async Task OverturnAsync(string newDecision, string explanation)
    {
        var form = page.GetByTestId("decision-form");
        await form.GetByText("Infirmer la décision", new() { Exact = true }).ClickAsync();
        await form.GetByText(newDecision, new() { Exact = true }).ClickAsync();
        await form.GetByLabel("Explication pour les deux parties").FillAsync(explanation);
        await form.GetByRole(AriaRole.Button, new() { Name = "Rendre l'arbitrage" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("case-outcome")).ToContainTextAsync($"nouvelle décision « {newDecision} »");
    }
}
