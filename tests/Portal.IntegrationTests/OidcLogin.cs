using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>Walks the real OpenID Connect flow (code + PKCE, form_post) through the dev provider's login page (<see cref="DevOidcLogin"/>).</summary>
public static class OidcLogin
{
    public static Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string returnUrl = "/") =>
        DevOidcLogin.LoginAsync(client, email, returnUrl);

    public static async Task<HttpResponseMessage> FollowAsync(HttpClient client, HttpResponseMessage response) =>
        await client.GetAsync(response.Headers.Location);
}
