using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Arbitrations;
using Portal.Domain.Common;

namespace Portal.Application.Features.Arbitrations;

/// <summary>
/// S10: the prescriber or the OF contests a decision (or a disagreement) on a prescription, with its argument.
/// The case goes to the MFE of the session's territory, or the Région; one open case per prescription, and one case per
/// decision: a decided case is final, only a later decision may be contested again.
/// </summary>
public sealed record OpenArbitration(Guid PrescriptionId, string Argument)
{
    public const string AlreadyOpen = "Un arbitrage est déjà en cours pour cette prescription : ajoutez votre argument au dossier ouvert.";

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task<Guid> HandleAsync(OpenArbitration command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var prescription = await db.Prescriptions(user).Where(p => p.Id == command.PrescriptionId)
                .Select(p => new { p.Id, p.SessionId, p.Status, p.StatusChangedAt, p.PrescriberOrganisationId, p.TrainingBodyId })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            var side = user.SideOf(prescription.PrescriberOrganisationId, prescription.TrainingBodyId)
                ?? throw new AccessDeniedException("Seuls le prescripteur et l'organisme de formation de cette prescription peuvent demander un arbitrage.");
            if (!ArbitrationAccess.CanBeContested(prescription.Status))
                throw new DomainException($"Une prescription « {prescription.Status.Label()} » ne peut plus être contestée.", "S10");
            if (await db.AllArbitrations.AnyAsync(a => a.PrescriptionId == prescription.Id && a.Status == ArbitrationStatus.Open, cancellationToken))
                throw new DomainException(AlreadyOpen, "S10");
            if (await db.DecisionAlreadyArbitratedAsync(prescription.Id, prescription.StatusChangedAt, cancellationToken))
                throw new DomainException(ArbitrationAccess.AlreadyArbitrated, "S10");

            var arbitrator = await db.ArbitratorForSessionAsync(prescription.SessionId, cancellationToken);
            var arbitration = new Arbitration(prescription.Id, prescription.Status, side, user.UserId, command.Argument, arbitrator, clock.GetUtcNow());
            db.AllArbitrations.Add(arbitration);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The unique index on open cases: another party opened one at the same moment.
                throw new DomainException(AlreadyOpen, "S10");
            }
            await notifier.PublishAsync(new ArbitrationChanged(arbitration.Id, prescription.Id, arbitrator,
                prescription.PrescriberOrganisationId, prescription.TrainingBodyId, arbitration.Status), cancellationToken);
            return arbitration.Id;
        }
    }
}
