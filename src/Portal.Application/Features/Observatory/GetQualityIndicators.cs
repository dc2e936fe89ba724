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
/// - Delays in days, computed in SQL by the context's dialect (<see cref="IDialectQueries.QualityPairs"/>, ADR 0021).
///   Convocation delay: creation → convocation; notice (S3): convocations not marked late (a late one, at most 7 Paris
///   calendar days before the meeting, is allowed after the OF's confirmation and marked on the prescription, ADR 0017);
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
        /// <summary>When the figures were computed (they are shared for a while: <see cref="ObservatoryResults"/>).</summary>
        public DateTimeOffset ComputedAt { get; init; }

        /// <summary>S11 from the last EOS import of the period (region-wide readers only: null for an MFE).</summary>
        public EntriesWithPrescription.Figure? Entries { get; init; }
    }

    public IReadOnlyList<string> Validate() => ObservatoryScope.ValidatePeriod(From, To);

    /// <summary>The facts of the prescriptions of one (OF, prescriber organisation) pair, summed in SQL (<see cref="IDialectQueries.QualityPairs"/>).</summary>
    public sealed class Pair
    {
        public Guid TrainingBodyId { get; init; }
        public Guid PrescriberOrganisationId { get; init; }
        public int Count { get; init; }
        public int Complete { get; init; }
        public int Convoked { get; init; }
        public double? ConvocationDaysSum { get; init; }
        public int ConvocationDaysCount { get; init; }
        public int NoticeKept { get; init; }
        public double? DecisionDaysSum { get; init; }
        public int DecisionDaysCount { get; init; }
        public int HeldLongAgo { get; init; }
        public int Undecided { get; init; }
        public int NotSelected { get; init; }
        public int Explained { get; init; }
        public int ComplementDue { get; init; }
        public int ComplementAnswered { get; init; }
    }

    private sealed record Aggregate(Guid Key, int Count, int Complete, int Convoked, double? ConvocationDays, int NoticeKept, double? DecisionDays,
        int Decided, int HeldLongAgo, int Undecided, int NotSelected, int Explained, int ComplementDue, int ComplementAnswered)
    {
        public static List<Aggregate> By(IEnumerable<Pair> pairs, Func<Pair, Guid> key) =>
        [
            .. pairs.GroupBy(key).Select(g =>
            {
                static double? Average(double? sum, int count) => count > 0 ? sum / count : null;
                return new Aggregate(g.Key, g.Sum(p => p.Count), g.Sum(p => p.Complete), g.Sum(p => p.Convoked),
                    Average(g.Sum(p => p.ConvocationDaysSum ?? 0), g.Sum(p => p.ConvocationDaysCount)), g.Sum(p => p.NoticeKept),
                    Average(g.Sum(p => p.DecisionDaysSum ?? 0), g.Sum(p => p.DecisionDaysCount)), g.Sum(p => p.DecisionDaysCount), g.Sum(p => p.HeldLongAgo), g.Sum(p => p.Undecided),
                    g.Sum(p => p.NotSelected), g.Sum(p => p.Explained), g.Sum(p => p.ComplementDue), g.Sum(p => p.ComplementAnswered));
            }),
        ];
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ObservatoryResults? results = null)
    {
        public async Task<Result> HandleAsync(GetQualityIndicators query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            ObservatoryScope.EnsureCanRead(user);
            if (query.Validate() is { Count: > 0 } errors) throw new DomainException(string.Join(" ", errors), "Q1");
            // The Région's thresholds and delay are part of the key: a change shows at once, on every server.
            string key;
            await using (var db = await dbFactory.CreateAsync(cancellationToken))
                key = ObservatoryResultsExtensions.Key("qualite", user, query.From, query.To,
                    string.Join(';', await SetQualityThreshold.CurrentAsync(db, cancellationToken)), await SetQualityThreshold.UndecidedDaysAsync(db, cancellationToken));
            return await results.SharedAsync(key, async ct =>
            {
                await using var db = await dbFactory.CreateAsync(ct);
                var result = await ComputeAsync(db, ObservatoryScope.TrainingBodies(db, user), query.From, query.To, clock.GetUtcNow(), ct);
                return ObservatoryScope.IsTerritorial(user) ? result
                    : result with { Entries = await EntriesWithPrescription.ComputeAsync(db, query.From, query.To, ct) };
            }, cancellationToken);
        }

        /// <summary>
        /// The indicators of the prescriptions made from <paramref name="from"/> to <paramref name="to"/> with the OFs
        /// <paramref name="trainingBodies"/> (null: the whole region), as of <paramref name="now"/>: the screen (within the
        /// reader's scope) and the alerts job (Q2, over the whole region) read the same figures.
        /// </summary>
        internal static async Task<Result> ComputeAsync(IAppDbContext db, IQueryable<Guid>? trainingBodies, DateOnly from, DateOnly to,
            DateTimeOffset now, CancellationToken cancellationToken)
        {
            // Paris midnights as UTC instants, like the stored ones (FrenchTime.StartOfDay, ADR 0003).
            var start = FrenchTime.StartOfDay(from);
            var end = FrenchTime.StartOfDay(to.AddDays(1));
            var undecidedDays = await SetQualityThreshold.UndecidedDaysAsync(db, cancellationToken);
            // One statement: the period's prescriptions summed per (OF, prescriber organisation) from their stored facts
            // (at most OFs × prescriber organisations rows); the three tables are sums of these pairs.
            var pairs = db.Queries.QualityPairs(start, end, now, undecidedDays);
            if (trainingBodies is not null) pairs = pairs.Where(p => trainingBodies.Contains(p.TrainingBodyId));
            var rows = await pairs.ToListAsync(cancellationToken);
            var thresholds = await SetQualityThreshold.CurrentAsync(db, cancellationToken);

            var orgIds = rows.SelectMany(p => new[] { p.TrainingBodyId, p.PrescriberOrganisationId }).Distinct().ToList();
            var orgs = await db.Organisations.Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => new { o.Name, o.TerritoryId }, cancellationToken);
            var byOf = Aggregate.By(rows, p => p.TrainingBodyId);
            var byPrescriber = Aggregate.By(rows, p => p.PrescriberOrganisationId);
            var byTerritory = Aggregate.By(rows.Where(p => orgs.ContainsKey(p.TrainingBodyId)), p => orgs[p.TrainingBodyId].TerritoryId);
            var orgNames = orgs.ToDictionary(o => o.Key, o => o.Value.Name);
            var territoryIds = byTerritory.Select(a => a.Key).ToList();
            var territoryNames = await db.Territories.Where(t => territoryIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);

            List<ActorRow> Rows(List<Aggregate> aggregates, Dictionary<Guid, string> names) =>
                [.. aggregates.Select(a => Row(names.GetValueOrDefault(a.Key, "?"), a, thresholds)).OrderBy(r => r.Actor, StringComparer.Ordinal)];
            return new Result(from, to, thresholds, undecidedDays,
            [
                new(ActorKind.TrainingBody, Rows(byOf, orgNames)),
                new(ActorKind.Prescriber, Rows(byPrescriber, orgNames)),
                new(ActorKind.Territory, Rows(byTerritory, territoryNames)),
            ]) { ComputedAt = now };
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
    }
}
