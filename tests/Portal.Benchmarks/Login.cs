using System.Net;
using System.Text.RegularExpressions;

namespace Portal.Benchmarks;

/// <summary>The real OpenID Connect flow (code + PKCE, form_post) through the dev provider's login page, as the integration tests walk it.</summary>
public static partial class Login
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
        var response = await client.GetAsync("/connexion?returnUrl=%2F");
        Expect(response, HttpStatusCode.Redirect, "the portal challenges with the OIDC provider");
        response = await client.GetAsync(response.Headers.Location);
        Expect(response, HttpStatusCode.Redirect, "the provider sends to its login page");
        var loginPage = await client.GetStringAsync(response.Headers.Location);
        var token = AntiforgeryField().Match(loginPage);
        if (!token.Success) throw new InvalidOperationException("The login page has no antiforgery token.");
        var returnTo = ReturnUrlField().Match(loginPage).Groups[1].Value;
        response = await client.PostAsync("/dev-oidc/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value),
            ["returnUrl"] = WebUtility.HtmlDecode(returnTo),
            ["email"] = email,
        }));
        Expect(response, HttpStatusCode.Redirect, "the provider accepts the demo account");
        response = await client.GetAsync(response.Headers.Location);
        Expect(response, HttpStatusCode.OK, "the provider answers with the form_post page");
        var form = await response.Content.ReadAsStringAsync();
        var fields = HiddenInput().Matches(form).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        var action = FormAction().Match(form).Groups[1].Value;
        response = await client.PostAsync(WebUtility.HtmlDecode(action), new FormUrlEncodedContent(fields));
        Expect(response, HttpStatusCode.Redirect, "the portal signs the user in");
        return (client, cookies);
    }

    private static void Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        if (response.StatusCode != status)
            throw new InvalidOperationException($"Login: expected {status} ({what}), got {(int)response.StatusCode} for {response.RequestMessage?.RequestUri}");
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<input type=\"hidden\" name=\"returnUrl\" value=\"([^\"]+)\"")]
    private static partial Regex ReturnUrlField();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();
}
