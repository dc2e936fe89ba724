using System.Net;
using System.Text.RegularExpressions;

namespace Portal.IntegrationTests;

/// <summary>Walks the real OpenID Connect flow (code + PKCE, form_post) through the dev provider's login page.</summary>
public static partial class OidcLogin
{
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string returnUrl = "/")
    {
        var response = await client.GetAsync($"/connexion?returnUrl={Uri.EscapeDataString(returnUrl)}");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, "the portal challenges with the OIDC provider");
        response = await FollowAsync(client, response); // /connect/authorize → login page redirect
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var loginPage = await client.GetStringAsync(response.Headers.Location);
        var token = AntiforgeryField().Match(loginPage);
        token.Success.ShouldBeTrue("the login page carries an antiforgery token");
        var returnTo = ReturnUrlField().Match(loginPage).Groups[1].Value;

        response = await client.PostAsync("/dev-oidc/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value),
            ["returnUrl"] = WebUtility.HtmlDecode(returnTo),
            ["email"] = email,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response = await FollowAsync(client, response); // /connect/authorize → auto-post form to /signin-oidc
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var form = await response.Content.ReadAsStringAsync();
        var fields = HiddenInput().Matches(form).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        var action = FormAction().Match(form).Groups[1].Value;
        return await client.PostAsync(WebUtility.HtmlDecode(action), new FormUrlEncodedContent(fields));
    }

    public static async Task<HttpResponseMessage> FollowAsync(HttpClient client, HttpResponseMessage response) =>
        await client.GetAsync(response.Headers.Location);

    [GeneratedRegex("<input type=\"hidden\" name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<input type=\"hidden\" name=\"returnUrl\" value=\"([^\"]+)\"")]
    private static partial Regex ReturnUrlField();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();
}
