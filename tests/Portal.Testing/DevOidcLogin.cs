using System.Net;
using System.Text.RegularExpressions;

namespace Portal.Testing;

/// <summary>
/// Walks the real OpenID Connect flow (code + PKCE, form_post) through the built-in dev provider's login page, as a
/// browser would: the integration tests and the benchmark log in with it. The client must not follow redirects.
/// </summary>
public static partial class DevOidcLogin
{
    /// <summary>Logs <paramref name="email"/> in; returns the portal's answer to the form_post callback (a redirect when signed in).</summary>
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string returnUrl = "/")
    {
        var response = await client.GetAsync($"/connexion?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Expect(response, HttpStatusCode.Redirect, "the portal challenges with the OIDC provider");
        response = await client.GetAsync(response.Headers.Location);
        Expect(response, HttpStatusCode.Redirect, "the provider sends to its login page");
        var loginPage = await client.GetStringAsync(response.Headers.Location);
        var token = AntiforgeryField().Match(loginPage);
        if (!token.Success) throw new InvalidOperationException("Login: the login page has no antiforgery token.");
        var returnTo = ReturnUrlField().Match(loginPage).Groups[1].Value;

        response = await client.PostAsync("/dev-oidc/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value),
            ["returnUrl"] = WebUtility.HtmlDecode(returnTo),
            ["email"] = email,
        }));
        Expect(response, HttpStatusCode.Redirect, "the provider accepts the account");
        response = await client.GetAsync(response.Headers.Location); // /connect/authorize → auto-post form to /signin-oidc
        Expect(response, HttpStatusCode.OK, "the provider answers with the form_post page");
        var form = await response.Content.ReadAsStringAsync();
        var fields = HiddenInput().Matches(form).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        var action = FormAction().Match(form).Groups[1].Value;
        return await client.PostAsync(WebUtility.HtmlDecode(action), new FormUrlEncodedContent(fields));
    }

    /// <summary>Throws with what was expected when a step answers another status.</summary>
    public static void Expect(HttpResponseMessage response, HttpStatusCode status, string what)
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
