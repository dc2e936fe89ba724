using Portal.Application.Features.FollowUp;

namespace Portal.Web.Features.FollowUp;

/// <summary>
/// A7: a direct request for a dead candidate link (unknown, expired, revoked) answers 404 with the page's own French
/// "lien invalide ou expiré". The status is set as the response starts: Blazor writes no page for a request whose
/// status is already 404 when it renders, or that a component turns into a 404 (it leaves it to the status code pages).
/// </summary>
public static class FollowUpStatusCode
{
    public const string PathPrefix = "/mon-suivi";

    public static IApplicationBuilder UseCandidateFollowUpStatusCode(this IApplicationBuilder app) =>
        app.UseWhen(ctx => HttpMethods.IsGet(ctx.Request.Method) && ctx.Request.Path.StartsWithSegments(PathPrefix, out var rest)
                && rest.Value is { Length: > 1 } r && r.IndexOf('/', 1) < 0,
            branch => branch.Use(async (ctx, next) =>
            {
                var token = ctx.Request.Path.Value![(PathPrefix.Length + 1)..];
                var handler = ctx.RequestServices.GetRequiredService<GetCandidateFollowUp.Handler>();
                if (await handler.HandleAsync(new GetCandidateFollowUp(Uri.UnescapeDataString(token)), ctx.RequestAborted) is null)
                {
                    ctx.Response.OnStarting(() =>
                    {
                        ctx.Response.StatusCode = StatusCodes.Status404NotFound;
                        return Task.CompletedTask;
                    });
                }
                await next(ctx);
            }));
}
