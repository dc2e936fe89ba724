using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Portal.Web.Api;

/// <summary>
/// Issue #15: a request the endpoints cannot bind (empty, malformed, wrong-type, huge or deep JSON, a wrong content type, a
/// query value of the wrong type) is a 4xx problem document in French naming the field, never a 500. Minimal APIs throw
/// <see cref="BadHttpRequestException"/> for these in every environment (<c>ThrowOnBadRequest</c>), and this handler,
/// behind the API's exception handler, answers them.
/// </summary>
public sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        var status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest;
        var result = Results.Problem(title: Describe(bad, status), statusCode: status);
        await result.ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>The French sentence for what was wrong with the request.</summary>
    public static string Describe(BadHttpRequestException bad, int status)
    {
        if (status == StatusCodes.Status415UnsupportedMediaType) return "Le corps de la requête doit être du JSON (Content-Type: application/json).";
        if (status == StatusCodes.Status413PayloadTooLarge) return "Le corps de la requête est trop volumineux.";
        if (bad.InnerException is JsonException json)
        {
            // A reader error (syntax, depth, an empty body) against a value that does not convert to the field's type.
            if (json.InnerException?.GetType().Name == "JsonReaderException" || json.Path is null)
                return json.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal)
                    ? "Le corps de la requête est vide : envoyez un objet JSON."
                    : "Le corps de la requête n'est pas un JSON valide.";
            var field = json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path;
            return $"Le champ « {field} » n'a pas le type attendu.";
        }
        if (bad.Message.Contains("body was provided", StringComparison.Ordinal) || bad.Message.Contains("from body", StringComparison.Ordinal))
            return "Le corps de la requête est vide : envoyez un objet JSON.";
        if (bad.Message.Contains("Content-Type", StringComparison.OrdinalIgnoreCase))
            return "Le corps de la requête doit être du JSON (Content-Type: application/json).";
        return "Requête invalide : vérifiez les paramètres envoyés.";
    }
}
