using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>End-to-end journeys through the real OIDC login, in Debian's Chromium.</summary>
[Collection(PortalServerCollection.Name)]
public sealed class JourneyTests(PortalServer server)
{
    [Theory]
    [InlineData("camille.durand", "Mes candidats")]
    [InlineData("sophie.bernard", "Candidats de l'organisation")]
    [InlineData("julie.moreau", "Mes sessions")]
    [InlineData("claire.lefevre", "Pilotage")]
    [InlineData("nicolas.roux", "Observatoires")]
    [InlineData("aurelie.fournier", "Arbitrages")]
    [InlineData("admin", "Administration")]
    public async Task EachRole_LogsInThroughOidc_AndLandsOnItsHome(string account, string heading)
    {
        await using var context = await server.ContextForAsync(null);
        var page = await context.NewPageAsync();
        await new LoginPage(page).LoginAsAsync(account);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("current-user")).ToContainTextAsync("Se déconnecter");
        await PortalServer.ScreenshotAsync(page, $"home-{account}");
    }

    [Fact]
    public async Task OpenPlaces_O8_ChangedByTheTrainingBody_AppearLiveOnThePrescribersDashboard()
    {
        await using var ofContext = await server.ContextForAsync("julie.moreau");
        await using var prescriberContext = await server.ContextForAsync("camille.durand");
        var ofPage = await ofContext.NewPageAsync();
        var prescriberPage = await prescriberContext.NewPageAsync();
        await ofPage.GotoAsync("/");
        await prescriberPage.GotoAsync("/");
        await ofPage.WaitForInteractiveAsync();
        await prescriberPage.WaitForInteractiveAsync();

        // The CACES session of Formapro Gironde is one of Camille's candidates' choices (demo data).
        var row = ofPage.Locator("tr", new() { HasText = "cariste" }).First;
        var input = row.Locator("input").First;
        var sessionId = await row.Locator("[data-session-id]").GetAttributeAsync("data-session-id");
        var places = prescriberPage.Locator($"[data-session-id='{sessionId}'] [data-testid='open-places']").First;
        await Assertions.Expect(places).ToBeVisibleAsync();
        var before = await places.InnerTextAsync();
        // O8 (ADR 0015): the OF may lower the figure (places kept back), never raise it above capacity − places held.
        var open = int.Parse(System.Text.RegularExpressions.Regex.Match(before, @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
        open.ShouldBeGreaterThan(0, "the demo's CACES session has places open");
        var newValue = (open - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        await input.FillAsync(newValue);
        await row.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Assertions.Expect(ofPage.GetByText("Places ouvertes enregistrées.")).ToBeVisibleAsync();

        // No reload on the prescriber's page: the change arrives through the live notifier.
        await Assertions.Expect(places).ToContainTextAsync($"{newValue} place(s) ouverte(s)", new() { Timeout = 5_000 });
        await PortalServer.ScreenshotAsync(ofPage, "live-of-sessions");
        await PortalServer.ScreenshotAsync(prescriberPage, "live-prescriber-dashboard");
    }

    [Fact]
    public async Task OpenPlaces_O8_OutOfRange_IsRefusedInFrench_AndTheTypedValueStays()
    {
        await using var context = await server.ContextForAsync("thomas.laurent");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        var row = page.Locator("tr", new() { HasText = "Maçon" }).First;
        var input = row.Locator("input").First;
        await input.FillAsync("999");
        await row.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Les places ouvertes doivent être comprises entre 0 et")).ToBeVisibleAsync();
        await Assertions.Expect(input).ToHaveValueAsync("999");
        await PortalServer.ScreenshotAsync(page, "of-open-places-refused");
    }

    [Fact]
    public async Task UnknownUser_LandsOnAccessPending()
    {
        await using var context = await server.ContextForAsync(null);
        var page = await context.NewPageAsync();
        await new LoginPage(page).LoginWithEmailAsync("nouvelle.conseillere@exemple.fr");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accès en attente" })).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(page, "access-pending");
    }

    [Fact]
    public async Task Logout_EndsTheSession()
    {
        await using var context = await server.ContextForAsync(null);
        var page = await context.NewPageAsync();
        await new LoginPage(page).LoginAsAsync("lucas.martin");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Portail de prescription de la formation régionale" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" }).First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task CandidateOfAnotherOrganisation_ByUrl_ShowsNotFound()
    {
        await using var own = await server.ContextForAsync("lucas.martin");
        var lucasPage = await own.NewPageAsync();
        await lucasPage.GotoAsync("/");
        var link = lucasPage.Locator("a[href^='/candidats/']").First;
        var href = await link.GetAttributeAsync("href");

        await using var other = await server.ContextForAsync("camille.durand");
        var page = await other.NewPageAsync();
        await page.GotoAsync(href!);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Candidat introuvable" })).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(page, "candidate-not-found");
    }

    [Fact]
    public async Task UnknownRoute_ShowsTheFrench404()
    {
        await using var context = await server.ContextForAsync(null);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync("/nulle-part");
        response!.Status.ShouldBe(404);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page introuvable" })).ToBeVisibleAsync();
    }
}
