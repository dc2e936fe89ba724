using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Portal.Web;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #15 (4): a state change another site makes the victim's browser send (its Origin or Sec-Fetch-Site say so) is
/// refused with a French 403 and changes nothing; the portal's own requests and header-less clients go through.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class SameOriginTests(PortalFactory factory)
{
    private async Task<(Guid Id, int Open, int Bound)> JuliesOpenSessionAsync()
    {
        var julieOrg = await factory.OrganisationIdOfAsync("julie.moreau");
        // O8: the OF may set up to capacity − the places held by selected (5), entered (8) and offered (13) candidates.
        var s = await factory.QueryAsync(db => db.Sessions.Where(s => s.OrganisationId == julieOrg && s.Status == Domain.Offer.SessionStatus.Open)
            .Select(s => new { s.Id, s.OpenPlaces, s.Capacity, Held = db.AllPrescriptions.Count(p => p.SessionId == s.Id && ((int)p.Status == 5 || (int)p.Status == 8 || (int)p.Status == 13)) })
            .FirstAsync());
        return (s.Id, s.OpenPlaces, s.Capacity - s.Held);
    }

    private static HttpRequestMessage PutOpenPlaces(Guid session, int places) =>
        new(HttpMethod.Put, $"/api/sessions/{session}/open-places") { Content = JsonContent.Create(new { openPlaces = places }) };

    [Theory]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task ForeignPut_WithTheVictimsCookie_Gets403InFrench_AndTheOpenPlacesStay(string header, string value)
    {
        var (session, open, bound) = await JuliesOpenSessionAsync();
        bound.ShouldBeGreaterThan(0);
        var julie = await factory.LoggedInAsync("julie.moreau");
        using var request = PutOpenPlaces(session, open == 0 ? 1 : 0);
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await julie.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Requête refusée : elle ne vient pas d'une page du portail");
        (await factory.QueryAsync(db => db.Sessions.Where(s => s.Id == session).Select(s => s.OpenPlaces).SingleAsync())).ShouldBe(open);
    }

    [Fact]
    public async Task ThePortalsOwnOrigin_ChangesTheOpenPlaces()
    {
        var (session, open, bound) = await JuliesOpenSessionAsync();
        var wanted = open == bound ? bound - 1 : bound;
        var julie = await factory.LoggedInAsync("julie.moreau");
        using var request = PutOpenPlaces(session, wanted);
        request.Headers.TryAddWithoutValidation("Origin", julie.BaseAddress!.GetLeftPart(UriPartial.Authority));
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");

        using var response = await julie.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await factory.QueryAsync(db => db.Sessions.Where(s => s.Id == session).Select(s => s.OpenPlaces).SingleAsync())).ShouldBe(wanted);
    }

    [Fact]
    public async Task ForeignLogout_IsRefused_AndTheUserStaysSignedIn()
    {
        var camille = await factory.LoggedInAsync("camille.durand");
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/deconnexion");
        logout.Headers.TryAddWithoutValidation("Origin", "http://evil.example");
        logout.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "cross-site");

        using var refused = await camille.SendAsync(logout);

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        refused.Headers.Contains("Set-Cookie").ShouldBeFalse();
        var camilleOrg = await factory.OrganisationIdOfAsync("camille.durand");
        var own = await factory.QueryAsync(db => db.AllCandidates.Where(c => c.OrganisationId == camilleOrg).Select(c => c.Id).FirstAsync());
        (await camille.GetAsync($"/api/candidates/{own}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("POST", "/signin-oidc", "https://provider.example", false)] // the provider's form_post
    [InlineData("POST", "/connect/token", "https://provider.example", false)]
    [InlineData("GET", "/api/candidates", "http://evil.example", false)]
    [InlineData("POST", "/deconnexion", "http://evil.example", true)]
    [InlineData("DELETE", "/api/x", "http://portail.example:8443", true)]
    [InlineData("PATCH", "/api/x", "http://portail.example", false)]
    [InlineData("POST", "/api/x", "", false)] // no browser headers: no victim's cookie either
    public void WhatCountsAsAForeignStateChange(string method, string path, string origin, bool refused)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Host = new HostString("portail.example");
        if (origin.Length > 0) context.Request.Headers.Origin = origin;

        SameOriginGuard.IsForeignStateChange(context.Request).ShouldBe(refused);
    }
}
