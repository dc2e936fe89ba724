using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Observatory;

/// <summary>
/// Q1: the quality indicators of prescription, per actor (each OF, each prescriber organisation, each territory of
/// the OFs) over the prescriptions made in a period (Paris calendar days, both ends included), computed from the
/// prescriptions' history in one set-based query per kind of actor (GROUP BY in SQL), and compared with the
/// Région's thresholds (<see cref="QualityIndicators"/>).
/// </summary>
/// <remarks>
/// - Complete forms (P7): the SQL equivalent of <c>PrescriptionForm.MissingMandatoryFields</c> (every mandatory text
///   not blank, the candidate's agreement given, RQTH status answered). Every prescription passes through the
///   enforced form, so this is 100 % unless data came from elsewhere.
/// - Delays in days (instants are stored as integers on SQLite: the arithmetic is done in SQL on their UTC value).
///   Convocation delay: creation → convocation; notice (S3): convocation at least 7 days before the meeting;
///   decision delay: meeting → first decision (selected, waitlisted or not selected) in the history.
/// - Left without a decision: among candidates whose meeting was held at least the Région's delay (<see cref="SetQualityThreshold.UndecidedDaysAsync"/>,
///   15 days by default) ago, those still convoked, attended or absent.
/// - Complements (P8): among prescriptions with a fiche complément whose meeting has been held, those the OF
///   answered before the meeting.
/// - Entries with a prescription (S11): every entry recorded in the portal has one by construction, so it is not
///   an indicator per actor; it is computed region-wide from the Région's EOS imports (<see cref="EntriesWithPrescription"/>).
/// </remarks>
public sealed record GetQualityIndicators(DateOnly From, DateOnly To)
{
    public enum ActorKind { TrainingBody, Prescriber, Territory }

    /// <summary>
    /// One actor's indicators, in the order of <see cref="QualityIndicators.All"/>; <paramref name="Bases"/> are the numbers of
    /// cases each value is computed over (e.g. the non-selections for S7).
    /// </summary>
    public sealed record ActorRow(Guid Id, string Actor, int Prescriptions, IReadOnlyList<double?> Values, IReadOnlyList<bool> Misses, IReadOnlyList<int> Bases);

    public sealed record ActorTable(ActorKind Kind, IReadOnlyList<ActorRow> Rows);

    public sealed record Result(DateOnly From, DateOnly To, IReadOnlyList<double> Thresholds, int UndecidedDays, IReadOnlyList<ActorTable> Tables)
    {
        /// <summary>S11 from the last EOS import of the period (region-wide readers only: null for an MFE).</summary>
        public EntriesWithPrescription.Figure? Entries { get; init; }
    }

    public IReadOnlyList<string> Validate() => ObservatoryScope.ValidatePeriod(From, To);

    /// <summary>One prescription's facts, computed in SQL (see <see cref="Handler.Facts"/>).</summary>
    public sealed class Fact
    {
        public Guid Id { get; init; }
        public Guid TrainingBodyId { get; init; }
        public Guid PrescriberOrganisationId { get; init; }
        public Guid TerritoryId { get; init; }
        public int Complete { get; init; }
        public int Convoked { get; init; }
        public double? ConvocationDays { get; init; }
        public int NoticeKept { get; init; }
        public double? DecisionDays { get; init; }
        public int HeldLongAgo { get; init; }
        public int Undecided { get; init; }
        public int NotSelected { get; init; }
        public int Explained { get; init; }
        public int ComplementDue { get; init; }
        public int ComplementAnswered { get; init; }
    }

    private sealed record Aggregate(Guid Key, int Count, int Complete, int Convoked, double? ConvocationDays, int NoticeKept, double? DecisionDays,
        int Decided, int HeldLongAgo, int Undecided, int NotSelected, int Explained, int ComplementDue, int ComplementAnswered);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        /// <summary>100 µs units per day: instants are stored as ((ticks / 1000) &lt;&lt; 11) | offset minutes.</summary>
        private const long Day = 864_000_000;

        public async Task<Result> HandleAsync(GetQualityIndicators query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            ObservatoryScope.EnsureCanRead(user);
            if (query.Validate() is { Count: > 0 } errors) throw new DomainException(string.Join(" ", errors), "Q1");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var result = await ComputeAsync(db, ObservatoryScope.Prescriptions(db, user), query.From, query.To, clock.GetUtcNow(),
                [ActorKind.TrainingBody, ActorKind.Prescriber, ActorKind.Territory], cancellationToken);
            return ObservatoryScope.IsTerritorial(user) ? result
                : result with { Entries = await EntriesWithPrescription.ComputeAsync(db, query.From, query.To, cancellationToken) };
        }

