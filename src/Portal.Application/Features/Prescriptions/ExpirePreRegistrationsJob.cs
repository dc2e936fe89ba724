using System.Data;
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
/// status but "Retenue" (a selected candidate is handled by the entry). An expired prescription frees the
/// candidate's choice (P6); an expired offered place opens again (O8, recounted set-based per chunk).
/// </summary>
/// <remarks>
/// Set-based and atomic per chunk (issue #12): the chunks are driven by the due sessions (whole sessions packed up to
/// <see cref="ChunkRows"/> pending rows, read through the (SessionId, Status, …) index), and each chunk's history rows
/// (one <c>INSERT … SELECT</c>) and status update (one <c>UPDATE</c>) commit in one short transaction: a crash or a
/// cancellation leaves a chunk either wholly expired with its history or untouched. The live events of a chunk are
/// published only after its commit. Idempotent: a second run finds no pending row left.
/// </remarks>
public sealed class ExpirePreRegistrationsJob(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier) : IRecurringJob
{
    /// <summary>Pending rows per chunk (one transaction): short enough that the single writer holds the database for tens of ms.</summary>
    public const int DefaultChunkRows = 2000;
    public const int PermanentEntryMonths = 6;

    /// <summary>The statuses that expire: active, not selected, and allowed by the lifecycle to move to "Expirée".</summary>
    private static readonly PrescriptionStatus[] Pending = [.. PrescriptionLifecycle.Active
        .Where(s => s != PrescriptionStatus.Selected && PrescriptionLifecycle.CanMove(s, PrescriptionStatus.Expired))];

    /// <summary>At most this many pending rows per transaction; a session is never split (its rows may exceed it alone).</summary>
    public int ChunkRows { get; init; } = DefaultChunkRows;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = TrainingSession.Today(now);
        // O6: convoked on day D, still active on D + 6 months, expired from the next day.
        var convokedBefore = FrenchTime.StartOfDay(today.AddMonths(-PermanentEntryMonths));
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        // Issue #12 (6): the chunks rewrite pages of the same indexes one after the other: keep them in a larger cache.
        await using var cache = await db.Queries.LargePageCacheAsync(cancellationToken);

        await ExpireAsync(db, new Rule("O5", db.Sessions.Where(s => s.EntryMode == EntryMode.Grouped && s.LateEntryDate != null && s.LateEntryDate < today), null),
            now, cancellationToken);
        await ExpireAsync(db, new Rule("O6", db.Sessions.Where(s => s.EntryMode == EntryMode.Permanent), convokedBefore), now, cancellationToken);

