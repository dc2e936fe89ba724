using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Fiches;

/// <summary>O2: the Région's "Fiches à valider": submitted fiches with their OF and submission date, the oldest first.</summary>
public sealed record GetFichesToValidate
{
    public sealed record Row(Guid Id, string Title, string OrganisationName, EntryMode EntryMode, int Version, DateTimeOffset SubmittedAt);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<Row>> HandleAsync(GetFichesToValidate query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            EnsureRegion(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var rows = await db.FicheActions.AsNoTracking()
                .Where(f => f.Status == FicheStatus.Submitted)
                .Join(db.Organisations, f => f.OrganisationId, o => o.Id,
                    (f, o) => new Row(f.Id, f.Title, o.Name, f.EntryMode, f.Version, f.SubmittedAt ?? f.UpdatedAt))
                .ToListAsync(cancellationToken);
            // DateTimeOffset is not orderable in SQLite: a handful of rows, sorted here.
            return [.. rows.OrderBy(r => r.SubmittedAt)];
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
