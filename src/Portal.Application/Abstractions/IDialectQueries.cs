using Portal.Application.Features.Observatory;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Abstractions;

/// <summary>
/// The few set-based statements LINQ cannot say, written once per SQL dialect in the infrastructure (ADR 0021: SQLite
/// and PostgreSQL), so that the application holds no raw SQL and no provider's encoding of instants. Bound to the context
/// it comes from (<see cref="IAppDbContext.Queries"/>): it runs in that context's connection and transaction.
/// </summary>
public interface IDialectQueries
{
    /// <summary>
    /// Q1: the prescriptions created in [<paramref name="start"/>, <paramref name="end"/>) summed per (OF, prescriber
    /// organisation) from their stored facts (ADR 0011), as of <paramref name="now"/>; a meeting held at least
    /// <paramref name="undecidedDays"/> days before now is "long ago". Composable (filters run in the database).
    /// </summary>
    IQueryable<GetQualityIndicators.Pair> QualityPairs(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, int undecidedDays);

    /// <summary>
    /// O5, O6: one <c>INSERT … SELECT</c> appending a transition to <paramref name="to"/> at <paramref name="at"/> for every
    /// prescription of <paramref name="sessions"/> whose status is one of <paramref name="from"/> (and, if
    /// <paramref name="convokedBefore"/> is set, convoked before it), from its current status. Returns the rows written.
    /// </summary>
    Task<int> AppendTransitionsAsync(IReadOnlyList<Guid> sessions, IReadOnlyCollection<PrescriptionStatus> from, DateTimeOffset? convokedBefore,
        PrescriptionStatus to, DateTimeOffset at, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// S3, S6 (the history outbox, ADR 0022): the id up to which the prescription history is settled, i.e. no transaction
    /// still running can add a row with a lower id. SQLite has one writer, so its last id is settled. On PostgreSQL ids come
    /// from a sequence when each row is inserted, not when its transaction commits: the last visible id may have a lower
    /// one still uncommitted; the query waits (briefly) until every transaction writing the history has ended before it
    /// reads the last id. Not inside another transaction.
    /// </summary>
    Task<long> SettledTransitionsEndAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Issue #14 (4), ADR 0025: in the non-selection reasons (S7) of the prescriptions of <paramref name="candidateIds"/>,
    /// every filled detail replaced by <paramref name="erased"/>, the kinds and their order kept (so the facts of ADR 0011
    /// do not move); one <c>UPDATE</c>. Returns the rows changed.
    /// </summary>
    Task<int> EraseReasonDetailsAsync(IReadOnlyList<Guid> candidateIds, string erased, CancellationToken cancellationToken);

    /// <summary>
    /// Issue #12 (6): a bulk job's larger page cache. On SQLite the context's connection is opened and kept for the scope,
    /// with a 256 MB page cache instead of 2 MB (a chunk of the expiry rewrites pages of eight indexes of <c>Prescriptions</c>:
    /// kept in the cache from one chunk to the next instead of read again); disposing puts the default back and closes it,
    /// so the pooled connection goes back as it came. PostgreSQL: nothing (its shared buffers are the server's).
    /// </summary>
    Task<IAsyncDisposable> LargePageCacheAsync(CancellationToken cancellationToken);
}
