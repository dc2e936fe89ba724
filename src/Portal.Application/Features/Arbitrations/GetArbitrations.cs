using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Arbitrations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Arbitrations;

/// <summary>
/// S10: the cases assigned to the arbitrator's organisation, open ones first, newest first: one page of them, ordered
/// and counted in SQL (index Arbitrations(AssignedOrganisationId, Status, OpenedAt DESC)).
/// </summary>
public sealed record GetArbitrations(bool IncludeDecided = true, int Skip = 0, int Take = GetArbitrations.DefaultTake)
{
    public const int DefaultTake = 50;
    public const int MaxTake = 500;

    public sealed record Row(
        Guid Id, Guid PrescriptionId, string CandidateName, string FicheTitle, string TrainingBodyName, string PrescriberOrganisationName,
        ArbitrationSide OpenedBySide, PrescriptionStatus ContestedStatus, DateTimeOffset OpenedAt, ArbitrationStatus Status, ArbitrationOutcome? Outcome);

    /// <summary>The page asked for, the number of cases in the list and how many of them are open.</summary>
    public sealed record Result(IReadOnlyList<Row> Rows, int Total, int Open);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetArbitrations query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsArbitrator()) throw new AccessDeniedException("Les arbitrages sont rendus par les MFE et la Région.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var cases = db.ArbitrationsToDecide(user).AsNoTracking();
            if (!query.IncludeDecided) cases = cases.Where(a => a.Status == ArbitrationStatus.Open);
            var counts = await cases.GroupBy(a => a.Status == ArbitrationStatus.Open).Select(g => new { Open = g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken);
            var rows = await cases
                .Join(db.AllPrescriptions, a => a.PrescriptionId, p => p.Id, (a, p) => new { a, p })
                .OrderBy(x => x.a.Status).ThenByDescending(x => x.a.OpenedAt).ThenBy(x => x.a.Id)
                .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake))
                .Select(x => new Row(
                    x.a.Id, x.a.PrescriptionId,
                    db.AllCandidates.Where(c => c.Id == x.p.CandidateId).Select(c => c.FirstName + " " + c.LastName).First(),
                    db.Sessions.Where(s => s.Id == x.p.SessionId).Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => f.Title).First(),
                    db.Organisations.Where(o => o.Id == x.p.TrainingBodyId).Select(o => o.Name).First(),
                    db.Organisations.Where(o => o.Id == x.p.PrescriberOrganisationId).Select(o => o.Name).First(),
                    x.a.OpenedBySide, x.a.ContestedStatus, x.a.OpenedAt, x.a.Status, x.a.Outcome))
                .ToListAsync(cancellationToken);
            return new Result(rows, counts.Sum(c => c.Count), counts.Where(c => c.Open).Sum(c => c.Count));
        }
    }
}
