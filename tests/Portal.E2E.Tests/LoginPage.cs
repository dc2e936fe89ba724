using Microsoft.Playwright;
using Portal.Infrastructure.Seed;

namespace Portal.E2E.Tests;

/// <summary>Page object of the login: the portal's "Se connecter" → the dev OIDC provider's account list.</summary>
public sealed class LoginPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("/");
        // Click once the circuit is up: a click during its start can be aborted by the router (net::ERR_ABORTED).
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" }).First.ClickAsync();
        await page.WaitForURLAsync("**/dev-oidc/login**");
    }

    public async Task LoginAsAsync(string account)
    {
        await OpenAsync();
        var email = DemoData.Email(account);
        await page.Locator("tr", new() { HasText = email }).GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/dev-oidc/", StringComparison.Ordinal) && !url.Contains("/signin-oidc", StringComparison.Ordinal));
    }

    public async Task LoginWithEmailAsync(string email, string? siret = null)
    {
        await OpenAsync();
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        // Issue #14 (2): the dev provider sends the SIRET claim as ProConnect does.
        if (siret is not null) await page.GetByLabel("SIRET de votre structure (facultatif)").FillAsync(siret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/dev-oidc/", StringComparison.Ordinal) && !url.Contains("/signin-oidc", StringComparison.Ordinal));
    }
}

public static class PageExtensions
{
    /// <summary>Waits until the circuit is up, so a click is not lost on prerendered HTML.</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("main[data-interactive='true']").WaitForAsync(new() { Timeout = 20_000 });
}
