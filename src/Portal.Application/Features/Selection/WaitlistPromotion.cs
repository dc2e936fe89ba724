using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>
/// O9 (ADR 0015): the one order of a session's waiting list, used by every screen, the offers and the exports: the
/// candidates the OF ranked first (by their rank), then the others by date of prescription (the charter's order).
/// A freed place is never given by itself any more: the OF offers it (S1), and only a refusal or a lapse passes an
/// offer on to the next of the list, with the same response period (<see cref="PassOnAsync"/>).
/// </summary>
public static class WaitlistPromotion
{
    /// <summary>O9: the waiting list's order, in SQL.</summary>
    public static IOrderedQueryable<Prescription> InWaitlistOrder(this IQueryable<Prescription> query) =>
        query.OrderBy(p => p.WaitlistRank == null ? 1 : 0).ThenBy(p => p.WaitlistRank).ThenBy(p => p.CreatedAt).ThenBy(p => p.Id);

    /// <summary>O9: the waiting list's order, in memory (same keys as <see cref="InWaitlistOrder(IQueryable{Prescription})"/>).</summary>
    public static IOrderedEnumerable<Prescription> InWaitlistOrder(this IEnumerable<Prescription> list) =>
        list.OrderBy(p => p.WaitlistRank == null ? 1 : 0).ThenBy(p => p.WaitlistRank).ThenBy(p => p.CreatedAt).ThenBy(p => p.Id);

    /// <summary>The session's waiting list in its order, loaded into the caller's context (a row it changed is seen as changed).</summary>
    public static async Task<List<Prescription>> WaitingAsync(IAppDbContext db, Guid sessionId, CancellationToken cancellationToken)
    {
        var waitlisted = PrescriptionStatus.Waitlisted;
        var rows = await db.AllPrescriptions.Where(p => p.SessionId == sessionId && p.Status == waitlisted).ToListAsync(cancellationToken);
        return [.. rows.Where(p => p.Status == PrescriptionStatus.Waitlisted).InWaitlistOrder()];
    }

    /// <summary>The reason of an offer passed on to the next of the list.</summary>
    public const string PassedOnReason = "Place proposée au suivant de la liste d'attente, le précédent l'ayant refusée ou laissée sans réponse (O9)";

    /// <summary>
    /// O9: an offered place was declined or lapsed (<paramref name="declined"/>, already moved): the next of the
    /// session's waiting list is offered it, with the same response period the OF set. Nobody waiting: the place is open.
    /// </summary>
    public static async Task<Prescription?> PassOnAsync(IAppDbContext db, Prescription declined, int responseDays, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var next = (await WaitingAsync(db, declined.SessionId, cancellationToken)).FirstOrDefault();
        next?.OfferPlace(null, now, TrainingSession.Today(now).AddDays(responseDays), PassedOnReason);
        return next;
    }

    /// <summary>The live event of a prescription's new status (S6).</summary>
    public static PrescriptionStatusChanged Changed(Prescription p) =>
        new(p.Id, p.SessionId, p.CandidateId, p.PrescriberOrganisationId, p.TrainingBodyId, p.Status);

    /// <summary>One batched live event for every prescription a command changed (none when it changed none).</summary>
    public static async Task PublishAsync(ILiveNotifier notifier, IEnumerable<Prescription> changed, CancellationToken cancellationToken)
    {
        var batch = PrescriptionsChanged.Of(changed.Select(Changed));
        if (batch.Changes.Count > 0) await notifier.PublishAsync(batch, cancellationToken);
    }
}
