using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Prescriptions;

/// <summary>
/// S11, P6: the OF records the entry into training of a selected candidate; only a prescription on its own
/// session can enter. The candidate's other active prescriptions became useless: they are cancelled with an
/// automatic reason, and their prescribers and OFs see it live.
/// </summary>
public sealed record RecordEntry(Guid PrescriptionId)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(RecordEntry command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Seul l'organisme de formation enregistre l'entrée en formation.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var prescription = await db.AllPrescriptions.FirstOrDefaultAsync(p => p.Id == command.PrescriptionId && p.TrainingBodyId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            var now = clock.GetUtcNow();
            prescription.Enter(user.UserId, now);

            var title = await db.Sessions.Where(s => s.Id == prescription.SessionId)
                .Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => f.Title).FirstAsync(cancellationToken);
            var active = PrescriptionLifecycle.Active;
            var others = await db.AllPrescriptions
                .Where(p => p.CandidateId == prescription.CandidateId && p.Id != prescription.Id && active.Contains(p.Status))
                .ToListAsync(cancellationToken);
            var freedSessions = others.Where(o => o.Status.HoldsPlace()).Select(o => o.SessionId).ToList();
            foreach (var other in others) other.CancelBecauseEnteredElsewhere(now, title);
            // O8: the entry keeps its place (selected → entered); a place the candidate held elsewhere (selected or offered
            // there) opens again in the same transaction, and that OF offers it (O9, S1).
            var sessions = await Sessions.SessionPlaces.RecountAsync(db, freedSessions.Prepend(prescription.SessionId), cancellationToken);
            await Sessions.SessionPlaces.SaveAsync(db, "Un autre utilisateur vient de modifier ce candidat : rechargez l'écran et recommencez.", "S11", cancellationToken);

            await WaitlistPromotion.PublishAsync(notifier, others.Prepend(prescription), cancellationToken);
            await Sessions.SessionPlaces.PublishAsync(notifier, sessions, cancellationToken);
        }
    }
}
