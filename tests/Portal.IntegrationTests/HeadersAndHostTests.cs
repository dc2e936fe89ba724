using System.Net;

namespace Portal.IntegrationTests;

/// <summary>Issue #15 (8, 9): security headers on every response, and a forged Host header refused before any redirect.</summary>
[Collection(PortalCollection.Name)]
public sealed class HeadersAndHostTests(PortalFactory factory)
{
    [Theory]
    [InlineData("/catalogue")]
    [InlineData("/connexion")]
    [InlineData("/api/candidates/00000000-0000-0000-0000-000000000001")]
    [InlineData("/page-qui-n-existe-pas")]
    public async Task EveryResponse_CarriesTheSecurityHeaders_AndACspWithoutEvalOrInlineScript(string path)
    {
        using var client = factory.CreateBrowser();

        using var response = await client.GetAsync(path);

        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["same-origin"]);
        var csp = response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem();
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        directives["script-src"].ShouldBe("script-src 'self'");
        directives["frame-ancestors"].ShouldBe("frame-ancestors 'none'");
        directives["object-src"].ShouldBe("object-src 'none'");
        csp.ShouldNotContain("unsafe-eval");
    }

    [Fact]
    public async Task AForgedHost_IsRefusedWith400_AndNeverReachesTheLoginRedirect()
    {
        using var client = factory.CreateBrowser();
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/connexion");
        forged.Headers.Host = "evil.example";

        using var refused = await client.SendAsync(forged);

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        refused.Headers.Location.ShouldBeNull();
        // The portal's own host still signs in.
        using var ok = await client.GetAsync("/connexion");
        ((int)ok.StatusCode).ShouldBeLessThan(400);
    }
}
