using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Export;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;

namespace Portal.Application.Features.Observatory;

/// <summary>
/// Q4, Q5: the evaluation report for the Commission Parcours, over a period cut into quarters: the conformity with the
/// charter (how many actors meet each quality indicator's threshold, Q1), the improvement of the
/// readability of the offer (fiches validated at their first submission), of the dialogue between prescribers and
/// OFs (fiches complément opened and answered, arbitrations), and the impact on access of fragile publics (the
/// access observatory, this period against the one before). Aggregates only; one statement per measure grouped by quarter,
/// never a row per prescription in memory.
/// </summary>
public sealed record GetEvaluationReport(DateOnly From, DateOnly To)
{
    public const string Readability = "lisibilite";
    public const string Dialogue = "dialogue";
    public const string Access = "acces";
    public const string Conformity = "conformite";

    public static readonly IReadOnlyList<string> Keys = [Readability, Dialogue, Access, Conformity];

    public sealed record Quarter(string Label, DateOnly From, DateOnly To);

    public sealed record QuarterFigures(Quarter Quarter, int FichesValidated, int FichesValidatedFirstTime, int Prescriptions, int ComplementsOpened,
        int ComplementsAnswered, int ArbitrationsOpened)
    {
        public double? FirstTimeShare => FichesValidated > 0 ? Math.Round(100.0 * FichesValidatedFirstTime / FichesValidated, 1) : null;

        public double? AnsweredShare => ComplementsOpened > 0 ? Math.Round(100.0 * ComplementsAnswered / ComplementsOpened, 1) : null;
    }

    public sealed record Result(DateOnly From, DateOnly To, DateOnly PreviousFrom, DateOnly PreviousTo, IReadOnlyList<QuarterFigures> Quarters,
        GetAccessObservatory.Result Access, GetAccessObservatory.Result PreviousAccess, GetQualityIndicators.Result Quality)
    {
        /// <summary>When the figures were computed (they are shared for a while: <see cref="ObservatoryResults"/>).</summary>
        public DateTimeOffset ComputedAt { get; init; }

        public IReadOnlyList<ReportTable> Tables()
        {
            var fr = CultureInfo.GetCultureInfo("fr-FR");
            var byPublic = PreviousAccess.Publics.ToDictionary(p => p.Public);
            return
            [
                new(Readability, "Lisibilité de l'offre : fiches action validées dès leur première soumission",
                    ["Trimestre", "Fiches validées", "dont validées à la première soumission", "Part"],
                    [.. Quarters.Select(q => (IReadOnlyList<string>)[q.Quarter.Label, q.FichesValidated.ToString(fr), q.FichesValidatedFirstTime.ToString(fr), AccessTables.Percent(q.FirstTimeShare)])]),
                new(Dialogue, "Dialogue prescripteurs – organismes de formation",
                    ["Trimestre", "Prescriptions", "Fiches complément ouvertes", "dont répondues", "Part répondue", "Arbitrages demandés"],
                    [.. Quarters.Select(q => (IReadOnlyList<string>)[q.Quarter.Label, q.Prescriptions.ToString(fr), q.ComplementsOpened.ToString(fr),
                        q.ComplementsAnswered.ToString(fr), AccessTables.Percent(q.AnsweredShare), q.ArbitrationsOpened.ToString(fr)])]),
                new(GetEvaluationReport.Access, "Accès des publics fragiles : part des prescriptions et des entrées, période et période précédente",
                    ["Public", "Part des prescriptions", "Période précédente", "Part des entrées", "Période précédente"],
                    [.. Access.Publics.Skip(1).Select(p => (IReadOnlyList<string>)[p.Public, AccessTables.Percent(p.ShareOfPrescriptions),
                        AccessTables.Percent(byPublic.GetValueOrDefault(p.Public)?.ShareOfPrescriptions), AccessTables.Percent(p.ShareOfEntries),
                        AccessTables.Percent(byPublic.GetValueOrDefault(p.Public)?.ShareOfEntries)])]),
                QualityTables.Conformity(Conformity, Quality),
            ];
        }
    }

