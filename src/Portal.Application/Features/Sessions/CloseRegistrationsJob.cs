using Portal.Application.Abstractions;
using Portal.Domain.Offer;

namespace Portal.Application.Features.Sessions;

/// <summary>
/// O7: closes a session's prescriptions once its registration deadline (a calendar day, inclusive)
/// has passed. Set-based, chunked and idempotent; open screens update live.
/// </summary>
public sealed class CloseRegistrationsJob(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var today = TrainingSession.Today(clock.GetUtcNow());
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        await SessionStatusBatch.ApplyAsync(db, sessions => sessions
                .Where(s => (s.Status == SessionStatus.Open || s.Status == SessionStatus.Suspended) && s.RegistrationDeadline < today),
            SessionStatus.Closed, notifier, cancellationToken);
    }
}
