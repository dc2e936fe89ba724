using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>Issue #15 (9): the Content-Security-Policy blocks nothing the portal's own screens need (Blazor, MudBlazor, live updates).</summary>
[Collection(PortalServerCollection.Name)]
public sealed class SecurityHeadersTests(PortalServer server)
{
    [Theory]
    [InlineData("julie.moreau", "/", "Mes sessions")]
    [InlineData("claire.lefevre", "/observatoire/qualite", "Qualité de la prescription")]
    [InlineData(null, "/catalogue", "Catalogue des formations")]
    public async Task EveryScreen_RunsUnderTheCsp_WithoutAViolation(string? account, string path, string heading)
    {
        await using var context = await server.ContextForAsync(account);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add(message.Text);
        };

        var response = await page.GotoAsync(path);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First).ToContainTextAsync(heading);
        if (account is not null) await page.WaitForInteractiveAsync();

        response!.Headers["content-security-policy"].ShouldContain("script-src 'self'");
        violations.ShouldBeEmpty();
    }
}
