using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Offer;

namespace Portal.Application.Features.Sessions;

/// <summary>
/// Moves the sessions a job selects to a new status, set-based, in chunks (SQLite has one writer: short
/// transactions keep readers fast), then tells the open screens through the notifier.
/// </summary>
internal static class SessionStatusBatch
{
    public const int ChunkSize = 500;

    public static async Task<int> ApplyAsync(IAppDbContext db, Func<IQueryable<TrainingSession>, IQueryable<TrainingSession>> matching,
        SessionStatus to, ILiveNotifier notifier, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var chunk = await matching(db.Sessions.AsNoTracking())
                .OrderBy(s => s.Id)
                .Take(ChunkSize)
                .Select(s => new { s.Id, s.OrganisationId, s.OpenPlaces, s.Capacity, s.Version })
                .ToListAsync(cancellationToken);
            if (chunk.Count == 0) return total;
            var ids = chunk.Select(s => s.Id).ToList();
            // The same filter again: a session changed meanwhile by a user is left alone (idempotent, no lost update).
            total += await matching(db.Sessions.Where(s => ids.Contains(s.Id)))
                .ExecuteUpdateAsync(u => u
                    .SetProperty(s => s.Status, to)
                    .SetProperty(s => s.Version, s => s.Version + 1), cancellationToken);
            foreach (var s in chunk)
                await notifier.PublishAsync(new SessionPlacesChanged(s.Id, s.OrganisationId, s.OpenPlaces, s.Capacity, to, s.Version + 1), cancellationToken);
            if (chunk.Count < ChunkSize) return total;
        }
    }
}
