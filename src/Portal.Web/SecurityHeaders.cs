namespace Portal.Web;

/// <summary>
/// Issue #15 (9): the headers every response carries. The Content-Security-Policy is one Blazor Server and MudBlazor work
/// under: scripts from the portal only (no inline script, no eval); styles allow inline because MudBlazor writes its theme
/// and component styles inline; the circuit's WebSocket is same-origin; forms post to the portal, or to the OIDC provider
/// (sign-out hands over to it). The Hangfire dashboard (admin only) writes inline scripts, and the built-in development
/// OIDC provider (/connect) answers with the protocol's self-submitting form_post page: both keep their own pages.
/// </summary>
public static class SecurityHeaders
{
    public static string ContentSecurityPolicy(string? oidcAuthority)
    {
        var formAction = "'self'";
        if (Uri.TryCreate(oidcAuthority, UriKind.Absolute, out var authority)) formAction += $" {authority.GetLeftPart(UriPartial.Authority)}";
        return string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            $"form-action {formAction}",
            "frame-ancestors 'none'");
    }

    public static IApplicationBuilder UsePortalSecurityHeaders(this IApplicationBuilder app, string? oidcAuthority)
    {
        var csp = ContentSecurityPolicy(oidcAuthority);
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                if (!context.Request.Path.StartsWithSegments("/hangfire") && !context.Request.Path.StartsWithSegments("/connect"))
                    headers.ContentSecurityPolicy = csp;
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
