using Microsoft.Net.Http.Headers;
using Portal.Application.Features.Order;
using Portal.Web.Auth;

namespace Portal.Web.Api;

/// <summary>
/// Downloads of the regional order's documents (O3). The files live outside wwwroot; each download goes
/// through <see cref="GetTenderDocument"/>, so a document the user may not see now answers 404.
/// </summary>
public static class OrderEndpoints
{
    public static IEndpointRouteBuilder MapOrderApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/order").RequireAuthorization(PortalPolicies.PortalUser).AddEndpointFilter(ApiEndpoints.TranslateErrors);

        api.MapGet("/documents/{id:guid}", async (Guid id, HttpContext ctx, GetTenderDocument.Handler handler) =>
        {
            var download = await handler.HandleAsync(new GetTenderDocument(id), ApiEndpoints.User(ctx), ctx.RequestAborted);
            ctx.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            ctx.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
            // fileDownloadName: Content-Disposition attachment, never rendered inline by the browser.
            return Results.Stream(download.Content, download.ContentType, download.FileName);
        });
        return app;
    }

    /// <summary>The download address of a document, for the screens.</summary>
    public static string DocumentUrl(Guid documentId) => $"/api/order/documents/{documentId}";
}
