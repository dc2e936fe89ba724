using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Arbitrations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Arbitrations;

/// <summary>
/// S10: the arbitrator decides: the decision is upheld, overturned (the new decision is applied to the
/// prescription, with its history entry "Décision de l'arbitrage (S10)"), or another outcome said in words.
/// Both parties see it live.
/// </summary>
public sealed record DecideArbitration(
    Guid ArbitrationId, ArbitrationOutcome Outcome, string? Text,
    PrescriptionStatus? NewDecision = null, IReadOnlyList<NonSelectionReason>? Reasons = null)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(DecideArbitration command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var arbitration = await db.ArbitrationsToDecide(user).FirstOrDefaultAsync(a => a.Id == command.ArbitrationId, cancellationToken)
                ?? throw new NotFoundException("Arbitrage introuvable.");
            var prescription = await db.AllPrescriptions.Include(p => p.History)
                .FirstAsync(p => p.Id == arbitration.PrescriptionId, cancellationToken);
            var now = clock.GetUtcNow();
            arbitration.Decide(command.Outcome, command.NewDecision, command.Text, user.UserId, now);
            IReadOnlyList<Portal.Domain.Offer.TrainingSession> sessions = [];
            if (command.Outcome == ArbitrationOutcome.Overturned)
            {
                // O9: put back on the waiting list, the candidate waits in the list's one order (ADR 0015).
                // ADR 0026: the arbitrator's reasons take the codes and labels of the reasons list.
                var reasons = command.Reasons is null ? null : await Selection.NonSelectionReasonList.ResolveAsync(db, command.Reasons, cancellationToken);
                prescription.ApplyArbitration(command.NewDecision!.Value, reasons, user.UserId, now);
                // O8: the arbitration's outcome takes or frees a place in the same transaction (ADR 0015: it is final, even
                // with no place open, the figure then stays at 0).
                sessions = await Sessions.SessionPlaces.RecountAsync(db, [prescription.SessionId], cancellationToken);
            }
            await Sessions.SessionPlaces.SaveAsync(db, Sessions.SessionPlaces.ConflictMessage, "S10", cancellationToken);

            await notifier.PublishAsync(new ArbitrationChanged(arbitration.Id, prescription.Id, arbitration.AssignedOrganisationId,
                prescription.PrescriberOrganisationId, prescription.TrainingBodyId, arbitration.Status), cancellationToken);
            if (command.Outcome == ArbitrationOutcome.Overturned)
                await notifier.PublishAsync(PrescriptionsChanged.Of(Selection.WaitlistPromotion.Changed(prescription)), cancellationToken);
            await Sessions.SessionPlaces.PublishAsync(notifier, sessions, cancellationToken);
        }
    }
}
