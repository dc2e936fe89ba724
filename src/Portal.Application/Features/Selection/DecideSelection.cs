using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>The decisions the OF gives in bulk on its decisions screen (S1).</summary>
public enum BulkDecision
{
    Select = 1,
    Waitlist = 2,
}

/// <summary>A prescription as the OF saw it: its id and the version its decision is based on (optimistic concurrency).</summary>
public sealed record DecisionTarget(Guid PrescriptionId, int Version);

/// <summary>
/// S1: the OF decides the final list: selects or waitlists the checked candidates at once. A waitlisted
/// candidate waits in the list's one order (O9, ADR 0015: the OF's ranks, then date of prescription). Selecting
/// takes open places (O8): refused in French when too few are open. All or nothing; two OF users deciding the
/// same candidate at once cannot both win: the second is told in French and nothing of theirs is saved.
/// </summary>
public sealed record DecideSelection(Guid SessionId, IReadOnlyList<DecisionTarget> Targets, BulkDecision Decision)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(DecideSelection command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            SelectionAccess.EnsureTrainingBody(user);
            if (command.Targets.Count == 0) throw new DomainException("Cochez au moins un candidat.", "S1");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var prescriptions = await SelectionAccess.LoadAsync(db, user, command.SessionId, command.Targets, cancellationToken);
            var now = clock.GetUtcNow();
            // O8: selecting takes places; with none open the OF is told to use the waiting list.
            if (command.Decision == BulkDecision.Select)
                await SessionPlaces.EnsureOpenAsync(db, command.SessionId, prescriptions.Count(p => !p.Status.HoldsPlace()), cancellationToken);
            foreach (var p in prescriptions)
            {
                if (command.Decision == BulkDecision.Select) p.Select(user.UserId, now);
                else p.Waitlist(user.UserId, now);
            }
            // O8: the figure commits with the decisions; the session's version makes two users taking the last place not both win.
            var sessions = await SessionPlaces.RecountAsync(db, [command.SessionId], cancellationToken);
            await SelectionAccess.SaveAsync(db, cancellationToken);
            await WaitlistPromotion.PublishAsync(notifier, prescriptions, cancellationToken);
            await SessionPlaces.PublishAsync(notifier, sessions, cancellationToken);
        }
    }
}

/// <summary>
/// S1, S5, S7: the OF refuses one candidate with explicit reasons from the reference list (a prerequisite names
/// the fiche's criterion, S12), an explanation for the candidate and one for the prescriber.
/// </summary>
public sealed record NotSelectCandidate(
    Guid SessionId, DecisionTarget Target, IReadOnlyList<NonSelectionReason> Reasons, string CandidateExplanation, string PrescriberExplanation)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(NotSelectCandidate command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            SelectionAccess.EnsureTrainingBody(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var prescription = (await SelectionAccess.LoadAsync(db, user, command.SessionId, [command.Target], cancellationToken)).Single();
            // ADR 0026: the reasons are checked against the list (active reasons only) and take its kinds and labels.
            var reasons = await NonSelectionReasonList.ResolveAsync(db, command.Reasons, cancellationToken);
            prescription.NotSelect(reasons, command.CandidateExplanation, command.PrescriberExplanation, user.UserId, clock.GetUtcNow());
            var sessions = await SessionPlaces.RecountAsync(db, [command.SessionId], cancellationToken);
            await SelectionAccess.SaveAsync(db, cancellationToken);
            await WaitlistPromotion.PublishAsync(notifier, [prescription], cancellationToken);
            await SessionPlaces.PublishAsync(notifier, sessions, cancellationToken);
        }
    }
}

