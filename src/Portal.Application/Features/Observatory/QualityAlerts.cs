using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;
using Portal.Domain.Quality;

namespace Portal.Application.Features.Observatory;

/// <summary>
/// Q2: the recurring job that keeps the quality alerts true. Two causes:
/// - an OF with candidates still convoked, attended or absent (no decision) the Région's delay (15 days by default) or
///   more after their info session: one open alert carrying that count;
/// - an actor whose quality indicator misses the Région's threshold over the prescriptions of the last
///   <see cref="QualityIndicators.AlertWindowDays"/> days, with at least <see cref="QualityIndicators.AlertMinimumCases"/>
///   cases: one open alert per (actor, indicator), for the actor responsible (<see cref="QualityIndicators.Indicator.AlertsOn"/>).
/// An open alert whose cause has disappeared is resolved. Set-based (GROUP BYs in SQL, bulk resolution), idempotent
/// (one open alert per kind, actor and indicator, by a unique filtered index), driven by <see cref="TimeProvider"/>.
/// </summary>
public sealed class QualityAlertsJob(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier) : IRecurringJob
{
    private static readonly PrescriptionStatus[] Undecided =
        [PrescriptionStatus.Convoked, PrescriptionStatus.Attended, PrescriptionStatus.AbsentJustified, PrescriptionStatus.AbsentUnjustified];

    /// <summary>The prescriptions still without a decision N days after their meeting, as of <paramref name="now"/>.</summary>
    public static IQueryable<Prescription> WithoutDecision(IAppDbContext db, DateTimeOffset now, int undecidedDays)
    {
        var heldBefore = now.AddDays(-undecidedDays);
        var held = db.InfoSessions.Where(i => i.StartsAt <= heldBefore).Select(i => i.Id);
        return db.AllPrescriptions.Where(p => Undecided.Contains(p.Status) && p.ConvokedInfoSessionId != null && held.Contains(p.ConvokedInfoSessionId.Value));
    }

    /// <summary>What should be open after this run: one cause per (kind, actor, indicator).</summary>
    private sealed record Cause(QualityAlertKind Kind, Guid OrganisationId, string IndicatorKey, int Count, double? Value, double? Threshold);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var undecidedDays = await SetQualityThreshold.UndecidedDaysAsync(db, cancellationToken);
        var causes = await WithoutDecision(db, now, undecidedDays).GroupBy(p => p.TrainingBodyId)
            .Select(g => new Cause(QualityAlertKind.DecisionsMissing, g.Key, "", g.Count(), null, null)).ToListAsync(cancellationToken);
        causes.AddRange(await MissedThresholdsAsync(db, now, cancellationToken));

        // Atomic (issue #16, ADR 0022): the resolved alerts and the raised or refreshed ones commit together; a failure
        // between the two writes leaves the alerts as they were (the next run starts again from them).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var open = await db.QualityAlerts.Where(a => a.ResolvedAt == null).ToListAsync(cancellationToken);
        var wanted = causes.ToDictionary(c => (c.Kind, c.OrganisationId, c.IndicatorKey));
        var changed = new HashSet<Guid>();

        var resolved = open.Where(a => !wanted.ContainsKey((a.Kind, a.OrganisationId, a.IndicatorKey))).ToList();
        if (resolved.Count > 0)
        {
            var ids = resolved.Select(a => a.Id).ToList();
            await db.QualityAlerts.Where(a => ids.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.ResolvedAt, now), cancellationToken);
            changed.UnionWith(resolved.Select(a => a.OrganisationId));
        }
        var existing = open.Except(resolved).ToDictionary(a => (a.Kind, a.OrganisationId, a.IndicatorKey));
        foreach (var cause in causes)
        {
            if (existing.TryGetValue((cause.Kind, cause.OrganisationId, cause.IndicatorKey), out var alert))
            {
                if (alert.Count == cause.Count && alert.Value == cause.Value && alert.Threshold == cause.Threshold) continue;
                alert.Refresh(cause.Count, cause.Value, cause.Threshold);
            }
            else db.QualityAlerts.Add(new QualityAlert(cause.Kind, cause.OrganisationId, cause.IndicatorKey, cause.Count, cause.Value, cause.Threshold, now));
            changed.Add(cause.OrganisationId);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var org in changed) await notifier.PublishAsync(new QualityAlertsChanged(org), cancellationToken);
    }

    /// <summary>
    /// The indicators (Q1) that miss the Région's threshold, per OF and per prescriber organisation, over the
    /// prescriptions of the last <see cref="QualityIndicators.AlertWindowDays"/> Paris days; only the actor responsible
    /// for an indicator is alerted, and only on at least <see cref="QualityIndicators.AlertMinimumCases"/> cases.
    /// </summary>
    private static async Task<IEnumerable<Cause>> MissedThresholdsAsync(IAppDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(FrenchTime.ToFrance(now).Date);
        var result = await GetQualityIndicators.Handler.ComputeAsync(db, null, today.AddDays(1 - QualityIndicators.AlertWindowDays), today, now, cancellationToken);
        return result.Tables.Where(t => t.Kind != GetQualityIndicators.ActorKind.Territory).SelectMany(table => table.Rows.SelectMany(row => QualityIndicators.All.Select((indicator, n) => (indicator, n))
            .Where(x => x.indicator.AlertsOn == (table.Kind == GetQualityIndicators.ActorKind.TrainingBody
                ? QualityIndicators.Responsible.TrainingBody : QualityIndicators.Responsible.Prescriber))
            .Where(x => row.Misses[x.n] && row.Bases[x.n] >= QualityIndicators.AlertMinimumCases)
            .Select(x => new Cause(QualityAlertKind.ThresholdMissed, row.Id, x.indicator.Key, row.Bases[x.n], row.Values[x.n], result.Thresholds[x.n]))));
    }
}

