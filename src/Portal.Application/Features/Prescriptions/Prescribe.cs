using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Prescriptions;

/// <summary>
/// A prescriber registers a candidate of their organisation on an open session (P1–P7, O4, S12), taking one
/// of the candidate's three choices (P6). Two prescribers racing for the last choice: exactly one wins, the
/// other gets a French refusal (optimistic concurrency on the candidate's choices).
/// </summary>
public sealed record Prescribe(Guid CandidateId, Guid SessionId, PrescriptionForm Form, int? Rank = null)
{
    public const string RaceLostMessage =
        "Un autre choix vient d'être enregistré pour ce candidat : rechargez ses choix et recommencez (au plus trois choix, règle P6).";

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task<Guid> HandleAsync(Prescribe command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Seul un prescripteur habilité prescrit.");
            command.Form.EnsureLengths();
            var missing = command.Form.MissingMandatoryFields();
            if (missing.Count > 0) throw PrescriptionForm.Invalid(missing);
            if (!command.Form.CriteriaReviewed)
                throw new DomainException("Confirmez que vous avez passé en revue avec le candidat les prérequis et les critères de sélection de l'action.", "S12");

            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var organisation = await db.Organisations.AsNoTracking().FirstAsync(o => o.Id == user.OrganisationId, cancellationToken);
            if (!organisation.CanPrescribe) throw new DomainException(Administration.HabilitationNotice.Refusal(organisation.Habilitation), "A1");
            var candidate = await db.Candidates(user).FirstOrDefaultAsync(c => c.Id == command.CandidateId, cancellationToken)
                ?? throw new NotFoundException("Candidat introuvable.");
            var session = await db.Sessions(user).AsNoTracking().FirstOrDefaultAsync(s => s.Id == command.SessionId, cancellationToken)
                ?? throw new NotFoundException("Session introuvable.");
            if (!session.IsOpenToPrescription)
                throw new DomainException($"Cette session n'est pas ouverte aux prescriptions (elle est « {session.Status.Label()} »).", "O4");
            var active = PrescriptionLifecycle.Active;
            var activeChoices = await db.AllPrescriptions
                .Where(p => p.CandidateId == candidate.Id && active.Contains(p.Status))
                .Select(p => new { p.SessionId, p.Rank })
                .ToListAsync(cancellationToken);
            if (activeChoices.Any(c => c.SessionId == session.Id))
                throw new DomainException("Ce candidat est déjà prescrit sur cette session.", "P6");

            var now = clock.GetUtcNow();
            var rank = candidate.TakeChoice([.. activeChoices.Select(c => c.Rank)], command.Rank, now);
            var prescription = new Prescription(candidate.Id, session.Id, session.OrganisationId, user.OrganisationId, user.UserId, rank, command.Form, now);
            db.AllPrescriptions.Add(prescription);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException(RaceLostMessage, "P6");
            }
            await notifier.PublishAsync(PrescriptionsChanged.Of(new PrescriptionStatusChanged(prescription.Id, session.Id, candidate.Id, user.OrganisationId, session.OrganisationId, prescription.Status)), cancellationToken);
            return prescription.Id;
        }
    }
}
