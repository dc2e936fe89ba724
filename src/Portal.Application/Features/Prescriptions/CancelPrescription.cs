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
            var prescription = await db.AllPrescriptions.FirstOrDefaultAsync(p => p.Id == command.PrescriptionId && p.PrescriberOrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            var now = clock.GetUtcNow();
            prescription.Cancel(user.UserId, now, command.Reason);
            // O8: a place the candidate held opens again, in the same transaction; the OF offers it (O9, S1).
            var sessions = await Sessions.SessionPlaces.RecountAsync(db, [prescription.SessionId], cancellationToken);
            await Sessions.SessionPlaces.SaveAsync(db, "La prescription vient d'être modifiée par quelqu'un d'autre : rechargez-la et recommencez.", "O8", cancellationToken);
            await WaitlistPromotion.PublishAsync(notifier, [prescription], cancellationToken);
            await Sessions.SessionPlaces.PublishAsync(notifier, sessions, cancellationToken);
        }
    }
}
