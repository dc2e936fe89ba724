using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Application.Features.Selection;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;

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
            var now = clock.GetUtcNow();
            var wasSelected = prescription.Status == PrescriptionStatus.Selected;
            prescription.Cancel(user.UserId, now, command.Reason);
            // O9: a selected candidate's place goes to the first of the waiting list.
            var promoted = wasSelected ? await WaitlistPromotion.PromoteAsync(db, prescription.SessionId, 1, now, cancellationToken) : [];
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException("La prescription vient d'être modifiée par quelqu'un d'autre : rechargez-la et recommencez.");
            }
            await WaitlistPromotion.PublishAsync(notifier, promoted.Prepend(prescription), cancellationToken);
        }
    }
}
