using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Offer;

namespace Portal.Application.Features.Sessions;

/// <summary>
/// O7: closes a session's prescriptions once its registration deadline (a calendar day, inclusive)
/// has passed. Set-based and idempotent.
/// </summary>
public sealed class CloseRegistrationsJob(IAppDbContextFactory dbFactory, TimeProvider clock) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var today = TrainingSession.Today(clock.GetUtcNow());
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        await db.Sessions
            .Where(s => (s.Status == SessionStatus.Open || s.Status == SessionStatus.Suspended) && s.RegistrationDeadline < today)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Status, SessionStatus.Closed)
                .SetProperty(s => s.Version, s => s.Version + 1), cancellationToken);
    }
}
