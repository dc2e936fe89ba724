using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Application.Security;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Prescriptions;

/// <summary>One prescription with its history (S6), within the user's scope; otherwise "not found".</summary>
public sealed record GetPrescription(Guid PrescriptionId)
{
    public sealed record Step(DateTimeOffset At, PrescriptionStatus? From, PrescriptionStatus To, string? Reason);

    public sealed record Details(
        Guid Id, Guid CandidateId, string CandidateName, Guid SessionId, string FicheTitle, int Rank,
        PrescriptionStatus Status, DateTimeOffset CreatedAt, IReadOnlyList<Step> History, Decision? Outcome = null,
        int Version = 0, DateOnly? OfferDeadline = null);

    /// <summary>
    /// S7: the OF's decision as the prescriber reads it: the reasons from the reference list, the explanation
    /// written for the prescriber, and the one written for the candidate (shown on the candidate's own page, A7).
    /// </summary>
    public sealed record Decision(
        PrescriptionStatus Status, DateTimeOffset At, IReadOnlyList<string> Reasons, string? PrescriberExplanation, string? CandidateExplanation,
        int? WaitlistRank);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Details> HandleAsync(GetPrescription query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var details = await db.Prescriptions(user).AsNoTracking()
                .Where(p => p.Id == query.PrescriptionId)
                .Select(p => new
                {
                    p.Id, p.CandidateId, p.SessionId, p.Rank, p.Status, p.CreatedAt, p.StatusChangedAt, p.NonSelectionReasons,
                    p.PrescriberExplanation, p.CandidateExplanation, p.Version, p.OfferDeadline,
                    Candidate = db.Candidates.Where(c => c.Id == p.CandidateId).Select(c => c.FirstName + " " + c.LastName).First(),
                    Fiche = db.Sessions.Where(s => s.Id == p.SessionId)
                        .Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => f.Title).First(),
                })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            var history = await db.PrescriptionTransitions
                .Where(t => t.PrescriptionId == details.Id)
                .OrderBy(t => t.Id)
                .Select(t => new Step(t.At, t.From, t.To, t.Reason))
                .ToListAsync(cancellationToken);
            var decided = details.Status is PrescriptionStatus.Selected or PrescriptionStatus.Waitlisted or PrescriptionStatus.NotSelected
                or PrescriptionStatus.Entered or PrescriptionStatus.PlaceOffered;
            // O9: the position on the waiting list, in its one order (ADR 0015).
            int? position = null;
            if (details.Status == PrescriptionStatus.Waitlisted)
            {
                var waitlisted = PrescriptionStatus.Waitlisted;
                var ids = await db.Prescriptions.AsNoTracking().Where(p => p.SessionId == details.SessionId && p.Status == waitlisted)
                    .InWaitlistOrder().Select(p => p.Id).ToListAsync(cancellationToken);
                position = ids.IndexOf(details.Id) + 1;
            }
            var outcome = decided
                ? new Decision(details.Status, details.StatusChangedAt, [.. details.NonSelectionReasons.Select(r => r.Text)],
                    details.PrescriberExplanation, details.CandidateExplanation, position)
                : null;
            return new Details(details.Id, details.CandidateId, details.Candidate, details.SessionId, details.Fiche, details.Rank,
                details.Status, details.CreatedAt, history, outcome, details.Version, details.OfferDeadline);
        }
    }
}
