using System.Net;
using System.Text.Json;

namespace Portal.IntegrationTests;

[Collection(PortalCollection.Name)]
public sealed class PlatformTests(PortalFactory factory)
{
    [Fact]
    public async Task HangfireDashboard_Anonymous_IsSentToLogin()
    {
        var response = await factory.CreateBrowser().GetAsync("/hangfire");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/connect/authorize");
    }

    [Theory]
    [InlineData("camille.durand")]
    [InlineData("julie.moreau")]
    [InlineData("claire.lefevre")]
    [InlineData("nicolas.roux")]
    public async Task HangfireDashboard_OtherRoles_Get403(string account)
    {
        var client = await factory.LoggedInAsync(account);
        (await client.GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task HangfireDashboard_Admin_SeesTheRecurringJobs()
    {
        var client = await factory.LoggedInAsync("admin");
        var response = await client.GetAsync("/hangfire/recurring");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("sessions-publish");
        html.ShouldContain("sessions-close-at-deadline");
    }

    [Fact]
    public async Task Health_ReportsDatabaseAndHangfire()
    {
        var response = await factory.CreateBrowser().GetAsync("/health");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = json.RootElement.GetProperty("checks");
        checks.GetProperty("database").GetProperty("status").GetString().ShouldBe("Healthy");
        checks.TryGetProperty("hangfire", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Assets_AreServedUnderAssets()
    {
        var response = await factory.CreateBrowser().GetAsync("/assets/logo.svg");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");
        (await response.Content.ReadAsStringAsync()).ShouldContain("<svg");
    }

    [Fact]
    public async Task UnknownRoute_Gets404_WithAFrenchPage()
    {
        var response = await factory.CreateBrowser().GetAsync("/cette-page-n-existe-pas");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Page introuvable");
    }

    [Fact]
    public async Task Home_Anonymous_ShowsTheLandingInFrench()
    {
        var html = await factory.CreateBrowser().GetStringAsync("/");
        html.ShouldContain("lang=\"fr\"");
        html.ShouldContain("Se connecter");
    }

    [Fact]
    public async Task ProtectedPage_Anonymous_IsSentToLogin()
    {
        var response = await factory.CreateBrowser().GetAsync("/organisation");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/connect/authorize");
    }

    [Fact]
    public async Task ProtectedPage_WrongRole_ShowsAccessDeniedInFrench()
    {
        var client = await factory.LoggedInAsync("camille.durand");
        var response = await client.GetAsync("/organisation");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/acces-refuse");
        (await client.GetStringAsync("/acces-refuse")).ShouldContain("Accès refusé");
    }

    [Fact]
    public async Task Dates_AreFrench()
    {
        var client = await factory.LoggedInAsync("julie.moreau");
        var html = await client.GetStringAsync("/");
        html.ShouldMatch(@"du \d{2}/\d{2}/\d{4} au \d{2}/\d{2}/\d{4}");
    }
}
