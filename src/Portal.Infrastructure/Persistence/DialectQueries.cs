using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Observatory;
using Portal.Domain.Prescriptions;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// The raw statements of the application (<see cref="IDialectQueries"/>), one subclass per SQL dialect (ADR 0021).
/// What is standard SQL is written once here, identifiers quoted the ANSI way and values passed as parameters converted
/// by the model's own mapping of their column (instants as SQLite's integers, PostgreSQL's timestamptz).
/// </summary>
public abstract class DialectQueries(PortalDbContext db) : IDialectQueries
{
    protected PortalDbContext Db { get; } = db;

    /// <summary>The dialect of a context: PostgreSQL for Npgsql, SQLite otherwise.</summary>
    public static IDialectQueries For(PortalDbContext db) =>
        db.Database.IsNpgsql() ? new PostgreSqlDialectQueries(db) : new SqliteDialectQueries(db);

    public abstract IQueryable<GetQualityIndicators.Pair> QualityPairs(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, int undecidedDays);

    public async Task<int> AppendTransitionsAsync(IReadOnlyList<Guid> sessions, IReadOnlyCollection<PrescriptionStatus> from, DateTimeOffset? convokedBefore,
        PrescriptionStatus to, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        if (sessions.Count == 0 || from.Count == 0) return 0;
        var values = new List<object>
        {
            ProviderValue(typeof(PrescriptionTransition), nameof(PrescriptionTransition.At), at),
            reason,
        };
        var statuses = string.Join(", ", from.Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)));
        var sql = new System.Text.StringBuilder(
            $$"""
            INSERT INTO "PrescriptionTransitions" ("PrescriptionId", "ByUserId", "At", "From", "To", "Reason")
            SELECT p."Id", NULL, {0}, p."Status", {{(int)to}}, {1}
            FROM "Prescriptions" AS p
            WHERE p."Status" IN ({{statuses}}) AND p."SessionId" IN (
            """);
        for (var i = 0; i < sessions.Count; i++)
        {
            sql.Append(i == 0 ? "{" : ", {").Append(values.Count).Append('}');
            values.Add(sessions[i]);
        }
        sql.Append(')');
        if (convokedBefore is { } before)
        {
            sql.Append(" AND p.\"ConvokedAt\" IS NOT NULL AND p.\"ConvokedAt\" < {").Append(values.Count).Append('}');
            values.Add(ProviderValue(typeof(Prescription), nameof(Prescription.ConvokedAt), before));
        }
        return await Db.Database.ExecuteSqlRawAsync(sql.ToString(), values, cancellationToken);
    }

    /// <summary>The last id of the history: settled as it is on SQLite, whose single writer commits rows in their ids' order.</summary>
    public virtual async Task<long> SettledTransitionsEndAsync(CancellationToken cancellationToken) =>
        await Db.AllPrescriptionTransitions.MaxAsync(t => (long?)t.Id, cancellationToken) ?? 0;

    public async Task<int> EraseReasonDetailsAsync(IReadOnlyList<Guid> candidateIds, string erased, CancellationToken cancellationToken)
    {
        if (candidateIds.Count == 0) return 0;
        var values = new List<object> { erased };
        var ids = new System.Text.StringBuilder();
        for (var i = 0; i < candidateIds.Count; i++)
        {
            ids.Append(i == 0 ? "{" : ", {").Append(values.Count).Append('}');
            values.Add(candidateIds[i]);
        }
        return await Db.Database.ExecuteSqlRawAsync(EraseReasonDetailsSql(ids.ToString()), values, cancellationToken);
    }

    public virtual Task<IAsyncDisposable> LargePageCacheAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoScope.Instance);

    private sealed class NoScope : IAsyncDisposable
    {
        public static readonly NoScope Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>The statement of <see cref="EraseReasonDetailsAsync"/>: {0} the replacement, <paramref name="ids"/> the candidates' parameters.</summary>
    protected abstract string EraseReasonDetailsSql(string ids);

    /// <summary>A value as the model stores it in the given property's column (its value converter applied, if any).</summary>
    protected object ProviderValue(Type entity, string property, object value) =>
        Db.Model.FindEntityType(entity)?.FindProperty(property)?.GetTypeMapping().Converter?.ConvertToProvider(value) ?? value;

    protected static readonly int[] UndecidedStatuses =
        [(int)PrescriptionStatus.Convoked, (int)PrescriptionStatus.Attended, (int)PrescriptionStatus.AbsentJustified, (int)PrescriptionStatus.AbsentUnjustified];

    protected const int NotSelected = (int)PrescriptionStatus.NotSelected;
}

