using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Order;

/// <summary>
/// O3: the Région records the award notification of a lot to a training body and one of its validated
/// fiches action, which from then on replaces the annexes in the prescribers' view.
/// </summary>
public sealed record AwardLot(Guid LotId, Guid OrganisationId, Guid FicheActionId)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task HandleAsync(AwardLot command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrderAccess.RequireRegion(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var lot = await db.OrderLots.FirstOrDefaultAsync(l => l.Id == command.LotId, cancellationToken)
                ?? throw new NotFoundException("Lot introuvable.");
            var isTrainingBody = await db.Organisations.AnyAsync(o => o.Id == command.OrganisationId && o.Kind == OrganisationKind.TrainingBody, cancellationToken);
            if (!isTrainingBody) throw OrderAccess.Refusal("Choisissez l'organisme de formation attributaire.");
            var fiche = await db.FicheActions
                .Where(f => f.Id == command.FicheActionId && f.OrganisationId == command.OrganisationId)
                .Select(f => new { f.Status })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw OrderAccess.Refusal("Choisissez une fiche action de l'organisme attributaire.");
            lot.Award(command.OrganisationId, command.FicheActionId, fiche.Status == FicheStatus.Validated, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
