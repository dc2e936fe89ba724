using Microsoft.Net.Http.Headers;
using Portal.Application.Features.Eos;
using Portal.Domain.Organisations;
using Portal.Web.Auth;

namespace Portal.Web.Api;

/// <summary>S11: the anomalies of an EOS import as CSV, streamed, for the Région only (policy here, role check in the handler).</summary>
public static class EosEndpoints
{
    public static IEndpointRouteBuilder MapEosApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/region/coherence-eos").RequireAuthorization(PortalPolicies.For(Role.Region)).AddEndpointFilter(ApiEndpoints.TranslateErrors);

        api.MapGet("/{id:guid}/anomalies.csv", async (Guid id, HttpContext ctx, ExportEosAnomalies.Handler handler) =>
        {
            // Rights and the import are checked before the response starts; the rows are then streamed (100,000 anomalies at real size).
            var download = await handler.HandleAsync(new ExportEosAnomalies(id), ApiEndpoints.User(ctx), ctx.RequestAborted);
            ctx.Response.Headers[HeaderNames.CacheControl] = "private, no-store";
            return Results.Stream(body => download.WriteAsync(body, ctx.RequestAborted), "text/csv; charset=utf-8", download.FileName);
        });
        return app;
    }
}
