namespace Portal.Web.Auth;

/// <summary>The `Oidc` section of the settings (see appsettings.sample.json and the README).</summary>
public sealed class OidcSettings
{
    /// <summary>Ship and use the built-in OpenIddict provider (development and demos only).</summary>
    public bool DevProvider { get; set; } = true;

    /// <summary>The provider's issuer URL; with the dev provider, empty means "this server".</summary>
    public string? Authority { get; set; }

    public string ClientId { get; set; } = "portal";

    public string? ClientSecret { get; set; }

    /// <summary>Space-separated scopes beyond `openid`.</summary>
    public string Scopes { get; set; } = "profile email";

    /// <summary>Require HTTPS for the provider's metadata (true outside the dev provider).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
