using System.Globalization;
using Portal.Application.Export;
using Portal.Application.Features.Observatory;
using Portal.Web.Auth;
using Portal.Domain.Exports;

namespace Portal.Web.Api;

/// <summary>
/// Q1, Q3, Q4 exports: each table of the quality and access observatories and of the evaluation report, as shown, in CSV or XLSX.
/// Bad dates or an unknown table or format answer 400/404 in French; a user who may not read the observatories
/// gets 403 (from the handler).
/// </summary>
public static class ObservatoryEndpoints
{
    public static IEndpointRouteBuilder MapObservatoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/observatoire").RequireAuthorization(PortalPolicies.PortalUser).AddEndpointFilter(ApiEndpoints.TranslateErrors);

        api.MapGet("/acces/{table}.{format}", (string table, string format, string? du, string? au, string? departement, HttpContext ctx,
            GetAccessObservatory.Handler handler) =>
            ExportAsync(ctx, "observatoire-acces", table, format, du, au, AccessTables.Keys, async (from, to) =>
                AccessTables.From(await handler.HandleAsync(new GetAccessObservatory(from, to, string.IsNullOrWhiteSpace(departement) ? null : departement),
                    ApiEndpoints.User(ctx), ctx.RequestAborted))));

        api.MapGet("/qualite/{table}.{format}", (string table, string format, string? du, string? au, HttpContext ctx, GetQualityIndicators.Handler handler) =>
            ExportAsync(ctx, "observatoire-qualite", table, format, du, au, QualityTables.Keys, async (from, to) =>
                QualityTables.From(await handler.HandleAsync(new GetQualityIndicators(from, to), ApiEndpoints.User(ctx), ctx.RequestAborted))));

        api.MapGet("/evaluation/{table}.{format}", (string table, string format, string? du, string? au, HttpContext ctx, GetEvaluationReport.Handler handler) =>
            ExportAsync(ctx, "evaluation", table, format, du, au, GetEvaluationReport.Keys, async (from, to) =>
                (await handler.HandleAsync(new GetEvaluationReport(from, to), ApiEndpoints.User(ctx), ctx.RequestAborted)).Tables()));
        return app;
    }

    /// <summary>Checks the table, the format and the period, then writes the table as shown.</summary>
    private static async Task<IResult> ExportAsync(HttpContext ctx, string prefix, string table, string format, string? du, string? au,
        IReadOnlyList<string> keys, Func<DateOnly, DateOnly, Task<IReadOnlyList<ReportTable>>> tables)
    {
        if (!keys.Contains(table))
            return Results.Problem(title: $"Tableau inconnu : « {table} ».", statusCode: StatusCodes.Status404NotFound);
        if (format is not ("csv" or "xlsx"))
            return Results.Problem(title: "Format d'export inconnu : choisissez csv ou xlsx.", statusCode: StatusCodes.Status404NotFound);
        if (!TryDay(du, out var from) || !TryDay(au, out var to))
            return Results.Problem(title: "Indiquez la période avec des dates au format AAAA-MM-JJ (paramètres du et au).", statusCode: StatusCodes.Status400BadRequest);
        var report = (await tables(from, to)).Single(t => t.Key == table);
        var name = ReportTable.FileName(prefix, table, from, to);
        var kind = format == "csv" ? ExportFormat.Csv : ExportFormat.Xlsx;
        var content = await report.WriteAsync(ctx.RequestServices.GetRequiredService<ExportWriter>(), kind, name, ctx.RequestAborted);
        ctx.Response.Headers.CacheControl = "private, no-store";
        return Results.File(content, ExportWriter.ContentType(kind), name + ExportWriter.Extension(kind));
    }

    private static bool TryDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
