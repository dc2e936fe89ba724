namespace Portal.Web.Auth;

/// <summary>The signed-in sessions (section <c>Auth</c>; issue #15, point 7; ADR 0018).</summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";

    /// <summary>
    /// How long a session lives without a request: the cookie's sliding lifetime and the server-side record's alike.
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(10);

    /// <summary>
    /// How often an open screen (a Blazor Server circuit) checks that its session is still live; once it is not (logout in
    /// another tab, on another server, a deactivated user), the screen drops its data and says so.
    /// </summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromSeconds(15);

    public static AuthSettings Read(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<AuthSettings>() ?? new AuthSettings();
        if (settings.SessionTimeout <= TimeSpan.Zero || settings.RevalidationInterval <= TimeSpan.Zero)
            throw new InvalidOperationException("Auth:SessionTimeout et Auth:RevalidationInterval doivent être des durées positives (hh:mm:ss).");
        return settings;
    }
}
