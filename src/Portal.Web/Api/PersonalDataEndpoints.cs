using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Portal.Application.Features.PersonalData;
using Portal.Web.Auth;
using Portal.Web.Features.PersonalData;

namespace Portal.Web.Api;

/// <summary>
/// Issue #14 (4), ADR 0025: a candidate's copy of their data, <c>/api/candidats/{id}/donnees.json</c> (every field, for
/// another service) and <c>/api/candidats/{id}/donnees.html</c> (a readable page to print or save). The référent of the
/// candidate's prescriber organisation or the prescriber who follows them; another organisation: 404, like an unknown
/// id; a user without the right: 403. Each download is logged by the handler.
/// </summary>
public static class PersonalDataEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static IEndpointRouteBuilder MapPersonalDataApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/candidats").RequireAuthorization(PortalPolicies.PortalUser).AddEndpointFilter(ApiEndpoints.TranslateErrors);

        api.MapGet("/{id:guid}/donnees.json", async (Guid id, HttpContext ctx, ExportCandidateData.Handler handler) =>
        {
            var copy = await handler.HandleAsync(new ExportCandidateData(id, CandidateDataFormat.Json), ApiEndpoints.User(ctx), ctx.RequestAborted);
            NoStore(ctx);
            return Results.File(JsonSerializer.SerializeToUtf8Bytes(copy, Json), "application/json; charset=utf-8", FileName(copy, "json"));
        });

        api.MapGet("/{id:guid}/donnees.html", async (Guid id, HttpContext ctx, ExportCandidateData.Handler handler) =>
        {
            var copy = await handler.HandleAsync(new ExportCandidateData(id, CandidateDataFormat.Html), ApiEndpoints.User(ctx), ctx.RequestAborted);
            NoStore(ctx);
            return Results.Content(CandidateDataHtml.Render(copy), "text/html; charset=utf-8");
        });
        return app;
    }

    public static string JsonUrl(Guid candidateId) => $"/api/candidats/{candidateId}/donnees.json";

    public static string HtmlUrl(Guid candidateId) => $"/api/candidats/{candidateId}/donnees.html";

    private static void NoStore(HttpContext ctx)
    {
        ctx.Response.Headers.CacheControl = "private, no-store";
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
    }

    private static string FileName(CandidateDataCopy copy, string extension) =>
        $"donnees-candidat-{copy.Candidate.Id:N}-{copy.ExportedAt:yyyyMMdd}.{extension}";
}
