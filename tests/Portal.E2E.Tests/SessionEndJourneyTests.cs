using System.Diagnostics;
using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #15 (7), ADR 0018: a tab left open on a candidate loses its data once the session is ended in another tab.
/// The E2E server revalidates circuits every 2 s (<c>Auth:RevalidationInterval</c>, <see cref="PortalServer"/>); on one
/// server the live end-of-session event is even quicker.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class SessionEndJourneyTests(PortalServer server)
{
    [Fact]
    public async Task LogoutInAnotherTab_TheOpenCandidatePage_ShowsTheEndedSession_AndNoLongerTheCandidate_Issue15_7()
    {
        // Its own login (not the shared signed-in state of the other tests): this session is going to end.
        await using var context = await server.ContextForAsync(null);
        var candidateTab = await context.NewPageAsync();
        await new LoginPage(candidateTab).LoginAsAsync("camille.durand");
        await candidateTab.WaitForInteractiveAsync();
        var link = candidateTab.Locator("a[href^='/candidats/']").First;
        var lastName = (await link.InnerTextAsync()).Trim().Split(' ')[0];
        await link.ClickAsync();
        await candidateTab.WaitForURLAsync("**/candidats/**");
        await Assertions.Expect(candidateTab.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(lastName);

        var logoutTab = await context.NewPageAsync();
        await logoutTab.GotoAsync("/");
        await logoutTab.WaitForInteractiveAsync();
        await logoutTab.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await Assertions.Expect(logoutTab.GetByRole(AriaRole.Heading, new() { Name = "Portail de prescription de la formation régionale" })).ToBeVisibleAsync();
        var loggedOut = Stopwatch.StartNew();

        // Within the 2 s interval (and a margin for two busy cores), without any action in the first tab.
        await Assertions.Expect(candidateTab.GetByRole(AriaRole.Heading, new() { Name = "Votre session est terminée. Reconnectez-vous." }))
            .ToBeVisibleAsync(new() { Timeout = 6_000 });
        loggedOut.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(6));
        (await candidateTab.ContentAsync()).ShouldNotContain(lastName);
        await Assertions.Expect(candidateTab.GetByTestId("current-user")).ToHaveCountAsync(0);
        await Assertions.Expect(candidateTab.GetByRole(AriaRole.Link, new() { Name = "Se reconnecter" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/connexion\\?returnUrl=%2Fcandidats%2F"));
        await PortalServer.ScreenshotAsync(candidateTab, "session-ended");
    }
}
