using Portal.Application.Abstractions;
using Portal.Domain.Offer;

namespace Portal.Application.Features.Sessions;

/// <summary>
/// O4: opens to prescription every planned session whose start is at most 120 days away. Set-based,
/// chunked, idempotent (a second run finds nothing planned in the window); open screens update live.
/// </summary>
public sealed class PublishSessionsJob(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var today = TrainingSession.Today(clock.GetUtcNow());
        var lastStartToOpen = today.AddDays(TrainingSession.PublicationDays);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        await SessionStatusBatch.ApplyAsync(db, sessions => sessions
                .Where(s => s.Status == SessionStatus.Planned && s.Start <= lastStartToOpen)
                // A session whose registration deadline has passed is left to the closing job (never opened late).
                .Where(s => s.RegistrationDeadline >= today)
                // Only sessions of a validated fiche are ever published (O2): an imported draft stays planned.
                .Where(s => db.FicheActions.Any(f => f.Id == s.FicheActionId && f.Status == FicheStatus.Validated)),
            SessionStatus.Open, notifier, cancellationToken);
    }
}