/// <summary>O9: the OF ranks after selection: moves a waitlisted candidate up or down its waiting list (swapping with the neighbour); the whole list is then ranked.</summary>
public sealed record MoveOnWaitlist(Guid SessionId, DecisionTarget Target, bool Up)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, ILiveNotifier notifier)
    {
        public async Task HandleAsync(MoveOnWaitlist command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            SelectionAccess.EnsureTrainingBody(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var moved = (await SelectionAccess.LoadAsync(db, user, command.SessionId, [command.Target], cancellationToken)).Single();
            if (moved.Status != PrescriptionStatus.Waitlisted) throw new DomainException("Seul un candidat en liste d'attente se déplace dans la liste.", "O9");
            var list = await WaitlistPromotion.WaitingAsync(db, command.SessionId, cancellationToken);
            var index = list.IndexOf(moved);
            var other = command.Up ? index - 1 : index + 1;
            if (other < 0 || other >= list.Count) return;
            (list[index], list[other]) = (list[other], list[index]);
            for (var i = 0; i < list.Count; i++)
                if (list[i].WaitlistRank != i + 1) list[i].SetWaitlistRank(i + 1);
            await SelectionAccess.SaveAsync(db, cancellationToken);
            await WaitlistPromotion.PublishAsync(notifier, [moved], cancellationToken);
        }
    }
}

internal static class SelectionAccess
{
    public const string ConflictMessage =
        "Un autre utilisateur vient de décider pour ce candidat : rechargez l'écran des décisions pour voir sa décision, puis recommencez si besoin.";

    /// <summary>S5: a decision taken on a version older than the prescriber's justification of the absence.</summary>
    public static string JustifiedMeanwhileMessage(string? justification) =>
        $"Le prescripteur vient de justifier l'absence de ce candidat (« {justification} ») : une absence justifiée ne peut pas à elle seule motiver un refus. "
        + "Rechargez l'écran des décisions, lisez la justification, puis décidez.";

    public static void EnsureTrainingBody(CurrentUser user)
    {
        if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Seul l'organisme de formation décide de la sélection (S1).");
    }

    /// <summary>The OF's own prescriptions on its session (others: not found, ADR 0001), at the versions the user saw.</summary>
    public static async Task<List<Prescription>> LoadAsync(IAppDbContext db, CurrentUser user, Guid sessionId, IReadOnlyList<DecisionTarget> targets, CancellationToken cancellationToken)
    {
        var sessionStatus = await db.Sessions.Where(s => s.Id == sessionId && s.OrganisationId == user.OrganisationId)
            .Select(s => (SessionStatus?)s.Status).FirstOrDefaultAsync(cancellationToken);
        if (sessionStatus is { } status) TrainingSession.EnsureSelectionGoesOn(status, "décider de la sélection", "S1");
        var ids = targets.Select(t => t.PrescriptionId).Distinct().ToList();
        var found = await db.Prescriptions(user)
            .Where(p => ids.Contains(p.Id) && p.SessionId == sessionId && p.TrainingBodyId == user.OrganisationId)
            .Include(p => p.History)
            .ToListAsync(cancellationToken);
        if (found.Count != ids.Count) throw new NotFoundException("Prescription introuvable.");
        var byId = found.ToDictionary(p => p.Id);
        foreach (var t in targets)
        {
            var p = byId[t.PrescriptionId];
            if (p.Version == t.Version) continue;
            // S5 (ADR 0017): the prescriber justified the absence after the version the OF decided on: the OF has not read it.
            if (p.Status == PrescriptionStatus.AbsentJustified)
                throw new DomainException(JustifiedMeanwhileMessage(p.AbsenceJustification), "S5");
            throw new DomainException(ConflictMessage, "S1");
        }
        return [.. ids.Select(id => byId[id])];
    }

    public static async Task SaveAsync(IAppDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex) when (ex.Entries.Any(e => e.Entity is Portal.Domain.Offer.TrainingSession))
        {
            // O8: another decision took or freed a place of the session meanwhile (e.g. two users taking the last place).
            throw new DomainException(SessionPlaces.ConflictMessage, "O8");
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException(ConflictMessage, "S1");
        }
    }
}
