using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>
/// S9: for the Région, the open (or closed, not yet started) sessions with the most active prescriptions, where a
/// selection commission may help, and whether one is set up. One query, aggregated in SQL.
/// </summary>
public sealed record GetBusySessions(int Take = 10)
{
    /// <summary>From how many active prescriptions per open place the Région is invited to consider a commission.</summary>
    public const int PrescriptionsPerPlace = 2;

    public sealed record Row(Guid SessionId, string FicheTitle, string TrainingBody, DateOnly Start, int Capacity, int ActivePrescriptions, bool HasCommission)
    {
        public bool Crowded => ActivePrescriptions >= PrescriptionsPerPlace * Math.Max(1, Capacity);
    }

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<Row>> HandleAsync(GetBusySessions query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.Region)) throw new AccessDeniedException("Cet écran est réservé à la Région.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var active = PrescriptionLifecycle.Active;
            var rows = await db.Sessions.AsNoTracking()
                .Where(s => s.Status == SessionStatus.Open || s.Status == SessionStatus.Closed || s.Status == SessionStatus.Suspended)
                .Select(s => new
                {
                    s.Id, s.Start, s.Capacity,
                    Title = db.FicheActions.Where(f => f.Id == s.FicheActionId).Select(f => f.Title).First(),
                    Of = db.Organisations.Where(o => o.Id == s.OrganisationId).Select(o => o.Name).First(),
                    Count = db.AllPrescriptions.Count(p => p.SessionId == s.Id && active.Contains(p.Status)),
                    HasCommission = db.SelectionCommissions.Any(c => c.SessionId == s.Id),
                })
                .Where(s => s.Count > 0)
                .OrderByDescending(s => s.Count).ThenBy(s => s.Id)
                .Take(Math.Clamp(query.Take, 1, 50))
                .ToListAsync(cancellationToken);
            return [.. rows.Select(r => new Row(r.Id, r.Title, r.Of, r.Start, r.Capacity, r.Count, r.HasCommission))];
        }
    }
}
