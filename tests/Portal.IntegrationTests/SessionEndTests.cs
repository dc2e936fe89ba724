using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Identity;
using Portal.Domain.Identity;
using Portal.Infrastructure.Seed;
using Portal.Web.Auth;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #15 (7), ADR 0018: logout really ends the session. The cookie carries a session id checked against the
/// UserSessions record on every request: a cookie copied before logout, a session ended by
/// <see cref="EndAllSessionsForUser"/> (issue #14, point 2) or expired opens nothing any more.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed partial class SessionEndTests(PortalFactory factory)
{
    /// <summary>A browser logged in through the real OIDC flow, and the session cookie(s) it received, as an attacker would copy them.</summary>
    private async Task<(HttpClient Browser, string Cookie)> LoginAsync(string account)
    {
        var browser = factory.CreateBrowser();
        var callback = await OidcLogin.LoginAsync(browser, DemoData.Email(account));
        var cookie = string.Join("; ", callback.Headers.GetValues("Set-Cookie")
            .Where(c => c.StartsWith("portal.auth", StringComparison.Ordinal))
            .Select(c => c[..c.IndexOf(';', StringComparison.Ordinal)]));
        cookie.ShouldNotBeEmpty();
        return (browser, cookie);
    }

    /// <summary>A request carrying only the copied cookie (no cookie jar: what the browser was told to delete is still sent).</summary>
    private async Task<HttpStatusCode> GetWithCookieAsync(string cookie, string path)
    {
        using var replay = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = PortalFactory.BaseAddress, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return (await replay.SendAsync(request)).StatusCode;
    }

    private static async Task LogoutAsync(HttpClient browser)
    {
        var home = await browser.GetStringAsync("/");
        var token = AntiforgeryField().Match(home);
        token.Success.ShouldBeTrue();
        var response = await browser.PostAsync("/deconnexion", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value),
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    private Task<Guid> OwnCandidateAsync(string account) => factory.QueryAsync(async db =>
    {
        var organisationId = await factory.OrganisationIdOfAsync(account);
        return await db.AllCandidates.Where(c => c.OrganisationId == organisationId).Select(c => c.Id).FirstAsync();
    });

    [Fact]
    public async Task CookieCopiedBeforeLogout_AfterLogout_Gets401_Not200_Issue15_7()
    {
        var candidate = await OwnCandidateAsync("camille.durand");
        var (browser, copied) = await LoginAsync("camille.durand");
        (await GetWithCookieAsync(copied, $"/api/candidates/{candidate}")).ShouldBe(HttpStatusCode.OK);

        await LogoutAsync(browser);

        (await GetWithCookieAsync(copied, $"/api/candidates/{candidate}")).ShouldBe(HttpStatusCode.Unauthorized);
        (await browser.GetAsync($"/api/candidates/{candidate}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CookieCopiedBeforeLogout_AfterLogout_OnAPage_GoesToTheLogin_WithNoData_Issue15_7()
    {
        var candidate = await OwnCandidateAsync("camille.durand");
        var (browser, copied) = await LoginAsync("camille.durand");
        await LogoutAsync(browser);

        using var replay = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = PortalFactory.BaseAddress, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/candidats/{candidate}");
        request.Headers.Add("Cookie", copied);
        var response = await replay.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/connect/authorize");
        // The refused cookie is deleted in the browser too.
        response.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith("portal.auth=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logout_EndsThisSessionOnly_TheSameUsersOtherBrowserStaysIn_Issue15_7()
    {
        var candidate = await OwnCandidateAsync("camille.durand");
        var (office, _) = await LoginAsync("camille.durand");
        var (_, laptop) = await LoginAsync("camille.durand");

        await LogoutAsync(office);

        (await GetWithCookieAsync(laptop, $"/api/candidates/{candidate}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task EndAllSessionsForUser_EndsBothSessionsOfTheUser_NotAnotherUsers_Issue14_2()
    {
        var inesCandidate = await OwnCandidateAsync("ines.petit");
        var hugoCandidate = await OwnCandidateAsync("hugo.lambert");
        var (_, first) = await LoginAsync("ines.petit");
        var (_, second) = await LoginAsync("ines.petit");
        var (_, hugo) = await LoginAsync("hugo.lambert");
        (await GetWithCookieAsync(first, $"/api/candidates/{inesCandidate}")).ShouldBe(HttpStatusCode.OK);
        (await GetWithCookieAsync(second, $"/api/candidates/{inesCandidate}")).ShouldBe(HttpStatusCode.OK);
        var ines = await factory.QueryAsync(db => db.Users.Where(u => u.Email == DemoData.Email("ines.petit")).Select(u => u.Id).SingleAsync());

        var ended = await factory.Services.GetRequiredService<EndAllSessionsForUser.Handler>()
            .HandleAsync(new EndAllSessionsForUser(ines, SessionEndReason.UserDeactivated));

        ended.ShouldBeGreaterThanOrEqualTo(2);
        (await GetWithCookieAsync(first, $"/api/candidates/{inesCandidate}")).ShouldBe(HttpStatusCode.Unauthorized);
        (await GetWithCookieAsync(second, $"/api/candidates/{inesCandidate}")).ShouldBe(HttpStatusCode.Unauthorized);
        (await GetWithCookieAsync(hugo, $"/api/candidates/{hugoCandidate}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ExpiredSessionRecord_IsRefused_EvenWithAValidCookie_Issue15_7()
    {
        var candidate = await OwnCandidateAsync("sophie.bernard");
        var (_, cookie) = await LoginAsync("sophie.bernard");
        (await GetWithCookieAsync(cookie, $"/api/candidates/{candidate}")).ShouldBe(HttpStatusCode.OK);
        var sophie = await factory.QueryAsync(db => db.Users.Where(u => u.Email == DemoData.Email("sophie.bernard")).Select(u => u.Id).SingleAsync());
        // The record says the session expired a second ago (its 10 h without a request are over); the cookie itself is still within its own lifetime.
        var sessions = await factory.QueryAsync(async db =>
        {
            var open = await db.UserSessions.Where(s => s.UserId == sophie && s.EndedAt == null).ToListAsync();
            var past = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            await db.UserSessions.Where(s => s.UserId == sophie).ExecuteUpdateAsync(u => u.SetProperty(s => s.ExpiresAt, past));
            return open.Select(s => s.Id).ToList();
        });
        // Another server's view: past the few seconds this server may trust what it checked.
        var trust = factory.Services.GetRequiredService<SessionTrustCache>();
        foreach (var id in sessions) trust.Forget(id);

        (await GetWithCookieAsync(cookie, $"/api/candidates/{candidate}")).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void Circuits_UseTheRevalidatingProvider_Issue15_7()
    {
        using var scope = factory.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>().ShouldBeOfType<PortalRevalidatingAuthenticationStateProvider>();
    }

    [GeneratedRegex("name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
