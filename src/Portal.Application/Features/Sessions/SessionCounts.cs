using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Sessions;

/// <summary>
/// O7: the charter lets the OF suspend or close a session that "a atteint" 5 × its capacity in prescriptions: every
/// prescription ever received on the session counts, whatever became of it since (cancelled, withdrawn, expired,
/// refused…), so that a session once at 5 × capacity stays suspendable (ADR 0017). The rule and the screens count
/// with this one predicate, so that what the OF reads is what the rule applies.
/// </summary>
public static class SessionCounts
{
    /// <summary>O7: every prescription counts (kept as a predicate so that the screens' SQL and the rule stay one).</summary>
    public static readonly Expression<Func<Prescription, bool>> ReceivedBySession = p => true;

    public static Task<int> ReceivedPrescriptionsAsync(IAppDbContext db, Guid sessionId, CancellationToken cancellationToken) =>
        db.AllPrescriptions.Where(p => p.SessionId == sessionId).CountAsync(ReceivedBySession, cancellationToken);
}