/// <summary>
/// SQLite: instants are integers ((UTC ticks / 1000) &lt;&lt; 11, ADR 0003 and 0021); the arithmetic is done on their
/// UTC value in 100 µs units, (v &gt;&gt; 11) − offset × 600 000 (the offset bits are zero since the UtcInstants migration,
/// the decoding stays exact whatever they hold).
/// </summary>
public sealed class SqliteDialectQueries(PortalDbContext db) : DialectQueries(db)
{
    /// <summary>100 µs units per day.</summary>
    private const long Day = 864_000_000;

    /// <summary>A bulk pass's page cache, 256 MB (negative: KiB), and SQLite's default, 2 MB, put back after it.</summary>
    public const string LargePageCacheSql = "PRAGMA cache_size = -262144;", DefaultPageCacheSql = "PRAGMA cache_size = -2000;";

    /// <summary>
    /// Measured with the <c>sqlite3</c> shell on the 1M benchmark file, 15 chunks of the expiry's two statements (11,596
    /// rows): 8.3 s with the default cache, 6.6 s with 256 MB.
    /// </summary>
    public override async Task<IAsyncDisposable> LargePageCacheAsync(CancellationToken cancellationToken)
    {
        await Db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await Db.Database.ExecuteSqlRawAsync(LargePageCacheSql, cancellationToken);
        }
        catch
        {
            await Db.Database.CloseConnectionAsync();
            throw;
        }
        return new PageCacheScope(Db);
    }

    private sealed class PageCacheScope(PortalDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try { await db.Database.ExecuteSqlRawAsync(DefaultPageCacheSql, CancellationToken.None); }
            finally { await db.Database.CloseConnectionAsync(); }
        }
    }

    protected override string EraseReasonDetailsSql(string ids) => $$"""
        UPDATE Prescriptions SET NonSelectionReasons = (
          SELECT json_group_array(CASE WHEN trim(coalesce(json_extract(r.value, '$.Detail'), '')) = '' THEN json(r.value)
                                       ELSE json_set(r.value, '$.Detail', {0}) END)
          FROM (SELECT e.value FROM json_each(Prescriptions.NonSelectionReasons) e ORDER BY e.key) r)
        WHERE CandidateId IN ({{ids}}) AND NonSelectionReasons IS NOT NULL AND json_valid(NonSelectionReasons)
          AND EXISTS (SELECT 1 FROM json_each(Prescriptions.NonSelectionReasons) e
                      WHERE trim(coalesce(json_extract(e.value, '$.Detail'), '')) <> '' AND json_extract(e.value, '$.Detail') <> {0})
        """;

    internal static string Utc(string column) =>
        $"(({column} >> 11) - (CASE WHEN ({column} & 2047) >= 1024 THEN ({column} & 2047) - 2048 ELSE {column} & 2047 END) * 600000)";

    /// <summary>
    /// From the columns of the prescription (and its info session) only: the first decision, the form's completeness and
    /// the explanations are stored facts (<see cref="ObservatoryFacts"/>). The period bounds are compared in the stored
    /// form (the index's); the covering index is led by the grouping columns, so the groups are read in order, no sort.
    /// </summary>
    public override IQueryable<GetQualityIndicators.Pair> QualityPairs(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, int undecidedDays)
    {
        var nowUnits = now.UtcTicks / 1000;
        var heldBefore = nowUnits - undecidedDays * Day;
        var meeting = Utc("i.StartsAt");
        // {0} a day in 100 µs units, {1} the instant before which a meeting is "long ago", {2} now, {3} {4} the period.
        var sql = $$"""
            SELECT p.TrainingBodyId, p.PrescriberOrganisationId, count(*) AS Count,
              sum(p.{{ObservatoryFacts.FormComplete}}) AS Complete,
              sum(p.ConvokedAt IS NOT NULL) AS Convoked,
              sum(CASE WHEN p.ConvokedAt IS NOT NULL THEN ({{Utc("p.ConvokedAt")}} - {{Utc("p.CreatedAt")}}) / {0} END) AS ConvocationDaysSum,
              count(p.ConvokedAt) AS ConvocationDaysCount,
              sum(CASE WHEN i.Id IS NOT NULL AND p.ConvokedAt IS NOT NULL AND p.ConvokedLate = 0 THEN 1 ELSE 0 END) AS NoticeKept,
              sum(CASE WHEN i.Id IS NOT NULL THEN ({{Utc("p." + ObservatoryFacts.FirstDecisionAt)}} - {{meeting}}) / {0} END) AS DecisionDaysSum,
              count(CASE WHEN i.Id IS NOT NULL THEN p.{{ObservatoryFacts.FirstDecisionAt}} END) AS DecisionDaysCount,
              sum(CASE WHEN i.Id IS NOT NULL AND {{meeting}} <= {1} THEN 1 ELSE 0 END) AS HeldLongAgo,
              sum(CASE WHEN i.Id IS NOT NULL AND {{meeting}} <= {1} AND p.Status IN ({{string.Join(", ", UndecidedStatuses)}}) THEN 1 ELSE 0 END) AS Undecided,
              sum(p.Status = {{NotSelected}}) AS NotSelected,
              sum(p.Status = {{NotSelected}} AND p.{{ObservatoryFacts.Explained}}) AS Explained,
              sum(CASE WHEN i.Id IS NOT NULL AND {{meeting}} <= {2}
                    AND EXISTS (SELECT 1 FROM ComplementThreads c WHERE c.PrescriptionId = p.Id) THEN 1 ELSE 0 END) AS ComplementDue,
              sum(CASE WHEN i.Id IS NOT NULL AND {{meeting}} <= {2}
                    AND EXISTS (SELECT 1 FROM ComplementThreads c WHERE c.PrescriptionId = p.Id AND c.FirstAnsweredAt IS NOT NULL
                      AND {{Utc("c.FirstAnsweredAt")}} < {{meeting}}) THEN 1 ELSE 0 END) AS ComplementAnswered
            FROM Prescriptions p INDEXED BY IX_Prescriptions_QualityObservatory
            LEFT JOIN InfoSessions i ON i.Id = p.ConvokedInfoSessionId
            WHERE p.CreatedAt >= {3} AND p.CreatedAt < {4}
            GROUP BY p.TrainingBodyId, p.PrescriberOrganisationId
            """;
        return Db.Database.SqlQuery<GetQualityIndicators.Pair>(FormattableStringFactory.Create(sql, (double)Day, heldBefore, nowUnits,
            UtcInstants.ToSqlite(start), UtcInstants.ToSqlite(end)));
    }
}