        /// <summary>
        /// The indicators of the <paramref name="prescriptions"/> made from <paramref name="from"/> to <paramref name="to"/>,
        /// as of <paramref name="now"/>, per kind of actor asked for: the screen (within the reader's scope) and the
        /// alerts job (Q2, over the whole region) read the same figures.
        /// </summary>
        internal static async Task<Result> ComputeAsync(IAppDbContext db, IQueryable<Prescription> prescriptions, DateOnly from, DateOnly to,
            DateTimeOffset now, IReadOnlyList<ActorKind> kinds, CancellationToken cancellationToken)
        {
            var start = FrenchTime.StartOfDay(from);
            var end = FrenchTime.StartOfDay(to.AddDays(1));
            var ids = prescriptions.Where(p => p.CreatedAt >= start && p.CreatedAt < end).Select(p => p.Id);
            var undecidedDays = await SetQualityThreshold.UndecidedDaysAsync(db, cancellationToken);
            var facts = Facts(db, now, undecidedDays).Where(f => ids.Contains(f.Id));
            var thresholds = await SetQualityThreshold.CurrentAsync(db, cancellationToken);

            var groups = new List<(ActorKind Kind, List<Aggregate> Aggregates)>();
            foreach (var kind in kinds)
            {
                groups.Add((kind, await GroupAsync(facts, kind switch
                {
                    ActorKind.TrainingBody => f => f.TrainingBodyId,
                    ActorKind.Prescriber => f => f.PrescriberOrganisationId,
                    _ => f => f.TerritoryId,
                }, cancellationToken)));
            }
            var orgIds = groups.Where(g => g.Kind != ActorKind.Territory).SelectMany(g => g.Aggregates).Select(a => a.Key).Distinct().ToList();
            var territoryIds = groups.Where(g => g.Kind == ActorKind.Territory).SelectMany(g => g.Aggregates).Select(a => a.Key).ToList();
            var orgNames = await db.Organisations.Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
            var territoryNames = await db.Territories.Where(t => territoryIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);

            List<ActorRow> Rows(List<Aggregate> aggregates, Dictionary<Guid, string> names) =>
                [.. aggregates.Select(a => Row(names.GetValueOrDefault(a.Key, "?"), a, thresholds)).OrderBy(r => r.Actor, StringComparer.Ordinal)];
            return new Result(from, to, thresholds, undecidedDays,
                [.. groups.Select(g => new ActorTable(g.Kind, Rows(g.Aggregates, g.Kind == ActorKind.Territory ? territoryNames : orgNames)))]);
        }

        private static ActorRow Row(string actor, Aggregate a, IReadOnlyList<double> thresholds)
        {
            static double? Share(int part, int whole) => whole > 0 ? Math.Round(100.0 * part / whole, 1) : null;
            static double? Days(double? days) => days is { } d ? Math.Round(d, 1) : null;
            double?[] values =
            [
                Share(a.Complete, a.Count),
                Days(a.ConvocationDays),
                Share(a.NoticeKept, a.Convoked),
                Days(a.DecisionDays),
                Share(a.Explained, a.NotSelected),
                Share(a.Undecided, a.HeldLongAgo),
                Share(a.ComplementAnswered, a.ComplementDue),
            ];
            var misses = QualityIndicators.All.Select((i, n) => QualityIndicators.Misses(i, values[n], thresholds[n])).ToList();
            int[] bases = [a.Count, a.Convoked, a.Convoked, a.Decided, a.NotSelected, a.HeldLongAgo, a.ComplementDue];
            return new ActorRow(a.Key, actor, a.Count, values, misses, bases);
        }

        private static Task<List<Aggregate>> GroupAsync(IQueryable<Fact> facts, Expression<Func<Fact, Guid>> key, CancellationToken ct) =>
            facts.GroupBy(key).Select(g => new Aggregate(g.Key, g.Count(), g.Sum(f => f.Complete), g.Sum(f => f.Convoked),
                    g.Average(f => f.ConvocationDays), g.Sum(f => f.NoticeKept), g.Average(f => f.DecisionDays),
                    g.Count(f => f.DecisionDays != null), g.Sum(f => f.HeldLongAgo), g.Sum(f => f.Undecided), g.Sum(f => f.NotSelected), g.Sum(f => f.Explained),
                    g.Sum(f => f.ComplementDue), g.Sum(f => f.ComplementAnswered)))
                .ToListAsync(ct);

