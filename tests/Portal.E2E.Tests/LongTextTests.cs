using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>Issue #15 (5): a long text stops at its limit in the form, and the longest word allowed wraps instead of widening the page.</summary>
[Collection(PortalServerCollection.Name)]
public sealed class LongTextTests(PortalServer server)
{
    [Fact]
    public async Task ACandidateWithTheLongestNamesAllowed_StaysWithinTheWindow_OnTheirPageAndTheDashboard()
    {
        await using var context = await server.ContextForAsync("camille.durand");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Nouveau candidat" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        // Typing 10,000 characters keeps the first 100 (the field's maxlength); one word, no space to break on. The names
        // start with Z so that tests taking the first of Camille's candidates by name never take this one.
        await dialog.GetByLabel("Prénom").FillAsync("Z" + new string('y', 9_999));
        (await dialog.GetByLabel("Prénom").InputValueAsync()).Length.ShouldBe(100);
        var last = "Z" + new string('w', 99);
        await dialog.GetByLabel("Nom", new() { Exact = true }).FillAsync(last);
        await dialog.GetByLabel("Date de naissance").FillAsync("02/03/2001");
        await dialog.GetByLabel("Commune de résidence").FillAsync("Pessac");
        await page.GetByText("Pessac (33)").First.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le candidat" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(last.ToUpperInvariant());
        await page.WaitForInteractiveAsync();
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        width.ShouldBeLessThanOrEqualTo(1400); // the context's window width
        await PortalServer.ScreenshotAsync(page, "long-name-candidate");

        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(1400);
    }
}