/// <summary>PostgreSQL: instants are native timestamptz (UTC); booleans are booleans; identifiers are quoted (case kept).</summary>
public sealed class PostgreSqlDialectQueries(PortalDbContext db) : DialectQueries(db)
{
    /// <summary>The outbox waits at most 10 s for the history's writers; past that its run fails (and is retried).</summary>
    private const string SettleHistory = "SET LOCAL lock_timeout = '10s'; LOCK TABLE \"PrescriptionTransitions\" IN SHARE MODE";

    /// <summary>
    /// ADR 0022: <c>LOCK … IN SHARE MODE</c> waits until every transaction that inserted into the history has ended (an
    /// INSERT holds ROW EXCLUSIVE from before it draws its id until its transaction ends) and keeps new ones out for the
    /// few milliseconds of one indexed <c>max</c>: every id up to it is then committed or gone for good. Readers are never
    /// blocked; writers wait at most that long, once a minute per mail job.
    /// </summary>
    public override async Task<long> SettledTransitionsEndAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await Db.Database.BeginTransactionAsync(cancellationToken);
        await Db.Database.ExecuteSqlRawAsync(SettleHistory, cancellationToken);
        var end = await base.SettledTransitionsEndAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return end;
    }

    private static string Days(string later, string earlier) => $"(extract(epoch FROM ({later} - {earlier})) / 86400.0)";

    protected override string EraseReasonDetailsSql(string ids) => $$"""
        UPDATE "Prescriptions" AS p SET "NonSelectionReasons" = (
          SELECT jsonb_agg(CASE WHEN btrim(coalesce(r.value ->> 'Detail', '')) = '' THEN r.value
                                ELSE jsonb_set(r.value, ARRAY['Detail'], to_jsonb({0}::text)) END ORDER BY r.ordinality)
          FROM jsonb_array_elements(p."NonSelectionReasons") WITH ORDINALITY AS r(value, ordinality))
        WHERE p."CandidateId" IN ({{ids}}) AND jsonb_typeof(p."NonSelectionReasons") = 'array'
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(p."NonSelectionReasons") e
                      WHERE btrim(coalesce(e ->> 'Detail', '')) <> '' AND e ->> 'Detail' <> {0})
        """;

    public override IQueryable<GetQualityIndicators.Pair> QualityPairs(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, int undecidedDays)
    {
        var heldBefore = now.ToUniversalTime().AddDays(-undecidedDays);
        const string meeting = "i.\"StartsAt\"";
        // {0} the instant before which a meeting is "long ago", {1} now, {2} {3} the period.
        var sql = $$"""
            SELECT p."TrainingBodyId", p."PrescriberOrganisationId", count(*)::int AS "Count",
              count(*) FILTER (WHERE p."{{ObservatoryFacts.FormComplete}}")::int AS "Complete",
              count(p."ConvokedAt")::int AS "Convoked",
              sum({{Days("p.\"ConvokedAt\"", "p.\"CreatedAt\"")}})::double precision AS "ConvocationDaysSum",
              count(p."ConvokedAt")::int AS "ConvocationDaysCount",
              count(*) FILTER (WHERE i."Id" IS NOT NULL AND p."ConvokedAt" IS NOT NULL AND NOT p."ConvokedLate")::int AS "NoticeKept",
              sum(CASE WHEN i."Id" IS NOT NULL THEN {{Days("p.\"" + ObservatoryFacts.FirstDecisionAt + "\"", meeting)}} END)::double precision AS "DecisionDaysSum",
              count(CASE WHEN i."Id" IS NOT NULL THEN p."{{ObservatoryFacts.FirstDecisionAt}}" END)::int AS "DecisionDaysCount",
              count(*) FILTER (WHERE i."Id" IS NOT NULL AND {{meeting}} <= {0})::int AS "HeldLongAgo",
              count(*) FILTER (WHERE i."Id" IS NOT NULL AND {{meeting}} <= {0} AND p."Status" IN ({{string.Join(", ", UndecidedStatuses)}}))::int AS "Undecided",
              count(*) FILTER (WHERE p."Status" = {{NotSelected}})::int AS "NotSelected",
              count(*) FILTER (WHERE p."Status" = {{NotSelected}} AND p."{{ObservatoryFacts.Explained}}")::int AS "Explained",
              count(*) FILTER (WHERE i."Id" IS NOT NULL AND {{meeting}} <= {1}
                    AND EXISTS (SELECT 1 FROM "ComplementThreads" c WHERE c."PrescriptionId" = p."Id"))::int AS "ComplementDue",
              count(*) FILTER (WHERE i."Id" IS NOT NULL AND {{meeting}} <= {1}
                    AND EXISTS (SELECT 1 FROM "ComplementThreads" c WHERE c."PrescriptionId" = p."Id" AND c."FirstAnsweredAt" IS NOT NULL
                      AND c."FirstAnsweredAt" < {{meeting}}))::int AS "ComplementAnswered"
            FROM "Prescriptions" p
            LEFT JOIN "InfoSessions" i ON i."Id" = p."ConvokedInfoSessionId"
            WHERE p."CreatedAt" >= {2} AND p."CreatedAt" < {3}
            GROUP BY p."TrainingBodyId", p."PrescriberOrganisationId"
            """;
        return Db.Database.SqlQuery<GetQualityIndicators.Pair>(FormattableStringFactory.Create(sql, heldBefore, now.ToUniversalTime(),
            start.ToUniversalTime(), end.ToUniversalTime()));
    }
}
