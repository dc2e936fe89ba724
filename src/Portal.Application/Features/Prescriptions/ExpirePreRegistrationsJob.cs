using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Prescriptions;

/// <summary>
/// O5: for grouped entries, pending pre-registrations stay active until the session's late-entry date
/// (inclusive) and expire the day after; the session's registrations close. O6: for permanent entries,
/// a pre-registration expires 6 months after its convocation date (the day after). Pending = every active
/// status but "Retenue" (a selected candidate is handled by the entry). Chunked: each chunk updates the
/// statuses in one statement and appends the history rows in one batch; idempotent; an expired
/// prescription frees the candidate's choice (P6).
/// </summary>
public sealed class ExpirePreRegistrationsJob(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier) : IRecurringJob
{
    public const int ChunkSize = 500;
    public const int PermanentEntryMonths = 6;

    private static readonly PrescriptionStatus[] Pending = [.. PrescriptionLifecycle.Active.Where(s => s != PrescriptionStatus.Selected)];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = TrainingSession.Today(now);
        // O6: convoked on day D, still active on D + 6 months, expired from the next day.
        var convokedBefore = FrenchTime.StartOfDay(today.AddMonths(-PermanentEntryMonths));
        await using var db = await dbFactory.CreateAsync(cancellationToken);

        await ExpireAsync(db, db.Prescriptions.Where(p => Pending.Contains(p.Status)
                && db.Sessions.Any(s => s.Id == p.SessionId && s.EntryMode == EntryMode.Grouped && s.LateEntryDate != null && s.LateEntryDate < today)),
            "O5", now, cancellationToken);
        await ExpireAsync(db, db.Prescriptions.Where(p => Pending.Contains(p.Status) && p.ConvokedAt != null && p.ConvokedAt < convokedBefore
                && db.Sessions.Any(s => s.Id == p.SessionId && s.EntryMode == EntryMode.Permanent)),
            "O6", now, cancellationToken);

        // O5: past the late-entry date, a grouped-entry session takes no more registrations.
        await db.Sessions
            .Where(s => s.EntryMode == EntryMode.Grouped && s.LateEntryDate != null && s.LateEntryDate < today
                && (s.Status == SessionStatus.Open || s.Status == SessionStatus.Suspended))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SessionStatus.Closed).SetProperty(s => s.Version, s => s.Version + 1), cancellationToken);
    }

    private async Task ExpireAsync(IAppDbContext db, IQueryable<Prescription> matching, string rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Keyset paging: each chunk starts after the last id seen, so a run reads the table once instead of
        // rescanning the rows it has just expired (the benchmark of issue #7 found the job quadratic without it).
        var after = Guid.Empty;
        while (true)
        {
            var from = after;
            var chunk = await matching.AsNoTracking().Where(p => p.Id.CompareTo(from) > 0).OrderBy(p => p.Id).Take(ChunkSize)
                .Select(p => new { p.Id, p.Status, p.SessionId, p.CandidateId, p.PrescriberOrganisationId, p.TrainingBodyId })
                .ToListAsync(cancellationToken);
            if (chunk.Count == 0) return;
            var ids = chunk.Select(p => p.Id).ToList();
            after = ids[^1];
            // The version goes up as on every status change, so that an OF deciding on a stale view loses (S1).
            await matching.Where(p => ids.Contains(p.Id))
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, PrescriptionStatus.Expired).SetProperty(p => p.StatusChangedAt, now)
                    .SetProperty(p => p.Version, p => p.Version + 1), cancellationToken);
            foreach (var p in chunk)
                db.PrescriptionTransitions.Add(PrescriptionTransition.Recorded(p.Id, null, now, p.Status, PrescriptionStatus.Expired, $"Préinscription expirée (règle {rule})"));
            await db.SaveChangesAsync(cancellationToken);
            // One batched event per chunk: each open screen hears of the chunk once.
            await notifier.PublishAsync(PrescriptionsChanged.Of(chunk.Select(p => new PrescriptionStatusChanged(p.Id, p.SessionId, p.CandidateId, p.PrescriberOrganisationId, p.TrainingBodyId, PrescriptionStatus.Expired))), cancellationToken);
            if (chunk.Count < ChunkSize) return;
        }
    }
}