        // O5: past the late-entry date, a grouped-entry session takes no more registrations.
        await db.Sessions
            .Where(s => s.EntryMode == EntryMode.Grouped && s.LateEntryDate != null && s.LateEntryDate < today
                && (s.Status == SessionStatus.Open || s.Status == SessionStatus.Suspended))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SessionStatus.Closed).SetProperty(s => s.Version, s => s.Version + 1), cancellationToken);
    }

    /// <summary>A rule: its id, the sessions it applies to, and (O6) the convocation instant before which a prescription is due.</summary>
    private sealed record Rule(string Id, IQueryable<TrainingSession> Sessions, DateTimeOffset? ConvokedBefore);

    private async Task ExpireAsync(IAppDbContext db, Rule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var convokedBefore = rule.ConvokedBefore;
        // The due sessions with their pending rows counted: one index seek per session on (SessionId, Status, …), so the
        // run is linear in the due rows and never rescans what it has just expired.
        var due = await rule.Sessions.AsNoTracking().OrderBy(s => s.Id)
            .Select(s => new
            {
                s.Id,
                Rows = db.AllPrescriptions.Count(p => p.SessionId == s.Id && Pending.Contains(p.Status)
                    && (convokedBefore == null || (p.ConvokedAt != null && p.ConvokedAt < convokedBefore))),
            })
            .Where(s => s.Rows > 0)
            .ToListAsync(cancellationToken);

        var chunk = new List<Guid>();
        var rows = 0;
        foreach (var session in due)
        {
            if (chunk.Count > 0 && rows + session.Rows > ChunkRows)
            {
                await ExpireChunkAsync(db, rule, chunk, now, cancellationToken);
                chunk.Clear();
                rows = 0;
            }
            chunk.Add(session.Id);
            rows += session.Rows;
        }
        if (chunk.Count > 0) await ExpireChunkAsync(db, rule, chunk, now, cancellationToken);
    }

    /// <summary>One chunk of sessions: read the rows (for the events), append their history, update their status; one transaction.</summary>
    private async Task ExpireChunkAsync(IAppDbContext db, Rule rule, IReadOnlyList<Guid> sessions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var convokedBefore = rule.ConvokedBefore;
        var matching = db.AllPrescriptions.Where(p => sessions.Contains(p.SessionId) && Pending.Contains(p.Status)
            && (convokedBefore == null || (p.ConvokedAt != null && p.ConvokedAt < convokedBefore)));
        List<PrescriptionStatusChanged> changed;
        List<SessionPlacesChanged> places;
        // Repeatable read: on PostgreSQL a concurrent decision on one of these rows between the INSERT and the UPDATE makes the
        // transaction fail (and the next run retry) instead of writing a history row for a status it did not change. SQLite
        // serializes writers anyway (Microsoft.Data.Sqlite begins IMMEDIATE), so the three statements see the same rows.
        await using (var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken))
        {
            changed = await matching.AsNoTracking()
                .Select(p => new PrescriptionStatusChanged(p.Id, p.SessionId, p.CandidateId, p.PrescriberOrganisationId, p.TrainingBodyId, PrescriptionStatus.Expired))
                .ToListAsync(cancellationToken);
            if (changed.Count == 0) return;
            await db.Queries.AppendTransitionsAsync(sessions, Pending, rule.ConvokedBefore, PrescriptionStatus.Expired, now,
                $"Préinscription expirée (règle {rule.Id})", cancellationToken);
            // The version goes up as on every status change, so that an OF deciding on a stale view loses (S1).
            await matching.ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, PrescriptionStatus.Expired).SetProperty(p => p.StatusChangedAt, now)
                .SetProperty(p => p.OfferDeadline, (DateOnly?)null).SetProperty(p => p.Version, p => p.Version + 1), cancellationToken);
            places = await RecountPlacesAsync(db, sessions, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        // Committed: only now may other screens hear of it, in one batched event per chunk (each open screen hears once).
        await notifier.PublishAsync(new PrescriptionsChanged(changed), CancellationToken.None);
        foreach (var e in places) await notifier.PublishAsync(e, CancellationToken.None);
    }

    /// <summary>
    /// O8 (ADR 0015): an expired offered place opens again. The chunk's sessions whose figure differs from capacity −
    /// places held − kept back are read, then updated with one set-based <c>UPDATE</c>, in the chunk's transaction.
    /// </summary>
    private static async Task<List<SessionPlacesChanged>> RecountPlacesAsync(IAppDbContext db, IReadOnlyList<Guid> sessions, CancellationToken cancellationToken)
    {
        var holding = PrescriptionLifecycle.HoldingPlace;
        var cancelled = SessionStatus.Cancelled;
        var stale = db.Sessions.Where(s => sessions.Contains(s.Id) && s.Status != cancelled
            && s.OpenPlaces != Math.Max(0, s.Capacity - s.KeptBackPlaces - db.AllPrescriptions.Count(p => p.SessionId == s.Id && holding.Contains(p.Status))));
        var rows = await stale.AsNoTracking()
            .Select(s => new { s.Id, s.OrganisationId, s.Capacity, s.Status, s.Version,
                Open = Math.Max(0, s.Capacity - s.KeptBackPlaces - db.AllPrescriptions.Count(p => p.SessionId == s.Id && holding.Contains(p.Status))) })
            .ToListAsync(cancellationToken);
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.Id).ToList();
        await db.Sessions.Where(s => ids.Contains(s.Id)).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.OpenPlaces, s => Math.Max(0, s.Capacity - s.KeptBackPlaces - db.AllPrescriptions.Count(p => p.SessionId == s.Id && holding.Contains(p.Status))))
            .SetProperty(s => s.Version, s => s.Version + 1), cancellationToken);
        return [.. rows.Select(r => new SessionPlacesChanged(r.Id, r.OrganisationId, r.Open, r.Capacity, r.Status, r.Version + 1))];
    }
}
