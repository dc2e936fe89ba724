using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Portal.Application.Features.Identity;
using Portal.Application.Security;
using Portal.Domain.Identity;

namespace Portal.Web.Auth;

/// <summary>
/// Login through OpenID Connect (authorization code + PKCE) into a cookie. On the way in, the user is
/// matched to a portal account (ResolveUser) and the portal's claims are added; an unknown user gets a
/// "pending" session and lands on the access-pending page, never on an error.
/// </summary>
public static class AuthSetup
{
    public const string PendingPath = "/acces-en-attente";
    public const string DeniedPath = "/acces-refuse";
    public const string FailedPath = "/connexion-echouee";

    public static IServiceCollection AddPortalAuthentication(this IServiceCollection services, OidcSettings settings, AuthSettings? auth = null)
    {
        auth ??= new AuthSettings();
        services.AddSingleton(settings);
        // Server-side sessions (issue #15, point 7; ADR 0018): the cookie carries a session id checked on every request.
        services.AddSingleton(auth);
        services.AddSingleton(UserSessionSettings.Default with { IdleTimeout = auth.SessionTimeout });
        services.AddSingleton<UserSessionGate>();
        services.AddScoped<SessionEndedState>();
        services.AddScoped<AuthenticationStateProvider, PortalRevalidatingAuthenticationStateProvider>();
        services.AddSingleton<PortalOrigin>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "portal.auth";
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = auth.SessionTimeout;
                o.SlidingExpiration = true;
                o.Events.OnSigningIn = OnSigningInAsync;
                o.Events.OnValidatePrincipal = OnValidatePrincipalAsync;
                o.AccessDeniedPath = DeniedPath;
                o.Events.OnRedirectToAccessDenied = ctx =>
                {
                    if (IsMachineRequest(ctx.Request)) ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                    else ctx.Response.Redirect(ctx.RedirectUri);
                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect(o =>
            {
                o.ClientId = settings.ClientId;
                o.ClientSecret = settings.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.SaveTokens = true;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.TokenValidationParameters.NameClaimType = ClaimTypes.Name;
                o.Scope.Clear();
                o.Scope.Add("openid");
                foreach (var scope in settings.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)) o.Scope.Add(scope);
                o.RequireHttpsMetadata = !settings.DevProvider && settings.RequireHttpsMetadata;
                if (!settings.DevProvider) o.Authority = settings.Authority;
                // Works on http://127.0.0.1 and behind TLS alike (TECH-NOTES: SameAsRequest needs Lax).
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Events.OnRedirectToIdentityProvider = ctx =>
                {
                    // Machines get a status code, not a login page.
                    if (IsMachineRequest(ctx.Request) && !ctx.Request.Path.StartsWithSegments("/hangfire"))
                    {
                        ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        ctx.HandleResponse();
                    }
                    return Task.CompletedTask;
                };
                o.Events.OnTokenValidated = OnTokenValidatedAsync;
                o.Events.OnRemoteFailure = ctx =>
                {
                    var reason = ctx.Failure?.Message.Contains("Correlation", StringComparison.OrdinalIgnoreCase) == true ? "expiree" : "refusee";
                    ctx.Response.Redirect($"{FailedPath}?motif={reason}");
                    ctx.HandleResponse();
                    return Task.CompletedTask;
                };
            });

        // The built-in provider is this very server: its address is known once Kestrel listens.
        if (settings.DevProvider)
        {
            services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
                .Configure<PortalOrigin, Microsoft.AspNetCore.Hosting.Server.IServer>((o, origin, server) =>
                {
                    if (string.IsNullOrEmpty(o.Authority)) o.Authority = origin.DevAuthority();
                    // Several servers behind a gateway (ADR 0023): the provider is this server, not whichever the gateway picks.
                    if (settings.Authority is { Length: > 0 } && Uri.TryCreate(o.Authority, UriKind.Absolute, out var authority))
                        o.BackchannelHttpHandler ??= new SelfBackchannel(authority, server);
                });
        }

        services.AddAuthorization(PortalPolicies.Configure);
        services.AddCascadingAuthenticationState();
        return services;
    }

