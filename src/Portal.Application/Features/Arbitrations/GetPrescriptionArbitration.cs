using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Arbitrations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Arbitrations;

/// <summary>S10: on a prescription's page, its latest arbitration (if any) and what the user may do about it.</summary>
public sealed record GetPrescriptionArbitration(Guid PrescriptionId)
{
    public sealed record Case(
        Guid Id, ArbitrationSide OpenedBySide, DateTimeOffset OpenedAt, string ArbitratorName, PrescriptionStatus ContestedStatus,
        string? PrescriberArgument, string? TrainingBodyArgument, ArbitrationStatus Status, ArbitrationOutcome? Outcome,
        PrescriptionStatus? NewDecision, string? OutcomeText, DateTimeOffset? DecidedAt);

    /// <param name="Side">The party the user speaks for (null: neither, e.g. the Région reading).</param>
    /// <param name="CanOpen">The user may contest now (a party, a contestable status, no open case, not already arbitrated).</param>
    /// <param name="CurrentDecisionArbitrated">The latest case ruled on the prescription's current decision: it is final (S10).</param>
    public sealed record Result(Guid PrescriptionId, Guid PrescriberOrganisationId, Guid TrainingBodyId, ArbitrationSide? Side, bool CanOpen, Case? Latest,
        bool CurrentDecisionArbitrated = false);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetPrescriptionArbitration query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var p = await db.Prescriptions(user).Where(x => x.Id == query.PrescriptionId)
                .Select(x => new { x.Id, x.Status, x.StatusChangedAt, x.PrescriberOrganisationId, x.TrainingBodyId })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            var latest = await db.AllArbitrations.Where(a => a.PrescriptionId == p.Id)
                .OrderBy(a => a.Status).ThenByDescending(a => a.OpenedAt)
                .Select(a => new Case(a.Id, a.OpenedBySide, a.OpenedAt,
                    db.Organisations.Where(o => o.Id == a.AssignedOrganisationId).Select(o => o.Name).First(),
                    a.ContestedStatus, a.PrescriberArgument, a.TrainingBodyArgument, a.Status, a.Outcome, a.NewDecision, a.OutcomeText, a.DecidedAt))
                .FirstOrDefaultAsync(cancellationToken);
            var side = user.SideOf(p.PrescriberOrganisationId, p.TrainingBodyId);
            var canOpen = side is not null && ArbitrationAccess.CanBeContested(p.Status) && latest is not { Status: ArbitrationStatus.Open }
                && !(latest is { Status: ArbitrationStatus.Decided } && await db.DecisionAlreadyArbitratedAsync(p.Id, p.StatusChangedAt, cancellationToken));
            var final = latest is { Status: ArbitrationStatus.Decided } && latest.DecidedAt >= p.StatusChangedAt;
            return new Result(p.Id, p.PrescriberOrganisationId, p.TrainingBodyId, side, canOpen, latest, final);
        }
    }
}
