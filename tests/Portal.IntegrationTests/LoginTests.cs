using System.Net;
using Portal.Infrastructure.Seed;

namespace Portal.IntegrationTests;

[Collection(PortalCollection.Name)]
public sealed class LoginTests(PortalFactory factory)
{
    [Theory]
    [InlineData("camille.durand", "Mes candidats")]
    [InlineData("sophie.bernard", "Candidats de l&#x27;organisation")]
    [InlineData("julie.moreau", "Mes sessions")]
    [InlineData("claire.lefevre", "Pilotage")]
    [InlineData("nicolas.roux", "Observatoires")]
    [InlineData("aurelie.fournier", "Arbitrages")]
    [InlineData("admin", "Administration")]
    public async Task Login_ThroughOidc_LandsOnTheRolesHome(string account, string heading)
    {
        var client = factory.CreateBrowser();
        var callback = await OidcLogin.LoginAsync(client, DemoData.Email(account));
        callback.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        callback.Headers.Location!.OriginalString.ShouldBe("/");
        callback.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith("portal.auth", StringComparison.Ordinal));

        var home = await client.GetStringAsync("/");
        home.ShouldContain($">{heading}</h1>");
    }

    [Fact]
    public async Task Login_UnknownUser_LandsOnAccessPendingPage_NotOnAnError()
    {
        var client = factory.CreateBrowser();
        var callback = await OidcLogin.LoginAsync(client, "inconnu@exemple.fr");
        callback.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        callback.Headers.Location!.OriginalString.ShouldBe("/acces-en-attente");
        var page = await client.GetStringAsync("/acces-en-attente");
        page.ShouldContain("Accès en attente");
        (await client.GetStringAsync("/")).ShouldContain("Accès en attente");
        (await client.GetAsync("/api/candidates/" + Guid.NewGuid())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Login_WithAnInvalidEmail_ShowsTheLoginPageWithAFrenchMessage()
    {
        var client = factory.CreateBrowser();
        var response = await client.GetAsync("/dev-oidc/login?returnUrl=%2Fconnect%2Fauthorize&error=email");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Adresse e-mail invalide");
    }

    [Fact]
    public async Task SignInCallback_WithAForgedState_ShowsAFrenchPage_Not500()
    {
        var client = factory.CreateBrowser();
        var response = await client.PostAsync("/signin-oidc", new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = "x", ["state"] = "forged" }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldStartWith("/connexion-echouee");
        (await client.GetStringAsync(response.Headers.Location)).ShouldContain("Connexion impossible");
    }

    [Fact]
    public async Task Logout_ClearsTheSession_AndEndsItAtTheProvider()
    {
        var client = factory.CreateBrowser();
        await OidcLogin.LoginAsync(client, DemoData.Email("camille.durand"));
        var home = await client.GetStringAsync("/");
        var token = System.Text.RegularExpressions.Regex.Match(home, "name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"");
        token.Success.ShouldBeTrue();
        var response = await client.PostAsync("/deconnexion", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value),
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/connect/endsession");
        (await client.GetAsync("/api/candidates/" + Guid.NewGuid())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ReturnUrl_ToAnotherSite_IsIgnored()
    {
        var client = factory.CreateBrowser();
        await OidcLogin.LoginAsync(client, DemoData.Email("camille.durand"));
        var response = await client.GetAsync("/connexion?returnUrl=https%3A%2F%2Fevil.example%2F");
        var authorize = await OidcLogin.FollowAsync(client, response);
        // Already signed in at the provider: the code comes straight back; the state keeps a local return URL only.
        authorize.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await authorize.Content.ReadAsStringAsync()).ShouldNotContain("evil.example");
    }
}
