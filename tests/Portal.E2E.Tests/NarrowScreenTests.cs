using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #12: the menu's entries are plain links since the menu became one component; on a phone-sized window the drawer,
/// opened with the menu button, covers the page and closes once an entry is followed. The bar keeps one line: the title and
/// the user's name, which wrapped letter by letter over the page, are left out under 600 px.
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
        var bar = page.Locator("header.mud-appbar");
        // One line: MudBlazor's bar is 56 px high on a phone; the wrapped name made its content 3 to 4 lines high.
        var content = await bar.EvaluateAsync<double>("b => Math.max(...[...b.querySelectorAll('*')].map(e => e.getBoundingClientRect().bottom))");
        content.ShouldBeLessThanOrEqualTo(64);
        await Assertions.Expect(page.GetByText("Camille Durand", new() { Exact = true })).ToBeHiddenAsync();
        await Assertions.Expect(bar.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
        // "Mes candidats": each candidate is a block of its cells, the name on the window's width (it had a few pixels).
        await PortalServer.ScreenshotAsync(page, "narrow-dashboard");
        var name = page.Locator("td[data-label='Candidat'] a").First;
        var box = (await name.BoundingBoxAsync()).ShouldNotBeNull();
        box.Height.ShouldBeLessThan(40, "le nom tient sur une ou deux lignes");
        (await page.Locator("td[data-label='Choix']").First.BoundingBoxAsync()).ShouldNotBeNull().Width.ShouldBeGreaterThan(300);

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
