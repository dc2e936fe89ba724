using System.Globalization;
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
/// access observatory, this period against the one before). Aggregates only; one COUNT per quarter and measure,
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

    public sealed class Handler(IAppDbContextFactory dbFactory, GetAccessObservatory.Handler access, GetQualityIndicators.Handler quality)
    {
        public async Task<Result> HandleAsync(GetEvaluationReport query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            ObservatoryScope.EnsureCanRead(user);
            var period = new GetAccessObservatory(query.From, query.To);
            if (period.Validate() is { Count: > 0 } errors) throw new DomainException(string.Join(" ", errors), "Q4");
            var days = query.To.DayNumber - query.From.DayNumber + 1;
            var previousTo = query.From.AddDays(-1);
            var previousFrom = previousTo.AddDays(1 - days);

            var quarters = new List<QuarterFigures>();
            await using (var db = await dbFactory.CreateAsync(cancellationToken))
            {
                var prescriptions = ObservatoryScope.Prescriptions(db, user);
                var sessions = ObservatoryScope.Sessions(db, user);
                var fiches = db.FicheActions.Where(f => sessions.Any(s => s.FicheActionId == f.Id) || !ObservatoryScope.IsTerritorial(user));
                foreach (var q in QuartersOf(query.From, query.To))
                {
                    var start = FrenchTime.StartOfDay(q.From);
                    var end = FrenchTime.StartOfDay(q.To.AddDays(1));
                    var validated = fiches.Where(f => f.Status == FicheStatus.Validated && f.ValidatedAt >= start && f.ValidatedAt < end);
                    var inQuarter = prescriptions.Where(p => p.CreatedAt >= start && p.CreatedAt < end);
                    var threads = db.ComplementThreads.Where(t => t.OpenedAt >= start && t.OpenedAt < end && prescriptions.Any(p => p.Id == t.PrescriptionId));
                    quarters.Add(new QuarterFigures(q,
                        await validated.CountAsync(cancellationToken),
                        // Validated at the first submission: no other version was submitted before the validation.
                        await validated.CountAsync(f => db.FicheActionVersions.Count(v => v.FicheActionId == f.Id && v.SubmittedAt <= f.ValidatedAt) == 1, cancellationToken),
                        await inQuarter.CountAsync(cancellationToken),
                        await threads.CountAsync(cancellationToken),
                        await threads.CountAsync(t => t.FirstAnsweredAt != null, cancellationToken),
                        await db.Arbitrations.CountAsync(a => a.OpenedAt >= start && a.OpenedAt < end && prescriptions.Any(p => p.Id == a.PrescriptionId), cancellationToken)));
                }
            }
            var now = await access.HandleAsync(period, user, cancellationToken);
            var before = await access.HandleAsync(new GetAccessObservatory(previousFrom, previousTo), user, cancellationToken);
            var conformity = await quality.HandleAsync(new GetQualityIndicators(query.From, query.To), user, cancellationToken);
            return new Result(query.From, query.To, previousFrom, previousTo, quarters, now, before, conformity);
        }
    }
}
