using MudBlazor;
using Portal.Application.Security;
using Portal.Domain.Common;

namespace Portal.Web.Components.Shared;

/// <summary>
/// Issue #15: the one way a screen turns a handler's refusal into what the user reads. A refusal is a
/// <see cref="DomainException"/> (a rule, in French, with its rule id), a <see cref="NotFoundException"/> (missing or
/// out of scope, ADR 0001) or an <see cref="AccessDeniedException"/>; its message is French and meant for the user.
/// Any other exception is a bug and goes on to the error boundary.
/// </summary>
public static class Refusals
{
    /// <summary>True for the exceptions whose message is shown to the user as it is.</summary>
    public static bool IsRefusal(this Exception exception) =>
        exception is DomainException or NotFoundException or AccessDeniedException;

    /// <summary>Runs <paramref name="action"/>: null when it went through, else the refusal's French message (for an inline alert).</summary>
    public static async Task<string?> RunAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception ex) when (ex.IsRefusal())
        {
            return ex.Message;
        }
    }

    /// <summary>Runs <paramref name="action"/>; a refusal is shown as a warning snackbar. True when the action went through.</summary>
    public static async Task<bool> RunAsync(this ISnackbar snackbar, Func<Task> action)
    {
        var refusal = await RunAsync(action);
        if (refusal is not null) snackbar.Add(refusal, Severity.Warning);
        return refusal is null;
    }
}
