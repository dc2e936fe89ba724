using Portal.Application.Abstractions;
using Portal.Domain.Offer;

namespace Portal.Application.Features.Sessions;

/// <summary>
/// O7 (the session's life, ADR 0017): a session open, suspended or closed is *En cours* from its first day (Paris
/// calendar day) and *Terminée* once its last day has passed. Set-based, chunked and idempotent (a second run finds
/// nothing to move); a session whose whole life went by unseen goes through both in one run. Open screens update live
/// (<see cref="SessionPlacesChanged"/> with the new status, like the publication and closing jobs). What each state
/// forbids is enforced by <see cref="TrainingSession"/> and the handlers.
/// </summary>
public sealed class SessionLifeJob(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var today = TrainingSession.Today(clock.GetUtcNow());
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        await SessionStatusBatch.ApplyAsync(db, sessions => sessions
                .Where(s => (s.Status == SessionStatus.Open || s.Status == SessionStatus.Suspended || s.Status == SessionStatus.Closed) && s.Start <= today),
            SessionStatus.Running, notifier, cancellationToken);
        await SessionStatusBatch.ApplyAsync(db, sessions => sessions
                .Where(s => s.Status == SessionStatus.Running && s.End < today),
            SessionStatus.Finished, notifier, cancellationToken);
    }
}
