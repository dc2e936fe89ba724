using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;

namespace Portal.Application.Features.Prescriptions;

/// <summary>The prescriber cancels one of their organisation's prescriptions, with a reason; the OF sees it live.</summary>
public sealed record CancelPrescription(Guid PrescriptionId, string Reason)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(CancelPrescription command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Seul le prescripteur annule une prescription.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var prescription = await db.Prescriptions.FirstOrDefaultAsync(p => p.Id == command.PrescriptionId && p.PrescriberOrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            prescription.Cancel(user.UserId, clock.GetUtcNow(), command.Reason);
            await db.SaveChangesAsync(cancellationToken);
            await notifier.PublishAsync(new PrescriptionStatusChanged(prescription.Id, prescription.SessionId, prescription.CandidateId,
                prescription.PrescriberOrganisationId, prescription.TrainingBodyId, prescription.Status), cancellationToken);
        }
    }
}
