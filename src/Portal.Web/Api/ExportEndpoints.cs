using Portal.Application.Export;
using Portal.Application.Features.Exports;
using Portal.Domain.Exports;
using Portal.Web.Auth;

namespace Portal.Web.Api;

/// <summary>
/// Q3, Q4: one export path for every list. <c>/api/exports/{list}.{csv|xlsx}?…</c> takes the screen's filters as its
/// query string; the list checks the user's scope (another organisation: 404). A small list comes back as the file;
/// a large one is queued and the browser is sent to "Mes exports" (<c>/exports?nouveau={id}</c>), where it arrives
/// when ready. <c>/api/exports/{id}/fichier</c> gives a finished export's file to its requester only (anyone else: 404).
/// </summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/exports").RequireAuthorization(PortalPolicies.PortalUser).AddEndpointFilter(ApiEndpoints.TranslateErrors);

        api.MapGet("/{list}.{format}", async (string list, string format, HttpContext ctx, RequestExport.Handler handler) =>
        {
            if (!TryFormat(format, out var exportFormat))
                return Results.Problem(title: "Format d'export inconnu : choisissez csv ou xlsx.", statusCode: StatusCodes.Status404NotFound);
            var parameters = new ExportParameters(ctx.Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())));
            var outcome = await handler.HandleAsync(new RequestExport(list, exportFormat, parameters), ApiEndpoints.User(ctx), ctx.RequestAborted);
            ctx.Response.Headers.CacheControl = "private, no-store";
            return outcome switch
            {
                RequestExport.Inline inline => Results.File(inline.Content, inline.ContentType, inline.FileName),
                RequestExport.Queued queued => Results.Redirect(MyExportsUrl(queued.ExportId)),
                _ => Results.Problem(title: "Export impossible.", statusCode: StatusCodes.Status400BadRequest),
            };
        });

        api.MapGet("/{id}/fichier", async (string id, HttpContext ctx, GetExportFile.Handler handler) =>
        {
            if (!Guid.TryParse(id, out var exportId))
                return Results.Problem(title: "Identifiant d'export invalide.", statusCode: StatusCodes.Status400BadRequest);
            var download = await handler.HandleAsync(new GetExportFile(exportId), ApiEndpoints.User(ctx), ctx.RequestAborted);
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            ctx.Response.Headers.CacheControl = "private, no-store";
            return Results.Stream(download.Content, download.ContentType, download.FileName);
        });
        return app;
    }

    /// <summary>The URL of a list's export, with the screen's filters.</summary>
    public static string Url(string listKey, ExportFormat format, ExportParameters? parameters = null) =>
        $"/api/exports/{listKey}.{(format == ExportFormat.Csv ? "csv" : "xlsx")}{(parameters ?? ExportParameters.Empty).ToQueryString()}";

    public static string FileUrl(Guid exportId) => $"/api/exports/{exportId}/fichier";

    public static string MyExportsUrl(Guid exportId) => $"/exports?nouveau={exportId}";

    private static bool TryFormat(string format, out ExportFormat exportFormat)
    {
        exportFormat = format == "xlsx" ? ExportFormat.Xlsx : ExportFormat.Csv;
        return format is "csv" or "xlsx";
    }
}
