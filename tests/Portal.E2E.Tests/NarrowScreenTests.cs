using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #12: the menu's entries are plain links since the menu became one component; on a phone-sized window the drawer,
/// opened with the menu button, covers the page and closes once an entry is followed.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class NarrowScreenTests(PortalServer server)
{
    [Fact]
    public async Task OnAPhoneSizedWindow_TheMenuOpens_AndClosesOnceAnEntryIsFollowed()
    {
        await using var context = await server.ContextForAsync("camille.durand");
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        var drawer = page.Locator("aside.mud-drawer");
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Ouvrir ou fermer le menu" }).ClickAsync();
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--open"));
        await PortalServer.ScreenshotAsync(page, "narrow-menu-open");
        // "Mes préférences": an interactive screen, reached through the circuit's router (no page load).
        await drawer.GetByRole(AriaRole.Link, new() { Name = "Mes préférences" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/preferences$"));
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));
        await page.WaitForTimeoutAsync(500); // the drawer slides out: the screenshot shows the page once it has
        await PortalServer.ScreenshotAsync(page, "narrow-menu-closed-after-link");
    }
}
