using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;

namespace Portal.Application.Features.Fiches;

/// <summary>O2: the Région reads a fiche as submitted, and what changed since the previous version.</summary>
public sealed record GetFicheReview(Guid FicheId)
{
    public sealed record Change(string Field, string Before, string After);

    public sealed record Review(
        Guid Id, string OrganisationName, FicheStatus Status, string? RegionComment, int Version, DateTimeOffset? SubmittedAt,
        int? PreviousVersion, FicheSnapshot Fiche, IReadOnlyList<Change> Changes,
        IReadOnlyList<ReferenceItem> RomeCodes, IReadOnlyList<ReferenceItem> TrainingPlaces, IReadOnlyList<string> SelectionCriteria)
    {
        public bool CanDecide => Status == FicheStatus.Submitted;
    }

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Review> HandleAsync(GetFicheReview query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            GetFichesToValidate.Handler.EnsureRegion(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var f = await db.FicheActions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == query.FicheId, cancellationToken)
                ?? throw new NotFoundException("Fiche action introuvable.");
            var organisation = await db.Organisations.Where(o => o.Id == f.OrganisationId).Select(o => o.Name).FirstAsync(cancellationToken);
            // The latest two versions only: the one under review and the one it is compared with.
            var versions = await db.FicheActionVersions.AsNoTracking()
                .Where(v => v.FicheActionId == f.Id)
                .OrderByDescending(v => v.Number)
                .Take(2)
                .ToListAsync(cancellationToken);
            var latest = versions.FirstOrDefault();
            var previous = versions.Skip(1).FirstOrDefault();
            var shown = latest?.Snapshot ?? FicheSnapshot.Of(f);
            var changes = previous is null || latest is null
                ? []
                : latest.Snapshot.DiffFrom(previous.Snapshot).Select(d => new Change(d.Field, d.Before, d.After)).ToList();
            return new Review(f.Id, organisation, f.Status, f.RegionComment, f.Version, latest?.SubmittedAt, previous?.Number, shown, changes,
                await ReferenceItem.RomeAsync(db, f.RomeCodes, cancellationToken),
                await ReferenceItem.CommunesAsync(db, f.TrainingPlaces, cancellationToken),
                [.. f.SelectionCriteria]);
        }
    }
}
