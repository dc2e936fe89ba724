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

    /// <summary>
    /// The other screens on a phone-sized window, each role's lists, observatories and editors. The page itself never scrolls
    /// sideways, no table is squeezed into the window (on a phone a list's rows become blocks of their cells, each under its
    /// column's name; an observatory's table scrolls within its frame), and no column name stands over an empty cell.
    /// The quality observatory is in the list: once the quality-alert journeys had flagged an indicator, its page measured
    /// 894 px wide, a cell's screen-reader text escaping its table's frame (theme.css, .mud-table-container).
    /// </summary>
    [Theory]
    [InlineData("julie.moreau", "/", "narrow-of-sessions")]
    [InlineData("julie.moreau", "session", "narrow-of-session")]
    [InlineData("julie.moreau", "session/decisions", "narrow-of-session-decisions")]
    [InlineData("julie.moreau", "/fiches", "narrow-of-fiches")]
    [InlineData("claire.lefevre", "/fiches-a-valider", "narrow-region-fiches-to-validate")]
    [InlineData("claire.lefevre", "/arbitrages", "narrow-region-arbitrations")]
    [InlineData("claire.lefevre", "/region/coherence-eos", "narrow-region-eos")]
    [InlineData("claire.lefevre", "/", "narrow-region-home")]
    [InlineData("camille.durand", "/offre", "narrow-prescriber-offer")]
    [InlineData("camille.durand", "candidate", "narrow-prescriber-candidate")]
    [InlineData("sophie.bernard", "/organisation", "narrow-referent-organisation")]
    [InlineData("sophie.bernard", "/journal-rqth", "narrow-referent-rqth-log")]
    [InlineData("julie.moreau", "/fiches/nouvelle", "narrow-of-new-fiche")]
    [InlineData("claire.lefevre", "/commande-regionale", "narrow-region-order")]
    [InlineData("claire.lefevre", "/observatoire/acces", "narrow-region-access")]
    [InlineData("claire.lefevre", "/observatoire/evaluation", "narrow-region-evaluation")]
    [InlineData("claire.lefevre", "/observatoire/qualite", "narrow-region-quality")]
    [InlineData("admin", "/admin/utilisateurs", "narrow-admin-users")]
    [InlineData("admin", "/admin/organisations", "narrow-admin-organisations")]
    public async Task OnAPhoneSizedWindow_AListScreen_DoesNotScrollSideways(string account, string screen, string screenshot)
    {
        await using var context = await server.ContextForAsync(account);
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        // "candidate" and "session…": the first one the home lists ("Mes candidats", "Mes sessions"), as its user reaches it.
        var url = screen == "candidate" ? await FirstLinkOfHomeAsync(page, "td[data-label='Candidat'] a[href^='/candidats/']")
            : screen.StartsWith("session", StringComparison.Ordinal) ? await FirstLinkOfHomeAsync(page, "a[href^='/sessions/']") + screen["session".Length..]
            : screen;

        await page.GotoAsync(url);
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator(".mud-progress-linear.mud-progress-indeterminate")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await PortalServer.ScreenshotAsync(page, screenshot);

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        // What sticks out: the outermost elements past the window's right edge that no scrolling frame holds. A positioned
        // element (absolute) is held only by a frame from its containing block up: the quality observatory's screen-reader
        // text in a far cell escaped its table's frame that way.
        var wide = await page.EvaluateAsync<string[]>("""
            () => {
                const from = e => ['absolute', 'fixed'].includes(getComputedStyle(e).position) ? e.offsetParent : e.parentElement;
                const scrolls = e => { for (let p = from(e); p && p !== document.body; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return true; return false; };
                const past = e => e.getBoundingClientRect().right > window.innerWidth + 1;
                return [...document.querySelectorAll('body *')]
                .filter(e => past(e) && !scrolls(e) && (!past(e.parentElement) || scrolls(e.parentElement)))
                .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().width)} px)`);
            }
            """);
        widths[0].ShouldBeLessThanOrEqualTo(widths[1], $"{url} : la page défile de côté sur un téléphone ({string.Join(", ", wide)})");
        // Nor is a table squeezed into the window: side by side, the decisions' and the attendance's columns got 12 px and
        // their names ("Candidat", "Cap Emploi Gironde") wrapped letter by letter.
        var squeezed = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('main td, main th')]
                .filter(c => c.offsetParent !== null && c.innerText.trim().length > 3 && c.getBoundingClientRect().width < 48)
                // A stacked table keeps its header for screen readers only, in a 1 px box.
                .filter(c => !(c.closest('thead') && c.closest('thead').getBoundingClientRect().width <= 1))
                .map(c => c.innerText.trim().replace(/\s+/g, ' ').slice(0, 40))
            """);
        squeezed.ShouldBeEmpty($"{url} : des colonnes trop étroites sur un téléphone ({string.Join(" | ", squeezed)})");
        // A stacked row shows no column name over an empty cell ("Motifs / remarques" with no remark).
        var bare = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('main .portal-stack-sm td[data-label]')]
                .filter(c => c.offsetParent !== null && c.innerText.trim() === '' && !c.querySelector('input, button, a'))
                .map(c => c.dataset.label)
            """);
        bare.ShouldBeEmpty($"{url} : des libellés sans valeur sur un téléphone ({string.Join(", ", bare.Distinct())})");
    }

    private static async Task<string> FirstLinkOfHomeAsync(IPage page, string selector)
    {
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        return (await page.Locator(selector).First.GetAttributeAsync("href")).ShouldNotBeNull();
    }
}
