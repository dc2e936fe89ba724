using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>
/// The candidate withdraws (told to the OF or to the prescriber, who records it). When the candidate held a place
/// (selected, offered), it opens again (O8) and the OF, told that someone waits, offers it (O9, S1, ADR 0015);
/// everyone concerned sees it live.
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
            prescription.Withdraw(user.UserId, now, string.IsNullOrWhiteSpace(command.Reason) ? null : $"Désistement du candidat : {command.Reason.Trim()}");
            // O8: a place held (selected, offered) opens again in the same transaction; the OF offers it (O9, S1).
            var sessions = await SessionPlaces.RecountAsync(db, [prescription.SessionId], cancellationToken);
            await SessionPlaces.SaveAsync(db, SelectionAccess.ConflictMessage, "O9", cancellationToken);
            await WaitlistPromotion.PublishAsync(notifier, [prescription], cancellationToken);
            await SessionPlaces.PublishAsync(notifier, sessions, cancellationToken);
        }
    }
}
