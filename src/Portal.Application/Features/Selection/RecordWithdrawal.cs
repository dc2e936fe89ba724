using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>
/// The candidate withdraws (told to the OF or to the prescriber, who records it). When the candidate had been
/// selected, the place freed goes to the first of the waiting list (O9); everyone concerned sees it live.
/// </summary>
public sealed record RecordWithdrawal(Guid PrescriptionId, string? Reason = null)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(RecordWithdrawal command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!(user.Is(Role.OrganismeFormation) || user.IsPrescriberSide))
                throw new AccessDeniedException("Seuls l'organisme de formation et le prescripteur enregistrent un désistement.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var prescription = await db.Prescriptions(user)
                .FirstOrDefaultAsync(p => p.Id == command.PrescriptionId
                    && (p.TrainingBodyId == user.OrganisationId || p.PrescriberOrganisationId == user.OrganisationId), cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            var now = clock.GetUtcNow();
            var wasSelected = prescription.Status == PrescriptionStatus.Selected;
            prescription.Withdraw(user.UserId, now, string.IsNullOrWhiteSpace(command.Reason) ? null : $"Désistement du candidat : {command.Reason.Trim()}");
            var promoted = wasSelected ? await WaitlistPromotion.PromoteAsync(db, prescription.SessionId, 1, now, cancellationToken) : [];
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException(SelectionAccess.ConflictMessage, "O9");
            }
            await WaitlistPromotion.PublishAsync(notifier, promoted.Prepend(prescription), cancellationToken);
        }
    }
}
