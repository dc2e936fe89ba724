using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Fiches;

/// <summary>O2: the OF's "Mes fiches": each fiche with its status, version, last update, the Région's comment and its sessions, in one query.</summary>
public sealed record GetMyFiches
{
    public sealed record Row(
        Guid Id, string Title, EntryMode EntryMode, FicheStatus Status, int Version, DateTimeOffset UpdatedAt, string? RegionComment, int Sessions)
    {
        public bool CanEdit => Status is FicheStatus.Draft or FicheStatus.Returned;
    }

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<Row>> HandleAsync(GetMyFiches query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Cet écran est réservé aux organismes de formation.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var rows = await db.FicheActions.AsNoTracking()
                .Where(f => f.OrganisationId == user.OrganisationId)
                .Select(f => new Row(f.Id, f.Title, f.EntryMode, f.Status, f.Version, f.UpdatedAt, f.RegionComment,
                    db.Sessions.Count(s => s.FicheActionId == f.Id)))
                .ToListAsync(cancellationToken);
            // Returned first (they wait for the OF), then drafts, submitted, validated; the latest change first.
            return [.. rows.OrderBy(r => r.Status switch
                {
                    FicheStatus.Returned => 0,
                    FicheStatus.Draft => 1,
                    FicheStatus.Submitted => 2,
                    _ => 3,
                })
                .ThenByDescending(r => r.UpdatedAt)];
        }
    }
}
