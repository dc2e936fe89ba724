using Microsoft.AspNetCore.Http;

namespace Portal.Web;

/// <summary>
/// Issue #15 (4): every state-changing request (POST, PUT, PATCH, DELETE) must come from the portal's own pages. The
/// browser says where a request comes from (<c>Sec-Fetch-Site</c>, and <c>Origin</c> on cross-origin requests and on every
/// POST); a request another site makes the victim's browser send is refused with a French 403 before it reaches any
/// endpoint, whatever the cookie's <c>SameSite</c> lets through. Requests without those headers (servers, scripts) carry
/// no cookie of a victim and go on to the endpoint's own authentication. Exempt: the OpenID Connect callbacks, which the
/// provider's page posts from its own origin (response_mode=form_post), and the built-in provider's protocol endpoints.
/// </summary>
public static class SameOriginGuard
{
    private static readonly PathString[] Exempt = ["/signin-oidc", "/signout-callback-oidc", "/connect"];

    public const string Message = "Requête refusée : elle ne vient pas d'une page du portail. Rechargez la page du portail et recommencez.";

    /// <summary>Whether the request is a state change sent from another site (or from an opaque origin).</summary>
    public static bool IsForeignStateChange(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
            return false;
        foreach (var path in Exempt)
            if (request.Path.StartsWithSegments(path)) return false;

        // "same-site" is refused too: a neighbouring sub-domain is another application.
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site") return true;

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return false;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return true; // "null" (sandboxed or file page) or garbage
        // The authority the browser addressed (the public name behind a proxy that keeps Host); the scheme is not compared,
        // since a proxy ending TLS hands an http request to the portal.
        return !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    public static IApplicationBuilder UsePortalSameOriginGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!IsForeignStateChange(context.Request))
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsJsonAsync(new
        {
            type = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
            title = Message,
            status = StatusCodes.Status403Forbidden,
        }, options: null, contentType: "application/problem+json; charset=utf-8");
    });
}