        /// <summary>
        /// Each prescription's facts, in SQL. An instant column holds ((local ticks / 1000) &lt;&lt; 11) | offset minutes
        /// (11-bit two's complement): its UTC value in 100 µs units is (v &gt;&gt; 11) − offset × 600 000.
        /// </summary>
        internal static IQueryable<Fact> Facts(IAppDbContext db, DateTimeOffset now, int undecidedDays)
        {
            var nowUnits = now.UtcTicks / 1000;
            var heldBefore = nowUnits - undecidedDays * Day;
            static string Utc(string column) =>
                $"(({column} >> 11) - (CASE WHEN ({column} & 2047) >= 1024 THEN ({column} & 2047) - 2048 ELSE {column} & 2047 END) * 600000)";
            static string Filled(string column) => $"trim(coalesce({column}, ''), ' ' || char(9, 10, 13)) <> ''";
            var meeting = Utc("i.StartsAt");
            int[] undecided = [(int)PrescriptionStatus.Convoked, (int)PrescriptionStatus.Attended, (int)PrescriptionStatus.AbsentJustified, (int)PrescriptionStatus.AbsentUnjustified];
            int[] decisions = [.. PrescriptionLifecycle.Decisions.Select(d => (int)d)];
            const int notSelected = (int)PrescriptionStatus.NotSelected;
            // {0} a day in 100 µs units, {1} seven days, {2} the instant before which a meeting is "long ago", {3} now.
            var sql = $$"""
                SELECT p.Id, p.TrainingBodyId, p.PrescriberOrganisationId, o.TerritoryId,
                  CASE WHEN {{Filled("p.PriorPath")}} AND {{Filled("p.ProjectValidation")}} AND p.CandidateAgreement
                        AND {{Filled("p.MaterialConditions")}} AND {{Filled("p.Feasibility")}} AND p.RqthDeclared IS NOT NULL THEN 1 ELSE 0 END AS Complete,
                  CASE WHEN p.ConvokedAt IS NOT NULL THEN 1 ELSE 0 END AS Convoked,
                  CASE WHEN p.ConvokedAt IS NOT NULL THEN ({{Utc("p.ConvokedAt")}} - {{Utc("p.CreatedAt")}}) / {0} END AS ConvocationDays,
                  CASE WHEN i.Id IS NOT NULL AND p.ConvokedAt IS NOT NULL AND {{meeting}} - {{Utc("p.ConvokedAt")}} >= {1} THEN 1 ELSE 0 END AS NoticeKept,
                  CASE WHEN i.Id IS NOT NULL THEN
                    (SELECT (MIN({{Utc("t.At")}}) - {{meeting}}) / {0} FROM PrescriptionTransitions t
                     WHERE t.PrescriptionId = p.Id AND t."To" IN ({{string.Join(", ", decisions)}}))
                  END AS DecisionDays,
                  CASE WHEN i.Id IS NOT NULL AND {{meeting}} <= {2} THEN 1 ELSE 0 END AS HeldLongAgo,
                  CASE WHEN i.Id IS NOT NULL AND {{meeting}} <= {2} AND p.Status IN ({{string.Join(", ", undecided)}}) THEN 1 ELSE 0 END AS Undecided,
                  CASE WHEN p.Status = {{notSelected}} THEN 1 ELSE 0 END AS NotSelected,
                  CASE WHEN p.Status = {{notSelected}} AND json_array_length(p.NonSelectionReasons) > 0 AND {{Filled("p.CandidateExplanation")}}
                        AND {{Filled("p.PrescriberExplanation")}} THEN 1 ELSE 0 END AS Explained,
                  CASE WHEN i.Id IS NOT NULL AND {{meeting}} <= {3}
                        AND EXISTS (SELECT 1 FROM ComplementThreads c WHERE c.PrescriptionId = p.Id) THEN 1 ELSE 0 END AS ComplementDue,
                  CASE WHEN i.Id IS NOT NULL AND {{meeting}} <= {3}
                        AND EXISTS (SELECT 1 FROM ComplementThreads c WHERE c.PrescriptionId = p.Id AND c.FirstAnsweredAt IS NOT NULL
                          AND {{Utc("c.FirstAnsweredAt")}} < {{meeting}}) THEN 1 ELSE 0 END AS ComplementAnswered
                FROM Prescriptions p
                JOIN Organisations o ON o.Id = p.TrainingBodyId
                LEFT JOIN InfoSessions i ON i.Id = p.ConvokedInfoSessionId
                """;
            return db.SqlQuery<Fact>(FormattableStringFactory.Create(sql, (double)Day, 7 * Day, heldBefore, nowUnits));
        }
    }
}
