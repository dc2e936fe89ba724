using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Arbitrations;
using Portal.Domain.Common;

namespace Portal.Application.Features.Arbitrations;

/// <summary>S10: a party of the prescription adds (or rewrites) its argument on the open case.</summary>
public sealed record ArgueArbitration(Guid PrescriptionId, string Argument)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, ILiveNotifier notifier)
    {
        public async Task HandleAsync(ArgueArbitration command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var prescription = await db.Prescriptions(user).Where(p => p.Id == command.PrescriptionId)
                .Select(p => new { p.Id, p.PrescriberOrganisationId, p.TrainingBodyId })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            var side = user.SideOf(prescription.PrescriberOrganisationId, prescription.TrainingBodyId)
                ?? throw new AccessDeniedException("Seuls le prescripteur et l'organisme de formation de cette prescription argumentent un arbitrage.");
            var arbitration = await db.AllArbitrations.FirstOrDefaultAsync(a => a.PrescriptionId == prescription.Id && a.Status == ArbitrationStatus.Open, cancellationToken)
                ?? throw new DomainException("Aucun arbitrage n'est en cours pour cette prescription.", "S10");
            arbitration.Argue(side, command.Argument);
            await db.SaveChangesAsync(cancellationToken);
            await notifier.PublishAsync(new ArbitrationChanged(arbitration.Id, prescription.Id, arbitration.AssignedOrganisationId,
                prescription.PrescriberOrganisationId, prescription.TrainingBodyId, arbitration.Status), cancellationToken);
        }
    }
}