    private static async Task OnTokenValidatedAsync(TokenValidatedContext ctx)
    {
        var principal = ctx.Principal!;
        var subject = principal.FindFirstValue("sub") ?? "";
        var email = principal.FindFirstValue("email");
        var resolver = ctx.HttpContext.RequestServices.GetRequiredService<ResolveUser.Handler>();
        var resolved = await resolver.HandleAsync(new ResolveUser(subject, email), ctx.HttpContext.RequestAborted);

        var identity = new ClaimsIdentity(principal.Identity!.AuthenticationType, ClaimTypes.Name, PortalClaims.Role);
        identity.AddClaim(new Claim("sub", subject));
        if (email is not null) identity.AddClaim(new Claim("email", email));
        var displayName = principal.FindFirstValue("name")
            ?? $"{principal.FindFirstValue("given_name")} {principal.FindFirstValue("usual_name") ?? principal.FindFirstValue("family_name")}".Trim();
        if (resolved is null)
        {
            identity.AddClaim(new Claim(ClaimTypes.Name, displayName.Length > 0 ? displayName : email ?? subject));
            identity.AddClaim(new Claim(PortalClaims.Pending, "true"));
            // Issue #14 (2): the names make the account of an access request; the SIRET's organisation is pre-selected in it.
            if (principal.FindFirstValue("given_name") is { Length: > 0 } given) identity.AddClaim(new Claim(PortalClaims.GivenName, given));
            if ((principal.FindFirstValue("usual_name") ?? principal.FindFirstValue("family_name")) is { Length: > 0 } family)
                identity.AddClaim(new Claim(PortalClaims.FamilyName, family));
            if (await resolver.MatchSiretAsync(principal.FindFirstValue("siret"), ctx.HttpContext.RequestAborted) is { } siretOrganisation)
            {
                identity.AddClaim(new Claim(PortalClaims.SiretOrganisation, siretOrganisation.Name));
                identity.AddClaim(new Claim(PortalClaims.SiretOrganisationId, siretOrganisation.Id.ToString()));
            }
            ctx.Properties!.RedirectUri = PendingPath;
        }
        else
        {
            identity.AddClaim(new Claim(ClaimTypes.Name, resolved.DisplayName));
            identity.AddClaim(new Claim(PortalClaims.UserId, resolved.UserId.ToString()));
            identity.AddClaim(new Claim(PortalClaims.OrganisationId, resolved.OrganisationId.ToString()));
            identity.AddClaim(new Claim(PortalClaims.OrganisationName, resolved.OrganisationName));
            identity.AddClaim(new Claim(PortalClaims.OrganisationKind, resolved.OrganisationKind.ToString()));
            identity.AddClaim(new Claim(PortalClaims.TerritoryId, resolved.TerritoryId.ToString()));
            foreach (var role in resolved.Roles) identity.AddClaim(new Claim(PortalClaims.Role, role.ToString()));
            if (resolved.IsDelegate) identity.AddClaim(new Claim(PortalClaims.Delegate, "true"));
        }
        ctx.Principal = new ClaimsPrincipal(identity);
    }

    /// <summary>A login: the session is recorded on the server and the cookie carries its id (ADR 0018).</summary>
    private static async Task OnSigningInAsync(CookieSigningInContext ctx)
    {
        if (ctx.Principal?.Identity is not ClaimsIdentity identity) return;
        var userId = Guid.TryParse(identity.FindFirst(PortalClaims.UserId)?.Value, out var id) ? id : (Guid?)null;
        var gate = ctx.HttpContext.RequestServices.GetRequiredService<UserSessionGate>();
        var sessionId = await gate.StartAsync(userId, identity.FindFirst("sub")?.Value ?? "", ctx.HttpContext.RequestAborted);
        foreach (var stale in identity.FindAll(PortalClaims.SessionId).ToList()) identity.RemoveClaim(stale);
        identity.AddClaim(new Claim(PortalClaims.SessionId, sessionId.ToString()));
    }

    /// <summary>
    /// Every request: a cookie whose session was ended (logout, a deactivated user, an ended membership), expired or is
    /// unknown (a cookie from before ADR 0018) is refused and removed: the API answers 401, a page goes to the login.
    /// </summary>
    private static async Task OnValidatePrincipalAsync(CookieValidatePrincipalContext ctx)
    {
        var gate = ctx.HttpContext.RequestServices.GetRequiredService<UserSessionGate>();
        if (ctx.Principal is { } principal && await gate.IsLiveAsync(principal, ctx.HttpContext.RequestAborted)) return;
        ctx.RejectPrincipal();
        await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private static bool IsMachineRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hangfire");

    public static IEndpointRouteBuilder MapPortalAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/connexion", (string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = LocalUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]))
            .AllowAnonymous();

        app.MapPost("/deconnexion", async (HttpContext ctx, IOptions<LogoutOptions> logout, UserSessionGate sessions) =>
        {
            // This browser's session ends on the server: its cookie, even copied before, opens nothing any more (ADR 0018).
            if (UserSessionGate.SessionIdOf(ctx.User) is { } sessionId)
                await sessions.EndAsync(sessionId, SessionEndReason.Logout, ctx.RequestAborted);
            await ctx.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (!logout.Value.SignOutAtProvider) return Results.LocalRedirect("/");
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIdConnectDefaults.AuthenticationScheme]);
        });
        return app;
    }

    /// <summary>Only local return addresses are followed (no open redirect).</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}

public sealed class LogoutOptions
{
    /// <summary>Also end the session at the identity provider (needs its end_session endpoint).</summary>
    public bool SignOutAtProvider { get; set; } = true;
}
