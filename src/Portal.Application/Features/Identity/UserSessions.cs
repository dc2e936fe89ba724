using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Identity;

namespace Portal.Application.Features.Identity;

/// <summary>
/// The lifetimes of the server-side sessions (ADR 0018). <paramref name="IdleTimeout"/> is the cookie's sliding lifetime
/// too; <paramref name="TouchInterval"/> is how seldom a request moves the expiry (a write at most once per interval and
/// session); <paramref name="Retention"/> is how long an ended or expired row is kept before the purge deletes it.
/// </summary>
public sealed record UserSessionSettings(TimeSpan IdleTimeout, TimeSpan TouchInterval, TimeSpan Retention)
{
    public static readonly UserSessionSettings Default = new(TimeSpan.FromHours(10), TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
}

/// <summary>
/// Live event: sessions were ended (logout, a deactivated user, an ended membership). Every server drops what it cached
/// about them and the open circuits of those sessions lose their identity at once (ADR 0018, ADR 0014).
/// Topics: each session, and the user.
/// </summary>
public sealed record UserSessionsEnded(Guid? UserId, IReadOnlyList<Guid> SessionIds, SessionEndReason Reason) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => UserId is { } user ? [.. SessionIds, user] : SessionIds;
}

/// <summary>
/// What this server trusts about sessions between two reads of their records (ADR 0018): a session found live is trusted
/// for <see cref="Window"/> at most. A session ended on this server is dropped here before its handler returns (its
/// browser's next request is refused, however quickly it comes); one ended on another server is dropped when its
/// <see cref="UserSessionsEnded"/> arrives, or when its window runs out. An ended session is remembered for a minute, so
/// that a check that read the record just before the end cannot trust it again afterwards (issue #14, point 2).
/// </summary>
public sealed class SessionTrustCache(TimeProvider clock)
{
    /// <summary>How long a server may keep trusting a session it found live: the longest another server's logout takes to bite.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>How long an ended session is remembered: longer than any check of a record in flight when it ended.</summary>
    public static readonly TimeSpan EndedMemory = TimeSpan.FromMinutes(1);

    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _liveUntil = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _endedAt = new();

    /// <summary>Was the session found live less than <see cref="Window"/> ago (and not ended since)?</summary>
    public bool IsTrusted(Guid sessionId) => _liveUntil.TryGetValue(sessionId, out var until) && clock.GetUtcNow() < until;

    /// <summary>A check found the session live: trusted until <paramref name="expiresAt"/> or the end of the window.</summary>
    public void Trust(Guid sessionId, DateTimeOffset? expiresAt)
    {
        var until = clock.GetUtcNow() + Window;
        if (expiresAt is { } expires && expires < until) until = expires;
        if (_liveUntil.Count >= MaxEntries) _liveUntil.Clear();
        _liveUntil[sessionId] = until;
        // Written first, checked after: an end racing this check is seen either here or by Ended's removal.
        if (_endedAt.ContainsKey(sessionId)) _liveUntil.TryRemove(sessionId, out _);
    }

    /// <summary>Drops what this server trusted about the session: its next check reads the record.</summary>
    public void Forget(Guid sessionId) => _liveUntil.TryRemove(sessionId, out _);

    /// <summary>The sessions ended (here, or announced by another server): never trusted again.</summary>
    public void Ended(IEnumerable<Guid> sessionIds)
    {
        var now = clock.GetUtcNow();
        if (_endedAt.Count >= MaxEntries / 10)
            foreach (var (id, at) in _endedAt)
                if (now - at > EndedMemory) _endedAt.TryRemove(id, out _);
        foreach (var id in sessionIds)
        {
            _endedAt[id] = now;
            _liveUntil.TryRemove(id, out _);
        }
    }
}

/// <summary>A login: records the session whose id the cookie will carry (issue #15, point 7).</summary>
/// <param name="UserId">The portal account; null for a "pending" login (an identity the portal does not know yet).</param>
public sealed record StartUserSession(Guid? UserId, string Subject)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, UserSessionSettings settings)
    {
        public async Task<Guid> HandleAsync(StartUserSession command, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = new UserSession(command.UserId, command.Subject, clock.GetUtcNow(), settings.IdleTimeout);
            db.UserSessions.Add(session);
            await db.SaveChangesAsync(cancellationToken);
            return session.Id;
        }
    }
}

