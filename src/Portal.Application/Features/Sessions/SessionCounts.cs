using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Sessions;

/// <summary>
/// O7: the prescriptions a session "holds" are its active ones. The rule (suspension, closure) and the
/// screens count them with this one predicate, so that what the OF reads is what the rule applies.
/// </summary>
public static class SessionCounts
{
    private static readonly PrescriptionStatus[] Active = PrescriptionLifecycle.Active;

    public static readonly Expression<Func<Prescription, bool>> HeldBySession = p => Active.Contains(p.Status);

    public static Task<int> HeldPrescriptionsAsync(IAppDbContext db, Guid sessionId, CancellationToken cancellationToken) =>
        db.Prescriptions.Where(p => p.SessionId == sessionId).CountAsync(HeldBySession, cancellationToken);
}
