using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Portal.Application.Abstractions;
using Portal.Domain.Common;
using Portal.Infrastructure.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Infrastructure.Identity;

/// <summary>
/// The small OpenID Connect provider the portal ships for development and demos (OpenIddict, under
/// /connect/*): authorization code + PKCE, ephemeral keys, a login page listing the demo accounts.
/// It issues ProConnect-style claims (sub, email, given_name, usual_name, siret). Off in production.
/// </summary>
public static class DevOidcProvider
{
    public const string ClientId = "portal";
    public const string LoginScheme = "DevOidcLogin";
    public const string DemoSubjectPrefix = "dev|";
    private const string LoginPath = "/dev-oidc/login";

    public static IServiceCollection AddDevOidcProvider(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(LoginScheme, o =>
        {
            o.Cookie.Name = "portal.devoidc";
            o.LoginPath = LoginPath;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<PortalDbContext>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.DisableAccessTokenEncryption();
                o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });
        return services;
    }

    /// <summary>Registers (or updates) the portal as a public client for each origin it is served from.</summary>
    public static async Task EnsureClientAsync(IServiceProvider services, IEnumerable<string> origins, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Portail de prescription",
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Email, Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var origin in origins.Select(o => o.TrimEnd('/')).Distinct())
        {
            descriptor.RedirectUris.Add(new Uri($"{origin}/signin-oidc"));
            descriptor.PostLogoutRedirectUris.Add(new Uri($"{origin}/signout-callback-oidc"));
        }
        var existing = await manager.FindByClientIdAsync(ClientId, cancellationToken);
        if (existing is null) await manager.CreateAsync(descriptor, cancellationToken);
        else await manager.UpdateAsync(existing, descriptor, cancellationToken);
    }

    public static IEndpointRouteBuilder MapDevOidcProvider(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/connect/authorize", ["GET", "POST"], (Delegate)AuthorizeAsync).ExcludeFromDescription();
        app.MapMethods("/connect/endsession", ["GET", "POST"], (Delegate)EndSessionAsync).ExcludeFromDescription();
        app.MapGet(LoginPath, (Delegate)LoginPageAsync).ExcludeFromDescription();
        app.MapPost(LoginPath, (Delegate)LoginAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, IAppDbContextFactory dbFactory)
    {
        var request = context.GetOpenIddictServerRequest();
        if (request is null) return Results.BadRequest("Requête d'autorisation invalide.");
        var login = await context.AuthenticateAsync(LoginScheme);
        if (!login.Succeeded || request.HasPromptValue(PromptValues.Login))
        {
            var here = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            return Results.Redirect($"{LoginPath}?returnUrl={Uri.EscapeDataString(here)}");
        }

        var email = login.Principal!.FindFirstValue(Claims.Email) ?? "";
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, login.Principal.FindFirstValue(Claims.Subject)!));
        identity.AddClaim(new Claim(Claims.Email, email));
        await using (var db = await dbFactory.CreateAsync(context.RequestAborted))
        {
            var user = await db.Users.AsNoTracking().Where(u => u.Email == email)
                .Select(u => new
                {
                    u.GivenName, u.FamilyName,
                    Siret = db.Memberships.Where(m => m.UserId == u.Id)
                        .Join(db.Organisations, m => m.OrganisationId, o => o.Id, (m, o) => o.Siret).FirstOrDefault(),
                })
                .FirstOrDefaultAsync(context.RequestAborted);
            if (user is not null)
            {
                identity.AddClaim(new Claim(Claims.GivenName, user.GivenName));
                identity.AddClaim(new Claim("usual_name", user.FamilyName));
                identity.AddClaim(new Claim(Claims.Name, $"{user.GivenName} {user.FamilyName}"));
                if (user.Siret is not null) identity.AddClaim(new Claim("siret", user.Siret));
            }
            else
            {
                identity.AddClaim(new Claim(Claims.Name, email));
                // Issue #14 (2): a person unknown to the portal may give their structure's SIRET, as ProConnect sends it.
                if (login.Principal.FindFirstValue("siret") is { } siret) identity.AddClaim(new Claim("siret", siret));
            }
        }
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(request.GetScopes());
        foreach (var claim in principal.Claims)
            claim.SetDestinations(Destinations.AccessToken, Destinations.IdentityToken);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(LoginScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private sealed record DemoAccount(string Email, string Name, string Role, string Organisation, string Territory);

    private static async Task<IResult> LoginPageAsync(HttpContext context, IAppDbContextFactory dbFactory, IAntiforgery antiforgery, string? returnUrl, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        await using var db = await dbFactory.CreateAsync(context.RequestAborted);
        var accounts = await db.Users.AsNoTracking()
            .Where(u => u.Subject != null && u.Subject.StartsWith(DemoSubjectPrefix))
            .SelectMany(u => db.Memberships.Where(m => m.UserId == u.Id), (u, m) => new { u, m })
            .Join(db.Organisations, x => x.m.OrganisationId, o => o.Id, (x, o) => new { x.u, x.m.Role, Org = o.Name, o.TerritoryId })
            .Join(db.Territories, x => x.TerritoryId, t => t.Id, (x, t) => new { x.u.Email, x.u.GivenName, x.u.FamilyName, x.Role, x.Org, Territory = t.Name })
            .ToListAsync(context.RequestAborted);
        var rows = accounts
            .OrderBy(a => a.Role).ThenBy(a => a.Territory).ThenBy(a => a.FamilyName)
            .Select(a => new DemoAccount(a.Email, $"{a.GivenName} {a.FamilyName}", a.Role.Label(), a.Org, a.Territory));
        return Results.Content(RenderLoginPage(rows, SafeReturnUrl(returnUrl), tokens, error), "text/html; charset=utf-8");
    }

    private static async Task<IResult> LoginAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
            return Results.BadRequest("Le formulaire a expiré : rechargez la page de connexion.");
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = SafeReturnUrl(form["returnUrl"]);
        var email = form["email"].ToString().Trim().ToLowerInvariant();
        if (email.Length is 0 or > 320 || !email.Contains('@', StringComparison.Ordinal))
            return Results.Redirect($"{LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}&error=email");
        var identity = new ClaimsIdentity(LoginScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, DemoSubjectPrefix + email));
        identity.AddClaim(new Claim(Claims.Email, email));
        var siret = string.Concat(form["siret"].ToString().Where(char.IsDigit));
        if (siret.Length == 14) identity.AddClaim(new Claim("siret", siret));
        await context.SignInAsync(LoginScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl);
    }

    /// <summary>Only the provider's own authorize endpoint is a valid return address (no open redirect).</summary>
    private static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is not null && returnUrl.StartsWith("/connect/authorize", StringComparison.Ordinal) ? returnUrl : "/";

    private static string RenderLoginPage(IEnumerable<DemoAccount> accounts, string returnUrl, AntiforgeryTokenSet tokens, string? error)
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Connexion de démonstration – Portail de prescription</title>
            <link rel="icon" href="/assets/favicon.svg">
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#1b1f24}
            header{background:#003a70;color:#fff;padding:1rem 2rem}header h1{margin:0;font-size:1.4rem}
            main{max-width:980px;margin:1.5rem auto;padding:0 1rem}
            p.note{background:#fff7e0;border-left:4px solid #b36b00;padding:.75rem 1rem}
            table{width:100%;border-collapse:collapse;background:#fff}th,td{padding:.5rem .75rem;border-bottom:1px solid #dde3ea;text-align:left}
            th{background:#e8eef5}button{background:#003a70;color:#fff;border:0;border-radius:4px;padding:.45rem .9rem;cursor:pointer;font-size:.95rem}
            button:focus,input:focus{outline:3px solid #ffbf47}input{padding:.45rem;font-size:1rem;width:22rem;max-width:100%}
            .error{color:#a4001a;font-weight:600}
            </style></head><body><header><h1>Portail de prescription – connexion de démonstration</h1></header><main>
            <p class="note">Ce fournisseur d'identité intégré sert au développement et aux démonstrations. En production, le portail utilise le fournisseur OpenID Connect de l'organisation (ProConnect, par exemple).</p>
            """);
        if (error is not null) html.Append("<p class=\"error\" role=\"alert\">Adresse e-mail invalide : saisissez une adresse complète.</p>");
        html.Append("<h2>Comptes de démonstration</h2><table><thead><tr><th scope=\"col\">Personne</th><th scope=\"col\">Rôle</th><th scope=\"col\">Organisation</th><th scope=\"col\">Territoire</th><th scope=\"col\"><span class=\"sr\">Action</span></th></tr></thead><tbody>");
        foreach (var a in accounts)
        {
            html.Append($"<tr><td>{H(a.Name)}<br><small>{H(a.Email)}</small></td><td>{H(a.Role)}</td><td>{H(a.Organisation)}</td><td>{H(a.Territory)}</td><td>")
                .Append($"<form method=\"post\" action=\"{LoginPath}\"><input type=\"hidden\" name=\"{H(tokens.FormFieldName)}\" value=\"{H(tokens.RequestToken!)}\">")
                .Append($"<input type=\"hidden\" name=\"returnUrl\" value=\"{H(returnUrl)}\"><input type=\"hidden\" name=\"email\" value=\"{H(a.Email)}\">")
                .Append($"<button type=\"submit\" aria-label=\"Se connecter en tant que {H(a.Name)} ({H(a.Role)})\">Se connecter</button></form></td></tr>");
        }
        html.Append("</tbody></table><h2>Autre adresse</h2><form method=\"post\" action=\"").Append(LoginPath).Append("\">")
            .Append($"<input type=\"hidden\" name=\"{H(tokens.FormFieldName)}\" value=\"{H(tokens.RequestToken!)}\"><input type=\"hidden\" name=\"returnUrl\" value=\"{H(returnUrl)}\">")
            .Append("<label for=\"email\">Adresse e-mail</label><br><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required><br>")
            .Append("<label for=\"siret\">SIRET de votre structure (facultatif)</label><br><input id=\"siret\" name=\"siret\" inputmode=\"numeric\" maxlength=\"17\" autocomplete=\"off\"> ")
            .Append("<button type=\"submit\">Continuer</button></form></main></body></html>");
        return html.ToString();
    }
}
