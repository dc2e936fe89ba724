using System.Net;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>The real OpenID Connect flow (code + PKCE, form_post) through the dev provider's login page, as the integration tests walk it.</summary>
public static class Login
{
    /// <summary>A client carrying the login cookie of the demo account (no automatic redirects).</summary>
    public static async Task<HttpClient> ClientAsync(string baseUrl, string? local, int connections = 256) =>
        (await ClientWithCookiesAsync(baseUrl, local, connections)).Client;

    /// <summary><paramref name="local"/>: a demo account's local part, or a whole e-mail address (a generated user binds its subject at first login).</summary>
    public static async Task<(HttpClient Client, CookieContainer Cookies)> ClientWithCookiesAsync(string baseUrl, string? local, int connections = 256)
    {
        var cookies = new CookieContainer();
        var handler = new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(30) };
        var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        if (local is null) return (client, cookies);
        var email = local.Contains('@', StringComparison.Ordinal) ? local : $"{local}@{Portal.Infrastructure.Seed.DemoData.EmailDomain}";
        var response = await DevOidcLogin.LoginAsync(client, email);
        DevOidcLogin.Expect(response, HttpStatusCode.Redirect, "the portal signs the user in");
        return (client, cookies);
    }
}
