using Portal.Domain.Common;

namespace Portal.Domain.Identity;

/// <summary>Why a signed-in session ended before its expiry (issue #15, point 7; issue #14, point 2).</summary>
public enum SessionEndReason
{
    /// <summary>The user logged out (this session only).</summary>
    Logout = 0,

    /// <summary>The user's account was deactivated: every session of theirs ends.</summary>
    UserDeactivated = 1,

    /// <summary>One of the user's memberships was ended: every session of theirs ends (their claims are stale).</summary>
    MembershipEnded = 2,

    /// <summary>An administrator ended the sessions.</summary>
    EndedByAdministrator = 3,
}

/// <summary>
/// The server's record of one signed-in browser session: the cookie carries only its id (claim
/// <c>portal:sid</c>), and every server checks the record, so that logging out, deactivating a user or ending a
/// membership ends the access of that cookie everywhere, at once (ADR 0018).
/// </summary>
public sealed class UserSession : Entity
{
    private UserSession() { }

    /// <param name="userId">The portal account; null for a "pending" login (an identity unknown to the portal).</param>
    /// <param name="subject">The identity provider's <c>sub</c>.</param>
    /// <param name="idleTimeout">How long the session lives without a request (the cookie's sliding lifetime).</param>
    public UserSession(Guid? userId, string subject, DateTimeOffset now, TimeSpan idleTimeout)
    {
        if (idleTimeout <= TimeSpan.Zero) throw new DomainException("La durée d'une session doit être positive.");
        UserId = userId;
        TextLimit.Ensure(subject, SubjectMaxLength, "L'identifiant de connexion");
        Subject = subject ?? "";
        CreatedAt = now;
        LastSeenAt = now;
        ExpiresAt = now + idleTimeout;
    }

    public const int SubjectMaxLength = 255;

    public Guid? UserId { get; private set; }
    public string Subject { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset LastSeenAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public SessionEndReason? EndedReason { get; private set; }

    /// <summary>Neither ended nor past its expiry.</summary>
    public bool IsLiveAt(DateTimeOffset now) => EndedAt is null && now < ExpiresAt;

    /// <summary>A request was seen: the expiry slides, as the cookie's does. An ended or expired session stays so.</summary>
    public void Touch(DateTimeOffset now, TimeSpan idleTimeout)
    {
        if (!IsLiveAt(now)) return;
        LastSeenAt = now;
        ExpiresAt = now + idleTimeout;
    }

    /// <summary>Ends the session (idempotent: the first end and its reason are kept).</summary>
    public void End(SessionEndReason reason, DateTimeOffset now)
    {
        if (EndedAt is not null) return;
        EndedAt = now;
        EndedReason = reason;
    }
}