/// <summary>
/// Q2: the open alerts a user sees, oldest first, one page at a time (ordered and counted in SQL). An OF (or a
/// prescriber organisation) sees its own; the CARIF, the administrator and an MFE (within its territory) see all of
/// them; the Région sees those the CARIF forwarded to it.
/// </summary>
public sealed record GetQualityAlerts(int Skip = 0, int Take = GetQualityAlerts.DefaultTake)
{
    public const int DefaultTake = 20;
    public const int MaxTake = 500;

    public sealed record Alert(Guid Id, QualityAlertKind Kind, string Organisation, string Message, DateTimeOffset RaisedAt,
        DateTimeOffset? ForwardedAt, string? ForwardComment, bool CanForward);

    /// <summary>The page asked for and the number of open alerts the user sees.</summary>
    public sealed record Result(IReadOnlyList<Alert> Alerts, int Total);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetQualityAlerts query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var alerts = db.QualityAlerts.AsNoTracking().Where(a => a.ResolvedAt == null);
            if (user.Is(Role.Carif) || user.Is(Role.Admin)) { }
            else if (user.Is(Role.Region)) alerts = alerts.Where(a => a.ForwardedAt != null);
            else if (user.Is(Role.Mfe))
            {
                var territories = db.Territories.Where(t => t.Id == user.TerritoryId || t.ParentId == user.TerritoryId).Select(t => t.Id);
                var orgs = db.Organisations.Where(o => territories.Contains(o.TerritoryId)).Select(o => o.Id);
                alerts = alerts.Where(a => orgs.Contains(a.OrganisationId));
            }
            else alerts = alerts.Where(a => a.OrganisationId == user.OrganisationId);
            var total = await alerts.CountAsync(cancellationToken);
            var rows = await alerts
                .Join(db.Organisations, a => a.OrganisationId, o => o.Id, (a, o) => new { a, o.Name })
                .OrderBy(x => x.a.RaisedAt).ThenBy(x => x.a.Id)
                .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake))
                .ToListAsync(cancellationToken);
            var canForward = user.Is(Role.Carif);
            var days = await SetQualityThreshold.UndecidedDaysAsync(db, cancellationToken);
            return new Result([.. rows.Select(x => new Alert(x.a.Id, x.a.Kind, x.Name, Message(x.a, days), x.a.RaisedAt, x.a.ForwardedAt, x.a.ForwardComment,
                canForward && x.a.ForwardedAt is null))], total);
        }

        private static string Message(QualityAlert a, int days)
        {
            if (a.Kind == QualityAlertKind.ThresholdMissed && QualityIndicators.All.FirstOrDefault(i => i.Key == a.IndicatorKey) is { } indicator)
            {
                return $"{indicator.Subject} ({indicator.Rule}) : {QualityTables.Value(indicator, a.Value)} pour un seuil de "
                    + $"{QualityTables.Value(indicator, a.Threshold)} ({(indicator.IsDelay ? "maximum" : "minimum")}), sur {a.Count} cas "
                    + $"des {QualityIndicators.AlertWindowDays} derniers jours.";
            }
            return $"{a.Count} candidat{(a.Count > 1 ? "s" : "")} sans décision {days} jours ou plus après l'information collective.";
        }
    }
}

/// <summary>Q2: the CARIF forwards an open alert to the Région with a comment. Anyone else gets NotFound.</summary>
public sealed record ForwardQualityAlert(Guid AlertId, string Comment)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(ForwardQualityAlert command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.Carif)) throw new NotFoundException("Alerte introuvable.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var alert = await db.QualityAlerts.FirstOrDefaultAsync(a => a.Id == command.AlertId, cancellationToken)
                ?? throw new NotFoundException("Alerte introuvable.");
            alert.Forward(command.Comment, user.UserId, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            await notifier.PublishAsync(new QualityAlertsChanged(alert.OrganisationId), cancellationToken);
        }
    }
}
