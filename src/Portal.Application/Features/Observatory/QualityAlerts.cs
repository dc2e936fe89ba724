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
/// Q2: the recurring job that keeps the quality alerts true. For each OF with candidates still convoked, attended
/// or absent (no decision) the Région's delay (15 days by default) or more after their info session,
/// one open alert carrying that count; an open alert whose cause has disappeared is resolved. Set-based (one GROUP BY,
/// bulk updates), idempotent (one open alert per kind and OF, by a unique filtered index), driven by <see cref="TimeProvider"/>.
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
        return db.Prescriptions.Where(p => Undecided.Contains(p.Status) && p.ConvokedInfoSessionId != null && held.Contains(p.ConvokedInfoSessionId.Value));
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var undecidedDays = await SetQualityThreshold.UndecidedDaysAsync(db, cancellationToken);
        var causes = await WithoutDecision(db, now, undecidedDays).GroupBy(p => p.TrainingBodyId)
            .Select(g => new { OrganisationId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var open = await db.QualityAlerts.Where(a => a.Kind == QualityAlertKind.DecisionsMissing && a.ResolvedAt == null)
            .Select(a => new { a.Id, a.OrganisationId, a.Count }).ToListAsync(cancellationToken);
        var changed = new HashSet<Guid>();

        var ofs = causes.Select(c => c.OrganisationId).ToList();
        var resolved = open.Where(a => !ofs.Contains(a.OrganisationId)).Select(a => a.Id).ToList();
        if (resolved.Count > 0)
        {
            await db.QualityAlerts.Where(a => resolved.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.ResolvedAt, now), cancellationToken);
            changed.UnionWith(open.Where(a => resolved.Contains(a.Id)).Select(a => a.OrganisationId));
        }
        foreach (var cause in causes)
        {
            var existing = open.FirstOrDefault(a => a.OrganisationId == cause.OrganisationId);
            if (existing is null)
            {
                db.QualityAlerts.Add(new QualityAlert(QualityAlertKind.DecisionsMissing, cause.OrganisationId, cause.Count, now));
                changed.Add(cause.OrganisationId);
            }
            else if (existing.Count != cause.Count)
            {
                await db.QualityAlerts.Where(a => a.Id == existing.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Count, cause.Count), cancellationToken);
                changed.Add(cause.OrganisationId);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var org in changed) await notifier.PublishAsync(new QualityAlertsChanged(org), cancellationToken);
    }
}

/// <summary>
/// Q2: the open alerts a user sees. An OF (or a prescriber organisation) sees its own; the CARIF, the administrator and
/// an MFE (within its territory) see all of them; the Région sees those the CARIF forwarded to it.
/// </summary>
public sealed record GetQualityAlerts
{
    public sealed record Alert(Guid Id, QualityAlertKind Kind, string Organisation, string Message, DateTimeOffset RaisedAt,
        DateTimeOffset? ForwardedAt, string? ForwardComment, bool CanForward);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<Alert>> HandleAsync(CurrentUser user, CancellationToken cancellationToken = default)
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
            var rows = await alerts
                .Join(db.Organisations, a => a.OrganisationId, o => o.Id, (a, o) => new { a, o.Name })
                .OrderBy(x => x.a.RaisedAt)
                .Take(200)
                .ToListAsync(cancellationToken);
            var canForward = user.Is(Role.Carif);
            var days = await SetQualityThreshold.UndecidedDaysAsync(db, cancellationToken);
            return [.. rows.Select(x => new Alert(x.a.Id, x.a.Kind, x.Name, Message(x.a, days), x.a.RaisedAt, x.a.ForwardedAt, x.a.ForwardComment,
                canForward && x.a.ForwardedAt is null))];
        }

        private static string Message(QualityAlert a, int days) => a.Kind switch
        {
            _ => $"{a.Count} candidat{(a.Count > 1 ? "s" : "")} sans décision {days} jours ou plus après l'information collective.",
        };
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
