using System.Diagnostics;
using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #14 (2) end to end, through the real login: a new agent unknown to the portal asks for access from *Accès en
/// attente*; the référent of Mission Locale Technowest accepts it on *Demandes d'accès*; the agent's page says so live and
/// the agent gets in and prescribes. Then the administrator deactivates the agent: their open screen says the session is over within the
/// revalidation interval (2 s on the E2E server). The agent's account is this test's own (no other test uses it).
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class AccessRequestJourneyTests(PortalServer server)
{
    [Fact]
    public async Task ANewAgent_AsksForAccess_TheReferentAcceptsLive_TheAgentGetsInAndPrescribes_ThenDeactivationEndsTheirSession_Issue14_2()
    {
        var email = $"agent.{Guid.NewGuid():N}"[..20] + "@ml-technowest.fr";
        await using var agentContext = await server.ContextForAsync(null);
        var agent = await agentContext.NewPageAsync();
        await new LoginPage(agent).LoginWithEmailAsync(email);
        await agent.WaitForURLAsync("**/acces-en-attente");
        await agent.WaitForInteractiveAsync();
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Accès en attente", Level = 1 })).ToBeVisibleAsync();

        // The request: an organisation found by name, the role its kind allows, a message.
        await agent.GetByLabel("Organisation (recherche par nom ou SIRET)").FillAsync("Technowest");
        await agent.GetByRole(AriaRole.Option, new() { Name = "Mission Locale Technowest" }).ClickAsync();
        await agent.GetByLabel("Message pour le référent (facultatif)").FillAsync("Conseillère arrivée le 1er décembre, antenne de Mérignac.");
        await agent.GetByTestId("request-access").ClickAsync();
        await Assertions.Expect(agent.GetByTestId("request-pending")).ToContainTextAsync("Votre demande d'accès à « Mission Locale Technowest » comme « Prescripteur »");
        await PortalServer.ScreenshotAsync(agent, "access-request-pending");

        // The référent sees it (and its count in the menu), and accepts.
        await using var sophieContext = await server.ContextForAsync("sophie.bernard");
        var sophie = await sophieContext.NewPageAsync();
        await sophie.GotoAsync("/acces/demandes");
        await sophie.WaitForInteractiveAsync();
        var row = sophie.GetByTestId("requests").Locator("tbody tr", new() { HasText = email });
        await Assertions.Expect(row).ToContainTextAsync("antenne de Mérignac");
        await Assertions.Expect(sophie.GetByTestId("access-requests-count")).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(sophie, "access-requests-referent");
        await row.GetByTestId("accept").ClickAsync();
        await Assertions.Expect(sophie.GetByTestId("requests").Locator("tbody tr", new() { HasText = email })).ToHaveCountAsync(0);

        // The agent's page follows live, and the agent gets in as a prescriber of the organisation.
        await Assertions.Expect(agent.GetByTestId("request-accepted")).ToContainTextAsync("a été acceptée par Sophie Bernard", new() { Timeout = 10_000 });
        await PortalServer.ScreenshotAsync(agent, "access-request-accepted");
        await agent.GetByTestId("enter-portal").ClickAsync();
        await agent.WaitForURLAsync(url => !url.Contains("/dev-oidc/", StringComparison.Ordinal) && !url.Contains("/signin-oidc", StringComparison.Ordinal) && !url.Contains("/connexion", StringComparison.Ordinal));
        await agent.WaitForInteractiveAsync();
        var menu = agent.GetByRole(AriaRole.Navigation, new() { Name = "Menu principal" });
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Mes candidats" })).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(agent, "access-granted-home");

        // The agent prescribes (A1: their organisation is habilitated): a new candidate, then a session.
        await JourneySteps.CreateCandidateAsync(agent, "Léna", "Marchand", "02/09/2004", "Mérignac", "Mérignac (33)");
        await JourneySteps.PrescribeAsync(agent, "Maçon", "travail en hauteur");
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Choix de formation (1 / 3)" })).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(agent, "access-granted-first-prescription");
        await agent.GotoAsync("/");
        await agent.WaitForInteractiveAsync();

        // The administrator deactivates the agent: the agent's open screen says its session is over, without any action.
        await using var adminContext = await server.ContextForAsync("admin");
        var admin = await adminContext.NewPageAsync();
        await admin.GotoAsync("/admin/utilisateurs");
        await admin.WaitForInteractiveAsync();
        await admin.GetByLabel("Nom ou e-mail").FillAsync(email);
        var line = admin.GetByTestId("users").Locator("tbody tr", new() { HasText = email });
        await Assertions.Expect(line).ToContainTextAsync("Mission Locale Technowest");
        await Assertions.Expect(admin.GetByTestId("users").Locator("tbody tr")).ToHaveCountAsync(1);
        await line.GetByTestId("toggle-active").ClickAsync();
        await PortalServer.ScreenshotAsync(admin, "users-deactivate");
        await line.GetByTestId("confirm-active").ClickAsync();
        var deactivated = Stopwatch.StartNew();
        await Assertions.Expect(line.GetByTestId("user-inactive")).ToBeVisibleAsync();

        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Votre session est terminée. Reconnectez-vous." }))
            .ToBeVisibleAsync(new() { Timeout = 8_000 });
        deactivated.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(8));
        await Assertions.Expect(agent.GetByTestId("current-user")).ToHaveCountAsync(0);
        await PortalServer.ScreenshotAsync(agent, "access-deactivated-session-ended");

        // Their next request is refused: the cookie's session is over (a page goes back to the login).
        var response = await agent.APIRequest.GetAsync("/api/candidates/" + Guid.NewGuid(), new() { MaxRedirects = 0 });
        response.Status.ShouldBe(401);

        // The audit log lists the acceptance and the deactivation.
        await admin.GotoAsync("/admin/journal");
        await admin.WaitForInteractiveAsync();
        await admin.GetByLabel("Cible (nom, e-mail, organisation)").FillAsync(email);
        await admin.GetByTestId("audit-apply").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("audit").Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(admin.GetByTestId("audit").Locator("tbody tr").First).ToContainTextAsync("Compte désactivé");
        await PortalServer.ScreenshotAsync(admin, "audit-log");
    }

    [Fact]
    public async Task TheSiretClaim_PreSelectsTheOrganisation_OnAccesEnAttente_Issue14_2()
    {
        var email = $"mfe.{Guid.NewGuid():N}"[..16] + "@mfe-medoc.fr";
        await using var context = await server.ContextForAsync(null);
        var page = await context.NewPageAsync();

        // 130 025 265 00013: the MFE du Médoc's SIRET (its Luhn key is right).
        await new LoginPage(page).LoginWithEmailAsync(email, "130 025 265 00013");
        await page.WaitForURLAsync("**/acces-en-attente");
        await page.WaitForInteractiveAsync();

        await Assertions.Expect(page.GetByTestId("siret-organisation")).ToHaveTextAsync("Le SIRET de votre identité correspond à l'organisation « MFE du Médoc ».");
        await Assertions.Expect(page.GetByLabel("Organisation (recherche par nom ou SIRET)")).ToHaveValueAsync("MFE du Médoc");
        await Assertions.Expect(page.GetByTestId("role")).ToContainTextAsync("MFE");
        await PortalServer.ScreenshotAsync(page, "access-pending-siret");
    }
}
