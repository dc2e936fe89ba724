using System.Collections.Concurrent;
using System.Security.Claims;
using Portal.Application.Abstractions;
using Portal.Application.Features.Identity;
using Portal.Application.Security;
using Portal.Domain.Identity;

namespace Portal.Web.Auth;

/// <summary>
/// Checks a cookie's session against its server-side record (ADR 0018). A request's check is cached for
/// <see cref="CacheWindow"/> at most (a page and its assets cost one indexed lookup), and it slides the record's expiry
/// as the cookie's slides; a circuit's revalidation reads the record every time. Sessions ended here, or announced as
/// ended by <see cref="UserSessionsEnded"/> (any server, through the live backplane), are dropped from the cache at once.
/// </summary>
public sealed class UserSessionGate : IDisposable
{
    /// <summary>How long a server may keep trusting a session it found live: the longest another server's logout takes to bite.</summary>
    public static readonly TimeSpan CacheWindow = TimeSpan.FromSeconds(5);

    private const int MaxCached = 100_000;

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _liveUntil = new();
    private readonly StartUserSession.Handler _start;
    private readonly ValidateUserSession.Handler _validate;
    private readonly EndUserSession.Handler _end;
    private readonly TimeProvider _clock;
    private readonly IDisposable _subscription;

    public UserSessionGate(StartUserSession.Handler start, ValidateUserSession.Handler validate, EndUserSession.Handler end,
        TimeProvider clock, ILiveNotifier notifier)
    {
        _start = start;
        _validate = validate;
        _end = end;
        _clock = clock;
        _subscription = notifier.Subscribe<UserSessionsEnded>(ended =>
        {
            foreach (var id in ended.SessionIds) Forget(id);
            return Task.CompletedTask;
        });
    }

    /// <summary>The session id the cookie carries, if any.</summary>
    public static Guid? SessionIdOf(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirst(PortalClaims.SessionId)?.Value, out var id) ? id : null;

    /// <summary>A login: records the session and returns its id, for the cookie.</summary>
    public Task<Guid> StartAsync(Guid? userId, string subject, CancellationToken cancellationToken) =>
        _start.HandleAsync(new StartUserSession(userId, subject), cancellationToken);

    /// <summary>A request of the session's browser: live? (cached for <see cref="CacheWindow"/>; slides the expiry).</summary>
    public async Task<bool> IsLiveAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (SessionIdOf(user) is not { } id) return false;
        var now = _clock.GetUtcNow();
        if (_liveUntil.TryGetValue(id, out var until) && now < until) return true;
        var result = await _validate.HandleAsync(new ValidateUserSession(id, Touch: true), cancellationToken);
        if (!result.IsLive)
        {
            Forget(id);
            return false;
        }
        if (_liveUntil.Count >= MaxCached) _liveUntil.Clear();
        var cacheUntil = now + CacheWindow;
        _liveUntil[id] = result.ExpiresAt is { } expires && expires < cacheUntil ? expires : cacheUntil;
        return true;
    }

    /// <summary>An open screen's revalidation: reads the record (no cache, no sliding: an idle tab does not keep a session alive).</summary>
    public async Task<bool> IsStillLiveAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (SessionIdOf(user) is not { } id) return false;
        var result = await _validate.HandleAsync(new ValidateUserSession(id, Touch: false), cancellationToken);
        if (!result.IsLive) Forget(id);
        return result.IsLive;
    }

    /// <summary>Logout: ends this session (the other sessions of the user stay).</summary>
    public async Task EndAsync(Guid sessionId, SessionEndReason reason, CancellationToken cancellationToken)
    {
        Forget(sessionId);
        await _end.HandleAsync(new EndUserSession(sessionId, reason), cancellationToken);
        Forget(sessionId);
    }

    public void Forget(Guid sessionId) => _liveUntil.TryRemove(sessionId, out _);

    public void Dispose() => _subscription.Dispose();
}
