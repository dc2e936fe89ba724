using System.Collections.Concurrent;
using System.Security.Claims;
using Portal.Application.Abstractions;
using Portal.Application.Features.Identity;
using Portal.Application.Security;
using Portal.Domain.Identity;

namespace Portal.Web.Auth;

/// <summary>
/// Checks a cookie's session against its server-side record (ADR 0018). A request's check is trusted for
/// <see cref="SessionTrustCache.Window"/> at most (a page and its assets cost one indexed lookup), and it slides the
/// record's expiry as the cookie's slides; a circuit's revalidation reads the record every time. Sessions ended on this
/// server are dropped by their handlers before they return; those announced as ended by <see cref="UserSessionsEnded"/>
/// (another server, through the live backplane) when the event arrives.
/// </summary>
public sealed class UserSessionGate : IDisposable
{
    private readonly StartUserSession.Handler _start;
    private readonly ValidateUserSession.Handler _validate;
    private readonly EndUserSession.Handler _end;
    private readonly SessionTrustCache _trust;
    private readonly IDisposable _subscription;

    public UserSessionGate(StartUserSession.Handler start, ValidateUserSession.Handler validate, EndUserSession.Handler end,
        SessionTrustCache trust, ILiveNotifier notifier)
    {
        _start = start;
        _validate = validate;
        _end = end;
        _trust = trust;
        _subscription = notifier.Subscribe<UserSessionsEnded>(ended =>
        {
            _trust.Ended(ended.SessionIds);
            return Task.CompletedTask;
        });
    }

    /// <summary>The session id the cookie carries, if any.</summary>
    public static Guid? SessionIdOf(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirst(PortalClaims.SessionId)?.Value, out var id) ? id : null;

    /// <summary>A login: records the session and returns its id, for the cookie.</summary>
    public Task<Guid> StartAsync(Guid? userId, string subject, CancellationToken cancellationToken) =>
        _start.HandleAsync(new StartUserSession(userId, subject), cancellationToken);

    /// <summary>A request of the session's browser: live? (trusted for the window once read; slides the expiry).</summary>
    public async Task<bool> IsLiveAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (SessionIdOf(user) is not { } id) return false;
        if (_trust.IsTrusted(id)) return true;
        var result = await _validate.HandleAsync(new ValidateUserSession(id, Touch: true), cancellationToken);
        if (!result.IsLive) return false;
        _trust.Trust(id, result.ExpiresAt);
        return true;
    }

    /// <summary>An open screen's revalidation: reads the record (no cache, no sliding: an idle tab does not keep a session alive).</summary>
    public async Task<bool> IsStillLiveAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (SessionIdOf(user) is not { } id) return false;
        var result = await _validate.HandleAsync(new ValidateUserSession(id, Touch: false), cancellationToken);
        if (!result.IsLive) _trust.Ended([id]);
        return result.IsLive;
    }

    /// <summary>Logout: ends this session (the other sessions of the user stay).</summary>
    public async Task EndAsync(Guid sessionId, SessionEndReason reason, CancellationToken cancellationToken)
    {
        _trust.Ended([sessionId]);
        await _end.HandleAsync(new EndUserSession(sessionId, reason), cancellationToken);
    }

    public void Dispose() => _subscription.Dispose();
}
