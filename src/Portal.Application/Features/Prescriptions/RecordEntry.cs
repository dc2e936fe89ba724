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
            var prescription = await db.Prescriptions.FirstOrDefaultAsync(p => p.Id == command.PrescriptionId && p.TrainingBodyId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            var now = clock.GetUtcNow();
            prescription.Enter(user.UserId, now);

            var title = await db.Sessions.Where(s => s.Id == prescription.SessionId)
                .Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => f.Title).FirstAsync(cancellationToken);
            var active = PrescriptionLifecycle.Active;
            var others = await db.Prescriptions
                .Where(p => p.CandidateId == prescription.CandidateId && p.Id != prescription.Id && active.Contains(p.Status))
                .ToListAsync(cancellationToken);
            var freedSessions = others.Where(o => o.Status == PrescriptionStatus.Selected).Select(o => o.SessionId).ToList();
            foreach (var other in others) other.CancelBecauseEnteredElsewhere(now, title);
            // O9: a place the candidate held elsewhere (selected there) goes to the first of that waiting list.
            var promoted = new List<Prescription>();
            foreach (var sessionId in freedSessions)
                promoted.AddRange(await WaitlistPromotion.PromoteAsync(db, sessionId, 1, now, cancellationToken));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException("Un autre utilisateur vient de modifier ce candidat : rechargez l'écran et recommencez.", "S11");
            }

            await WaitlistPromotion.PublishAsync(notifier, others.Prepend(prescription).Concat(promoted), cancellationToken);
        }
    }
}
