using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Fiches;

/// <summary>
/// O2: the OF's "Mes fiches": each fiche with its status, version, last update, the Région's comment and its sessions;
/// one page of them, ordered and counted in SQL (index FicheActions(OrganisationId, Status, UpdatedAt)), with the
/// number of fiches per status for the summary.
/// </summary>
public sealed record GetMyFiches(int Skip = 0, int Take = GetMyFiches.DefaultTake)
{
    public const int DefaultTake = 50;
    public const int MaxTake = 500;

    public sealed record Row(
        Guid Id, string Title, EntryMode EntryMode, FicheStatus Status, int Version, DateTimeOffset UpdatedAt, string? RegionComment, int Sessions)
    {
        public bool CanEdit => Status is FicheStatus.Draft or FicheStatus.Returned;
    }

    /// <summary>The page asked for, the OF's number of fiches and how many per status.</summary>
    public sealed record Result(IReadOnlyList<Row> Rows, int Total, IReadOnlyDictionary<FicheStatus, int> CountsByStatus)
    {
        public int CountOf(FicheStatus status) => CountsByStatus.GetValueOrDefault(status);
    }

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetMyFiches query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Cet écran est réservé aux organismes de formation.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var own = db.FicheActions.AsNoTracking().Where(f => f.OrganisationId == user.OrganisationId);
            var counts = await own.GroupBy(f => f.Status).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
            // Returned first (they wait for the OF), then drafts, submitted, validated; the latest change first.
            var rows = await own
                .OrderBy(f => f.Status == FicheStatus.Returned ? 0 : f.Status == FicheStatus.Draft ? 1 : f.Status == FicheStatus.Submitted ? 2 : 3)
                .ThenByDescending(f => f.UpdatedAt).ThenBy(f => f.Id)
                .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake))
                .Select(f => new Row(f.Id, f.Title, f.EntryMode, f.Status, f.Version, f.UpdatedAt, f.RegionComment,
                    db.Sessions.Count(s => s.FicheActionId == f.Id)))
                .ToListAsync(cancellationToken);
            return new Result(rows, counts.Values.Sum(), counts);
        }
    }
}
