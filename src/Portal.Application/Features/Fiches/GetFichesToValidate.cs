using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Fiches;

/// <summary>
/// O2: the Région's "Fiches à valider": submitted fiches with their OF and submission date, the oldest first; one page
/// of them, ordered and counted in SQL (index FicheActions(Status, SubmittedAt)).
/// </summary>
public sealed record GetFichesToValidate(int Skip = 0, int Take = GetFichesToValidate.DefaultTake)
{
    public const int DefaultTake = 50;
    public const int MaxTake = 500;

    public sealed record Row(Guid Id, string Title, string OrganisationName, EntryMode EntryMode, int Version, DateTimeOffset SubmittedAt);

    /// <summary>The page asked for and the number of fiches waiting.</summary>
    public sealed record Result(IReadOnlyList<Row> Rows, int Total);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetFichesToValidate query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            EnsureRegion(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var submitted = db.FicheActions.AsNoTracking().Where(f => f.Status == FicheStatus.Submitted);
            var total = await submitted.CountAsync(cancellationToken);
            // Instants are stored as sortable integers (PortalDbContext): ordered in SQL.
            var rows = await submitted
                .OrderBy(f => f.SubmittedAt).ThenBy(f => f.UpdatedAt).ThenBy(f => f.Id)
                .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake))
                .Join(db.Organisations, f => f.OrganisationId, o => o.Id,
                    (f, o) => new Row(f.Id, f.Title, o.Name, f.EntryMode, f.Version, f.SubmittedAt ?? f.UpdatedAt))
                .ToListAsync(cancellationToken);
            return new Result(rows, total);
        }

        /// <summary>How many fiches wait for the Région (the menu's badge).</summary>
        public async Task<int> CountAsync(CurrentUser user, CancellationToken cancellationToken = default)
        {
            EnsureRegion(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            return await db.FicheActions.CountAsync(f => f.Status == FicheStatus.Submitted, cancellationToken);
        }

        internal static void EnsureRegion(CurrentUser user)
        {
            if (!user.Is(Role.Region)) throw new AccessDeniedException("La validation des fiches action est réservée à la Région.");
        }
    }
}
