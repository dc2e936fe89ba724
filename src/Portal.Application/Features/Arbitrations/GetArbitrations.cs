using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Arbitrations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Arbitrations;

/// <summary>S10: the cases assigned to the arbitrator's organisation, open ones first, newest first.</summary>
public sealed record GetArbitrations(bool IncludeDecided = true)
{
    public sealed record Row(
        Guid Id, Guid PrescriptionId, string CandidateName, string FicheTitle, string TrainingBodyName, string PrescriberOrganisationName,
        ArbitrationSide OpenedBySide, PrescriptionStatus ContestedStatus, DateTimeOffset OpenedAt, ArbitrationStatus Status, ArbitrationOutcome? Outcome);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<Row>> HandleAsync(GetArbitrations query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsArbitrator()) throw new AccessDeniedException("Les arbitrages sont rendus par les MFE et la Région.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var cases = db.ArbitrationsToDecide(user);
            if (!query.IncludeDecided) cases = cases.Where(a => a.Status == ArbitrationStatus.Open);
            var rows = await cases
                .Join(db.Prescriptions, a => a.PrescriptionId, p => p.Id, (a, p) => new { a, p })
                .Select(x => new
                {
                    x.a.Id, x.a.PrescriptionId, x.a.OpenedBySide, x.a.ContestedStatus, x.a.OpenedAt, x.a.Status, x.a.Outcome,
                    Candidate = db.Candidates.Where(c => c.Id == x.p.CandidateId).Select(c => c.FirstName + " " + c.LastName).First(),
                    Fiche = db.Sessions.Where(s => s.Id == x.p.SessionId).Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => f.Title).First(),
                    Of = db.Organisations.Where(o => o.Id == x.p.TrainingBodyId).Select(o => o.Name).First(),
                    Prescriber = db.Organisations.Where(o => o.Id == x.p.PrescriberOrganisationId).Select(o => o.Name).First(),
                })
                .ToListAsync(cancellationToken);
            return [.. rows
                .OrderBy(r => r.Status).ThenByDescending(r => r.OpenedAt)
                .Select(r => new Row(r.Id, r.PrescriptionId, r.Candidate, r.Fiche, r.Of, r.Prescriber, r.OpenedBySide, r.ContestedStatus, r.OpenedAt, r.Status, r.Outcome))];
        }
    }
}
