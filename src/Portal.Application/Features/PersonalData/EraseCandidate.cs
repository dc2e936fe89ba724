using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.PersonalData;

/// <summary>
/// Issue #14 (4), ADR 0025: what erasing a candidate's data would do, for the dialog to state before confirming: the
/// open prescriptions withdrawn (and the OF that sees it), the prescriptions kept as they are, the attachments deleted,
/// the personal links revoked. Only the référent of the candidate's prescriber organisation may ask (another
/// organisation's candidate: "not found", like an unknown id).
/// </summary>
public sealed record GetErasureEffects(Guid CandidateId)
{
    public sealed record PrescriptionEffect(Guid PrescriptionId, string Training, string TrainingBody, PrescriptionStatus Status);

    public sealed record Effects(
        Guid CandidateId, string CandidateName, IReadOnlyList<PrescriptionEffect> Withdrawn, IReadOnlyList<PrescriptionEffect> Kept,
        int Attachments, int ActiveLinks, int Messages);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Effects> HandleAsync(GetErasureEffects query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            EraseCandidate.EnsureReferent(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var candidate = await EraseCandidate.FindAsync(db, user, query.CandidateId, cancellationToken);
            var prescriptions = await (
                from p in db.Prescriptions(user).Where(p => p.CandidateId == candidate.Id)
                join s in db.Sessions on p.SessionId equals s.Id
                join f in db.FicheActions on s.FicheActionId equals f.Id
                join o in db.Organisations on p.TrainingBodyId equals o.Id
                orderby p.CreatedAt
                select new PrescriptionEffect(p.Id, f.Title, o.Name, p.Status)).ToListAsync(cancellationToken);
            var ids = prescriptions.Select(p => p.PrescriptionId).ToList();
            var attachments = await db.AllPrescriptionAttachments.CountAsync(a => ids.Contains(a.PrescriptionId), cancellationToken);
            var messages = await db.AllComplementMessages.CountAsync(m => db.AllComplementThreads.Any(t => t.Id == m.ThreadId && ids.Contains(t.PrescriptionId)), cancellationToken);
            var links = await db.AllCandidateLinks.CountAsync(l => l.CandidateId == candidate.Id && l.RevokedAt == null, cancellationToken);
            return new Effects(candidate.Id, candidate.DisplayName,
                [.. prescriptions.Where(p => p.Status.IsActive())], [.. prescriptions.Where(p => !p.Status.IsActive())], attachments, links, messages);
        }
    }
}

/// <summary>
/// Issue #14 (4), ADR 0025: erasure on the candidate's request, by the référent of their prescriber organisation. In one
/// transaction: every open prescription is withdrawn with the motive <see cref="Pseudonymisation.ErasureMotive"/> (its
/// place, if it held one, opens again: O8, O9), the erasure is logged (who, when), and the candidate is pseudonymised at
/// once (<see cref="Pseudonymisation.ApplyAsync"/>). After the commit the attachment files are deleted and the open
/// screens follow live (the withdrawals, the places, "Candidat anonymisé"). The OF keeps seeing each prescription it
/// received, its status, dates and decision kinds, under "Candidat anonymisé", without free text or documents.
/// </summary>
public sealed record EraseCandidate(Guid CandidateId)
{
    public sealed record Result(int Withdrawn);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier, IFileStore files)
    {
        public async Task<Result> HandleAsync(EraseCandidate command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            EnsureReferent(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var candidate = await FindAsync(db, user, command.CandidateId, cancellationToken);
            if (candidate.IsPseudonymised)
                throw new DomainException("Les données de ce candidat ont déjà été effacées.");
            var now = clock.GetUtcNow();
            var active = PrescriptionLifecycle.Active;
            List<Prescription> withdrawn;
            IReadOnlyList<Portal.Domain.Offer.TrainingSession> sessions;
            IReadOnlyList<string> keys;
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                withdrawn = await db.AllPrescriptions.Where(p => p.CandidateId == candidate.Id && active.Contains(p.Status)).ToListAsync(cancellationToken);
                foreach (var prescription in withdrawn) prescription.Withdraw(user.UserId, now, Pseudonymisation.ErasureMotive);
                // O8: a place held (selected, offered) opens again in the same transaction; the OF offers it (O9, S1).
                sessions = await SessionPlaces.RecountAsync(db, withdrawn.Select(p => p.SessionId), cancellationToken);
                db.AllPersonalDataLog.Add(new PersonalDataLogEntry
                {
                    CandidateId = candidate.Id, OrganisationId = candidate.OrganisationId, UserId = user.UserId, Action = PersonalDataAction.Erasure, At = now,
                    Detail = withdrawn.Count == 0 ? "Aucune prescription en cours" : $"{withdrawn.Count} prescription(s) en cours retirée(s)",
                });
                // Issue #14 (2): the administrative audit log too, without the person's name (it is being erased).
                Access.AuditTrail.Record(db, user, now, Portal.Domain.Audit.AuditAction.CandidateErased, candidate.Id, "Candidat anonymisé",
                    null, withdrawn.Count == 0 ? "Aucune prescription en cours" : $"{withdrawn.Count} prescription(s) en cours retirée(s)");
                await SessionPlaces.SaveAsync(db, SessionPlaces.ConflictMessage, "O8", cancellationToken);
                keys = await Pseudonymisation.ApplyAsync(db, [candidate.Id], now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            await Pseudonymisation.DeleteFilesAsync(files, keys, CancellationToken.None);
            await WaitlistPromotion.PublishAsync(notifier, withdrawn, CancellationToken.None);
            await SessionPlaces.PublishAsync(notifier, sessions, CancellationToken.None);
            await notifier.PublishAsync(new CandidatesPseudonymised([candidate.Id], [candidate.OrganisationId]), CancellationToken.None);
            return new Result(withdrawn.Count);
        }
    }

    /// <summary>Who may erase: the référent of a prescriber organisation (refused before anything is read).</summary>
    public static bool MayErase(CurrentUser user) => user.Is(Role.ReferentFormation);

    internal static void EnsureReferent(CurrentUser user)
    {
        if (!MayErase(user))
            throw new AccessDeniedException("L'effacement des données d'un candidat est réservé au référent de son organisation prescriptrice.");
    }

    /// <summary>The candidate of the user's own organisation (another's, or an unknown id: "not found").</summary>
    internal static async Task<Portal.Domain.Candidates.Candidate> FindAsync(IAppDbContext db, CurrentUser user, Guid candidateId, CancellationToken cancellationToken)
    {
        var organisationId = user.OrganisationId;
        return await db.Candidates(user).AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == candidateId && c.OrganisationId == organisationId, cancellationToken)
            ?? throw new NotFoundException("Candidat introuvable.");
    }
}
