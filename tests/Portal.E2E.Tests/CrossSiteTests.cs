using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #15 (4): a page of another site, opened by a signed-in user, cannot log them out with a form nor change the
/// portal with a script: the portal refuses the cross-site state change (403) and the user stays signed in.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class CrossSiteTests(PortalServer server)
{

    [Fact]
    public async Task AnotherSitesFormPostToLogout_IsRefused_AndItsScriptsRequestsChangeNothing_NoCorsIncluded_TheUserStaysSignedIn()
    {
        // The attacker's site: another site of the same machine (localhost is not the same site as 127.0.0.1), so that
        // Chromium's private-network protections do not hide what the portal itself answers.
        var evil = $"http://localhost:{server.Port}/site-tiers";
        await using var context = await server.ContextForAsync("julie.moreau");
        var page = await context.NewPageAsync();
        // The attacker's page, served by Playwright under another origin: a form posting to the portal's logout.
        await page.RouteAsync($"{evil}/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html; charset=utf-8",
            Body = $"<!doctype html><title>Gagnez un cadeau</title><form method=\"post\" action=\"{server.BaseUrl}/deconnexion\"><button type=\"submit\">Cliquez ici</button></form>",
        }));
        await page.GotoAsync($"{evil}/cadeau");

        var logout = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Cliquez ici" }).ClickAsync(),
            r => r.Url.EndsWith("/deconnexion", StringComparison.Ordinal) && r.Request.Method == "POST");
        logout.Status.ShouldBe(403);
        (await logout.TextAsync()).ShouldContain("Requête refusée");

        // A script on the same page: a JSON PUT with the user's cookies never passes the browser's CORS preflight (the
        // portal allows no other origin), and the portal would refuse it anyway (SameOriginTests, HTTP level).
        await page.GotoAsync($"{evil}/cadeau");
        var put = await page.EvaluateAsync<string>(
            "url => fetch(url, { method: 'PUT', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: '{\"openPlaces\":0}' }).then(r => 'status ' + r.status, () => 'bloquée')",
            $"{server.BaseUrl}/api/sessions/{Guid.Empty}/open-places");
        put.ShouldBe("bloquée");

        // A "simple" request, sent without a preflight: a no-cors scripted POST to the logout, with the user's cookies.
        // Chromium blocks this one itself here (net::ERR_FAILED: a public page reaching the loopback); where a browser
        // sends it, the portal answers 403 (SameOriginTests: a POST with a foreign Origin and the victim's cookie). Either
        // way no answer but a refusal, and the user stays signed in (below).
        var answers = new List<int>();
        void Seen(object? sender, IResponse r)
        {
            if (r.Url.EndsWith("/deconnexion", StringComparison.Ordinal)) lock (answers) answers.Add(r.Status);
        }
        page.Response += Seen;
        var outcome = await page.EvaluateAsync<string>("url => fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', body: 'x' }).then(() => 'envoyée', () => 'bloquée')", $"{server.BaseUrl}/deconnexion");
        page.Response -= Seen;
        (outcome == "bloquée" || answers.All(status => status == 403)).ShouldBeTrue($"no-cors POST: {outcome}, answers {string.Join(", ", answers)}");

        // Still signed in on the portal.
        await page.GotoAsync($"{server.BaseUrl}/");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First).ToContainTextAsync("Mes sessions");
    }
}
