using System.Globalization;
using Portal.Application.Export;
using Portal.Application.Features.Observatory;
using Portal.Web.Auth;
using Portal.Web.Export;

namespace Portal.Web.Api;

/// <summary>
/// Q3 and Q1 exports: each table of the access and quality observatories, as shown, in CSV or XLSX. Bad dates or an unknown table or
/// format answer 400/404 in French; a user who may not read the observatory gets 403 (from the handler).
/// </summary>
public static class ObservatoryEndpoints
{
    public static IEndpointRouteBuilder MapObservatoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/observatoire").RequireAuthorization(PortalPolicies.PortalUser).AddEndpointFilter(ApiEndpoints.TranslateErrors);

        api.MapGet("/acces/{table}.{format}", async (string table, string format, string? du, string? au, string? departement, HttpContext ctx,
            GetAccessObservatory.Handler handler) =>
        {
            if (!AccessTables.Keys.Contains(table))
                return Results.Problem(title: $"Tableau inconnu : « {table} ».", statusCode: StatusCodes.Status404NotFound);
            if (Refusal(format, du, au, out var from, out var to) is { } refusal) return refusal;
            var result = await handler.HandleAsync(new GetAccessObservatory(from, to, string.IsNullOrWhiteSpace(departement) ? null : departement),
                ApiEndpoints.User(ctx), ctx.RequestAborted);
            return File(ctx, AccessTables.From(result).Single(t => t.Key == table), format, ReportTable.FileName("observatoire-acces", table, from, to));
        });
        api.MapGet("/qualite/{table}.{format}", async (string table, string format, string? du, string? au, HttpContext ctx,
            GetQualityIndicators.Handler handler) =>
        {
            if (!QualityTables.Keys.Contains(table))
                return Results.Problem(title: $"Tableau inconnu : « {table} ».", statusCode: StatusCodes.Status404NotFound);
            if (Refusal(format, du, au, out var from, out var to) is { } refusal) return refusal;
            var result = await handler.HandleAsync(new GetQualityIndicators(from, to), ApiEndpoints.User(ctx), ctx.RequestAborted);
            return File(ctx, QualityTables.From(result).Single(t => t.Key == table), format, ReportTable.FileName("observatoire-qualite", table, from, to));
        });
        return app;
    }

    private static IResult? Refusal(string format, string? du, string? au, out DateOnly from, out DateOnly to)
    {
        to = default;
        if (format is not ("csv" or "xlsx"))
        {
            from = default;
            return Results.Problem(title: "Format d'export inconnu : choisissez csv ou xlsx.", statusCode: StatusCodes.Status404NotFound);
        }
        if (!TryDay(du, out from) || !TryDay(au, out to))
            return Results.Problem(title: "Indiquez la période avec des dates au format AAAA-MM-JJ (paramètres du et au).", statusCode: StatusCodes.Status400BadRequest);
        return null;
    }

    private static IResult File(HttpContext ctx, ReportTable report, string format, string name)
    {
        ctx.Response.Headers.CacheControl = "private, no-store";
        return format == "csv"
            ? Results.File(report.ToCsv(), "text/csv; charset=utf-8", name + ".csv")
            : Results.File(XlsxExport.Write(report), XlsxExport.ContentType, name + ".xlsx");
    }

    private static bool TryDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