    /// <summary>The calendar quarters the period touches, each cut to the period.</summary>
    public static IReadOnlyList<Quarter> QuartersOf(DateOnly from, DateOnly to)
    {
        var quarters = new List<Quarter>();
        var start = new DateOnly(from.Year, (from.Month - 1) / 3 * 3 + 1, 1);
        while (start <= to)
        {
            var end = start.AddMonths(3).AddDays(-1);
            quarters.Add(new Quarter($"T{(start.Month - 1) / 3 + 1} {start.Year}", start < from ? from : start, end > to ? to : end));
            start = start.AddMonths(3);
        }
        return quarters;
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, GetAccessObservatory.Handler access, GetQualityIndicators.Handler quality,
        TimeProvider clock, ObservatoryResults? results = null)
    {
        public async Task<Result> HandleAsync(GetEvaluationReport query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            ObservatoryScope.EnsureCanRead(user);
            var period = new GetAccessObservatory(query.From, query.To);
            if (period.Validate() is { Count: > 0 } errors) throw new DomainException(string.Join(" ", errors), "Q4");
            // The quarters' counts are shared like the other observatories' figures; the access and quality parts have their own keys.
            var quarters = await results.SharedAsync(ObservatoryResultsExtensions.Key("evaluation", user, query.From, query.To),
                ct => QuartersAsync(query, user, ct), cancellationToken);
            var days = query.To.DayNumber - query.From.DayNumber + 1;
            var previousTo = query.From.AddDays(-1);
            var previousFrom = previousTo.AddDays(1 - days);
            // The report shows the access of the publics only: one GROUP BY per period, not the whole access observatory.
            var now = await access.PublicsAsync(period, user, cancellationToken);
            var before = await access.PublicsAsync(new GetAccessObservatory(previousFrom, previousTo), user, cancellationToken);
            var conformity = await quality.HandleAsync(new GetQualityIndicators(query.From, query.To), user, cancellationToken);
            return new Result(query.From, query.To, previousFrom, previousTo, quarters.Figures, PublicsOnly(period, now), PublicsOnly(new(previousFrom, previousTo), before),
                conformity) { ComputedAt = quarters.ComputedAt < conformity.ComputedAt ? quarters.ComputedAt : conformity.ComputedAt };
        }

        private sealed record QuarterCounts(IReadOnlyList<QuarterFigures> Figures, DateTimeOffset ComputedAt);

        private async Task<QuarterCounts> QuartersAsync(GetEvaluationReport query, CurrentUser user, CancellationToken cancellationToken)
        {
            var quarters = QuartersOf(query.From, query.To);
            // Each measure is one statement grouped by quarter (the quarter of an instant: a CASE over the quarters' bounds).
            // Paris midnights as UTC instants, like the stored ones (FrenchTime.StartOfDay, ADR 0003).
            var bounds = quarters.Select(q => FrenchTime.StartOfDay(q.From)).Append(FrenchTime.StartOfDay(query.To.AddDays(1))).ToList();
            Dictionary<int, int> validated, firstTime, prescribed, opened, answered, arbitrations;
            await using (var db = await dbFactory.CreateAsync(cancellationToken))
            {
                var prescriptions = ObservatoryScope.Prescriptions(db, user);
                var sessions = ObservatoryScope.Sessions(db, user);
                var fiches = db.FicheActions.Where(f => sessions.Any(s => s.FicheActionId == f.Id) || !ObservatoryScope.IsTerritorial(user));
                var (first, last) = (bounds[0], bounds[^1]);
                var validatedFiches = fiches.Where(f => f.Status == FicheStatus.Validated && f.ValidatedAt >= first && f.ValidatedAt < last)
                    .Select(f => new
                    {
                        At = f.ValidatedAt!.Value,
                        // Validated at the first submission: no other version was submitted before the validation.
                        FirstTime = db.FicheActionVersions.Count(v => v.FicheActionId == f.Id && v.SubmittedAt <= f.ValidatedAt) == 1 ? 1 : 0,
                    });
                var byQuarter = await ByQuarter(validatedFiches, x => x.At, bounds)
                    .Select(g => new { g.Key, Count = g.Count(), FirstTime = g.Sum(x => x.FirstTime) }).ToListAsync(cancellationToken);
                validated = byQuarter.ToDictionary(g => g.Key, g => g.Count);
                firstTime = byQuarter.ToDictionary(g => g.Key, g => g.FirstTime);
                prescribed = await CountAsync(prescriptions.Where(p => p.CreatedAt >= first && p.CreatedAt < last).Select(p => p.CreatedAt), bounds, cancellationToken);
                var threads = db.AllComplementThreads.Where(t => t.OpenedAt >= first && t.OpenedAt < last && prescriptions.Any(p => p.Id == t.PrescriptionId));
                var threadFacts = threads.Select(t => new { At = t.OpenedAt, Answered = t.FirstAnsweredAt != null ? 1 : 0 });
                var threadsByQuarter = await ByQuarter(threadFacts, x => x.At, bounds)
                    .Select(g => new { g.Key, Count = g.Count(), Answered = g.Sum(x => x.Answered) }).ToListAsync(cancellationToken);
                opened = threadsByQuarter.ToDictionary(g => g.Key, g => g.Count);
                answered = threadsByQuarter.ToDictionary(g => g.Key, g => g.Answered);
                arbitrations = await CountAsync(db.AllArbitrations.Where(a => a.OpenedAt >= first && a.OpenedAt < last && prescriptions.Any(p => p.Id == a.PrescriptionId))
                    .Select(a => a.OpenedAt), bounds, cancellationToken);
            }
            var figures = quarters.Select((q, i) => new QuarterFigures(q, validated.GetValueOrDefault(i), firstTime.GetValueOrDefault(i), prescribed.GetValueOrDefault(i),
                opened.GetValueOrDefault(i), answered.GetValueOrDefault(i), arbitrations.GetValueOrDefault(i))).ToList();
            return new QuarterCounts(figures, clock.GetUtcNow());
        }

        /// <summary>An access result that carries the publics only (the other tables of the access observatory are not in the report).</summary>
        private static GetAccessObservatory.Result PublicsOnly(GetAccessObservatory period, IReadOnlyList<GetAccessObservatory.PublicRow> publics) =>
            new(period.From, period.To, null, publics, [], [], [], [], [], []);

        private static async Task<Dictionary<int, int>> CountAsync(IQueryable<DateTimeOffset> instants, IReadOnlyList<DateTimeOffset> bounds, CancellationToken ct) =>
            await ByQuarter(instants, x => x, bounds).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

        /// <summary>Groups by the index of the quarter an instant falls in, an expression SQL can group by: at &lt; b1 ? 0 : at &lt; b2 ? 1 : …</summary>
        private static IQueryable<IGrouping<int, T>> ByQuarter<T>(IQueryable<T> source, Expression<Func<T, DateTimeOffset>> at, IReadOnlyList<DateTimeOffset> bounds)
        {
            Expression body = Expression.Constant(bounds.Count - 2);
            for (var i = bounds.Count - 3; i >= 0; i--)
                body = Expression.Condition(Expression.LessThan(at.Body, Expression.Constant(bounds[i + 1])), Expression.Constant(i), body);
            return source.GroupBy(Expression.Lambda<Func<T, int>>(body, at.Parameters));
        }
    }
}
