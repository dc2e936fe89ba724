using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Order;

namespace Portal.Application.Features.Order;

/// <summary>
/// The regional order as the user may see it now (O3). The Région: every lot and every document.
/// Prescribers, référents and training bodies: each lot with only the documents O3 shows at this instant
/// (tender file and annexes until the deadline, annexes after it, nothing once awarded), and for an
/// awarded lot the awarded training body and its validated fiche action instead.
/// </summary>
public sealed record GetRegionalOrder
{
    public sealed record Document(Guid Id, TenderDocumentKind Kind, string FileName, string ContentType, long Size, DateTimeOffset UploadedAt);

    public sealed record Award(Guid OrganisationId, string OrganisationName, Guid FicheActionId, string FicheTitle, DateTimeOffset? NotifiedAt);

    public sealed record Lot(
        Guid Id, string Title, Guid TerritoryId, string TerritoryName, int Volume, DateOnly TenderDeadline, LotStatus Status,
        bool DeadlinePassed, IReadOnlyList<Document> Documents, Award? Awarded);

    public sealed record Territory(Guid Id, string Name);

    /// <param name="Territories">For the Région's lot form; empty for everyone else.</param>
    public sealed record Result(IReadOnlyList<Lot> Lots, bool CanManage, DateOnly Today, IReadOnlyList<Territory> Territories);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<Result> HandleAsync(GetRegionalOrder query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            var manages = OrderAccess.SeesEverything(user);
            if (!manages && !OrderAccess.MayConsult(user))
                throw new AccessDeniedException("La commande régionale se consulte par les prescripteurs, les référents formation et les organismes de formation.");
            var now = clock.GetUtcNow();
            var today = OrderAccess.Today(now);

            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var lots = await db.OrderLots.AsNoTracking().Include(l => l.Documents)
                .OrderBy(l => l.Status).ThenBy(l => l.TenderDeadline).ThenBy(l => l.Title)
                .ToListAsync(cancellationToken);
            var territories = await db.Territories.AsNoTracking()
                .Select(t => new Territory(t.Id, t.Name))
                .ToListAsync(cancellationToken);
            var territoryNames = territories.ToDictionary(t => t.Id, t => t.Name);

            // The awarded fiches, as far as the user may see fiches (only validated ones outside the Région, O2).
            var ficheIds = lots.Where(l => l.AwardedFicheActionId is not null).Select(l => l.AwardedFicheActionId!.Value).ToList();
            var fiches = await db.FicheActions(user).AsNoTracking()
                .Where(f => ficheIds.Contains(f.Id))
                .Join(db.Organisations, f => f.OrganisationId, o => o.Id, (f, o) => new { f.Id, f.Title, OrganisationName = o.Name })
                .ToDictionaryAsync(f => f.Id, cancellationToken);

            var views = lots.Select(lot =>
            {
                Award? award = null;
                if (lot.Status == LotStatus.Awarded && lot.AwardedFicheActionId is { } ficheId && fiches.TryGetValue(ficheId, out var fiche))
                    award = new Award(lot.AwardedOrganisationId!.Value, fiche.OrganisationName, ficheId, fiche.Title, lot.AwardNotifiedAt);
                var documents = OrderAccess.VisibleDocuments(lot, user, now)
                    .OrderBy(d => d.Kind).ThenBy(d => d.FileName, StringComparer.CurrentCulture)
                    .Select(d => new Document(d.Id, d.Kind, d.FileName, d.ContentType, d.Size, d.UploadedAt))
                    .ToList();
                return new Lot(lot.Id, lot.Title, lot.TerritoryId, territoryNames.GetValueOrDefault(lot.TerritoryId, ""), lot.Volume,
                    lot.TenderDeadline, lot.Status, today > lot.TenderDeadline, documents, award);
            }).ToList();

            return new Result(views, manages, today,
                manages ? [.. territories.OrderBy(t => t.Name, StringComparer.CurrentCulture)] : []);
        }
    }
}
