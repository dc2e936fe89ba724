using Portal.Application.Features.Candidates;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Infrastructure.Persistence;
using Portal.Web.Auth;

namespace Portal.Web.Api;

/// <summary>
/// The JSON endpoints. Every one reads the user from the cookie and goes through the same handlers as
/// the screens (so the same scoping); refusals are 4xx problem documents in French, never a 500.
/// </summary>
public static class ApiEndpoints
{
    public sealed record OpenPlacesBody(int? OpenPlaces);

    public static IEndpointRouteBuilder MapPortalApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(PortalPolicies.PortalUser).AddEndpointFilter(TranslateErrors);

        api.MapGet("/candidates/{id:guid}", async (Guid id, HttpContext ctx, GetCandidate.Handler handler) =>
            Results.Ok(await handler.HandleAsync(new GetCandidate(id), User(ctx), ctx.RequestAborted)));

        api.MapGet("/prescriptions/{id:guid}", async (Guid id, HttpContext ctx, GetPrescription.Handler handler) =>
            Results.Ok(await handler.HandleAsync(new GetPrescription(id), User(ctx), ctx.RequestAborted)));

        // P4: a prescription's document, only for whoever may see the prescription (404 otherwise).
        api.MapGet("/prescriptions/{id:guid}/attachments/{attachmentId:guid}", async (Guid id, Guid attachmentId, HttpContext ctx, GetPrescriptionAttachment.Handler handler) =>
        {
            var download = await handler.HandleAsync(new GetPrescriptionAttachment(id, attachmentId), User(ctx), ctx.RequestAborted);
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            ctx.Response.Headers.CacheControl = "private, no-store";
            return Results.Stream(download.Content, download.ContentType, download.FileName);
        });

        // P8: the fiche complément, for the prescriber's organisation and the session's OF only.
        api.MapGet("/prescriptions/{id:guid}/complement", async (Guid id, HttpContext ctx, GetComplementThread.Handler handler) =>
            Results.Ok(await handler.HandleAsync(new GetComplementThread(id), User(ctx), ctx.RequestAborted)));

        api.MapPut("/sessions/{id:guid}/open-places", async (Guid id, OpenPlacesBody body, HttpContext ctx, UpdateOpenPlaces.Handler handler) =>
        {
            if (body.OpenPlaces is not { } places)
                return Results.Problem(title: "Le nombre de places ouvertes est obligatoire.", statusCode: StatusCodes.Status400BadRequest);
            await handler.HandleAsync(new UpdateOpenPlaces(id, places), User(ctx), ctx.RequestAborted);
            return Results.NoContent();
        });
        return app;
    }

    internal static CurrentUser User(HttpContext ctx) =>
        CurrentUser.FromPrincipal(ctx.User) ?? throw new AccessDeniedException("Votre accès au portail est en attente de validation.");

    internal static async ValueTask<object?> TranslateErrors(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (NotFoundException ex)
        {
            return Results.Problem(title: ex.Message, statusCode: StatusCodes.Status404NotFound);
        }
        catch (AccessDeniedException ex)
        {
            return Results.Problem(title: ex.Message, statusCode: StatusCodes.Status403Forbidden);
        }
        catch (DomainException ex)
        {
            var problem = Results.Problem(title: ex.Message, statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: ex.Rule is null ? null : new Dictionary<string, object?> { ["rule"] = ex.Rule });
            return problem;
        }
        // Busy on either provider (SQLite locked, PostgreSQL serialization failure or deadlock, ADR 0021): retry, not a 500.
        catch (Exception ex) when (DatabaseErrors.IsBusy(ex))
        {
            return Results.Problem(title: "La base de données est momentanément occupée : réessayez dans un instant.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