/// <summary>
/// Is the session still live (neither ended nor expired)? With <paramref name="Touch"/> (a request of its browser),
/// its expiry slides, written at most once per <see cref="UserSessionSettings.TouchInterval"/>. An unknown id is not live.
/// </summary>
public sealed record ValidateUserSession(Guid SessionId, bool Touch)
{
    /// <param name="ExpiresAt">The session's expiry (after the touch), when live.</param>
    public sealed record Result(bool IsLive, DateTimeOffset? ExpiresAt);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, UserSessionSettings settings)
    {
        public async Task<Result> HandleAsync(ValidateUserSession query, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = await db.UserSessions.FirstOrDefaultAsync(s => s.Id == query.SessionId, cancellationToken);
            var now = clock.GetUtcNow();
            if (session is null || !session.IsLiveAt(now)) return new Result(false, null);
            if (query.Touch && now - session.LastSeenAt >= settings.TouchInterval)
            {
                session.Touch(now, settings.IdleTimeout);
                await db.SaveChangesAsync(cancellationToken);
            }
            return new Result(true, session.ExpiresAt);
        }
    }
}

/// <summary>Ends one session (logout: this browser only). False when it was already ended or unknown.</summary>
/// <remarks>The caller passes the session id read from the signed-in user's own cookie: no one ends another's session here.</remarks>
public sealed record EndUserSession(Guid SessionId, SessionEndReason Reason)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier, SessionTrustCache trust)
    {
        public async Task<bool> HandleAsync(EndUserSession command, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = await db.UserSessions.FirstOrDefaultAsync(s => s.Id == command.SessionId, cancellationToken);
            if (session is null || session.EndedAt is not null) return false;
            session.End(command.Reason, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            trust.Ended([session.Id]);
            await notifier.PublishAsync(new UserSessionsEnded(session.UserId, [session.Id], command.Reason), cancellationToken);
            return true;
        }
    }
}

/// <summary>
/// Ends every open session of a user, on every server (issue #14, point 2: a deactivated user or an ended membership
/// loses access at once; their next request is refused and their open screens say so). Returns how many were ended.
/// </summary>
/// <remarks>
/// A service for the handlers that decide it (deactivating a user, ending a membership): they check that their caller
/// may do so; this one only ends the sessions.
/// </remarks>
public sealed record EndAllSessionsForUser(Guid UserId, SessionEndReason Reason)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier, SessionTrustCache trust)
    {
        public async Task<int> HandleAsync(EndAllSessionsForUser command, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var open = await db.UserSessions.Where(s => s.UserId == command.UserId && s.EndedAt == null).ToListAsync(cancellationToken);
            if (open.Count == 0) return 0;
            var now = clock.GetUtcNow();
            foreach (var session in open) session.End(command.Reason, now);
            await db.SaveChangesAsync(cancellationToken);
            // This server refuses their next request at once; the others on the event below (or within their window).
            trust.Ended(open.Select(s => s.Id));
            await notifier.PublishAsync(new UserSessionsEnded(command.UserId, [.. open.Select(s => s.Id)], command.Reason), cancellationToken);
            return open.Count;
        }
    }
}

/// <summary>
/// Deletes the session rows ended or expired more than <see cref="UserSessionSettings.Retention"/> ago (recurring;
/// idempotent; the clock is the injected <see cref="TimeProvider"/>). A deleted row refuses its cookie like an ended one.
/// </summary>
public sealed class PurgeUserSessionsJob(IAppDbContextFactory dbFactory, TimeProvider clock, UserSessionSettings settings) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var cutoff = clock.GetUtcNow() - settings.Retention;
        await db.UserSessions
            .Where(s => s.ExpiresAt <= cutoff || (s.EndedAt != null && s.EndedAt <= cutoff))
            .ExecuteDeleteAsync(cancellationToken);
    }
}
