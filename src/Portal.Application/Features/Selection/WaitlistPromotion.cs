using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>
/// O9: one plain rule for a freed place (a selected candidate withdraws or is cancelled, or the OF opens more
/// places): the first of the session's waiting list, by waitlist rank, is offered it (promoted to selected,
/// history reason <see cref="Prescription.PromotionReason"/>). The caller saves and publishes.
/// </summary>
public static class WaitlistPromotion
{
    public static async Task<IReadOnlyList<Prescription>> PromoteAsync(IAppDbContext db, Guid sessionId, int freedPlaces, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (freedPlaces <= 0) return [];
        var waitlisted = PrescriptionStatus.Waitlisted;
        // Loaded into the caller's context: a prescription it has just changed (e.g. cancelled by P6) is seen as changed.
        var waiting = await db.Prescriptions.Where(p => p.SessionId == sessionId && p.Status == waitlisted).ToListAsync(cancellationToken);
        var promoted = waiting
            .Where(p => p.Status == PrescriptionStatus.Waitlisted)
            .OrderBy(p => p.WaitlistRank ?? int.MaxValue).ThenBy(p => p.StatusChangedAt).ThenBy(p => p.CreatedAt)
            .Take(freedPlaces)
            .ToList();
        foreach (var p in promoted) p.PromoteFromWaitlist(now);
        return promoted;
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
