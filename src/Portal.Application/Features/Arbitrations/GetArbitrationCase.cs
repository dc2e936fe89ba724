using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Security;
using Portal.Domain.Arbitrations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Arbitrations;

/// <summary>
/// S10: one case for its arbitrator: the prescription, the fiche's selection criteria (S12), the history,
/// both parties' arguments, and the decisions the arbitrator may apply. Another organisation gets NotFound.
/// </summary>
public sealed record GetArbitrationCase(Guid ArbitrationId)
{
    public sealed record Details(
        Guid Id, Guid PrescriptionId, string CandidateName, string FicheTitle, string TrainingBodyName, string PrescriberOrganisationName,
        DateOnly SessionStart, DateOnly SessionEnd, int Rank, PrescriptionStatus PrescriptionStatus, IReadOnlyList<string> DecisionReasons,
        IReadOnlyList<string> SelectionCriteria, IReadOnlyList<GetPrescription.Step> History,
        ArbitrationSide OpenedBySide, string OpenedByName, DateTimeOffset OpenedAt, PrescriptionStatus ContestedStatus,
        string? PrescriberArgument, string? TrainingBodyArgument,
        ArbitrationStatus Status, ArbitrationOutcome? Outcome, PrescriptionStatus? NewDecision, string? OutcomeText, DateTimeOffset? DecidedAt,
        IReadOnlyList<PrescriptionStatus> PossibleNewDecisions)
    {
        /// <summary>S7: the OF's explanation to the prescriber of a non-selection.</summary>
        public string? PrescriberExplanation { get; init; }
    }

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Details> HandleAsync(GetArbitrationCase query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var a = await db.ArbitrationsToDecide(user).AsNoTracking().FirstOrDefaultAsync(x => x.Id == query.ArbitrationId, cancellationToken)
                ?? throw new NotFoundException("Arbitrage introuvable.");
            var p = await db.AllPrescriptions.AsNoTracking().FirstAsync(x => x.Id == a.PrescriptionId, cancellationToken);
            var session = await db.Sessions.Where(s => s.Id == p.SessionId)
                .Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => new { s.Start, s.End, f.Title, f.SelectionCriteria })
                .FirstAsync(cancellationToken);
            var candidate = await db.AllCandidates.Where(c => c.Id == p.CandidateId).Select(c => c.FirstName + " " + c.LastName).FirstAsync(cancellationToken);
            var names = await db.Organisations.Where(o => o.Id == p.TrainingBodyId || o.Id == p.PrescriberOrganisationId)
                .ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
            var openedBy = await db.Users.Where(u => u.Id == a.OpenedByUserId).Select(u => u.GivenName + " " + u.FamilyName).FirstOrDefaultAsync(cancellationToken) ?? "";
            var history = await db.AllPrescriptionTransitions.Where(t => t.PrescriptionId == p.Id).OrderBy(t => t.Id)
                .Select(t => new GetPrescription.Step(t.At, t.From, t.To, t.Reason)).ToListAsync(cancellationToken);
            var reasonLabels = await Selection.NonSelectionReasonList.LabelsAsync(db, cancellationToken);
            var possible = a.IsOpen ? PrescriptionLifecycle.Decisions.Where(d => PrescriptionLifecycle.CanArbitrate(p.Status, d)).ToList() : [];
            return new Details(a.Id, p.Id, candidate, session.Title, names.GetValueOrDefault(p.TrainingBodyId, ""), names.GetValueOrDefault(p.PrescriberOrganisationId, ""),
                session.Start, session.End, p.Rank, p.Status, [.. p.NonSelectionReasons.Select(r => Selection.NonSelectionReasonList.TextWith(r, reasonLabels))], session.SelectionCriteria, history,
                a.OpenedBySide, openedBy, a.OpenedAt, a.ContestedStatus, a.PrescriberArgument, a.TrainingBodyArgument,
                a.Status, a.Outcome, a.NewDecision, a.OutcomeText, a.DecidedAt, possible)
            {
                PrescriberExplanation = p.Status == PrescriptionStatus.NotSelected ? p.PrescriberExplanation : null,
            };
        }
    }
}
