using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Home;

/// <summary>
/// The prescriber's "Mes candidats" (and the référent's organisation view): each candidate with
/// their choices (P6), each choice's status and the session's open places (O8). Two set-based
/// queries, whatever the number of candidates: no N+1.
/// </summary>
public sealed record GetPrescriberDashboard(bool WholeOrganisation, string? Search = null, int Take = 200)
{
    public sealed record Choice(
        Guid PrescriptionId, int Rank, PrescriptionStatus Status, Guid SessionId, string FicheTitle,
        string TrainingBodyName, DateOnly SessionStart, int OpenPlaces, int Capacity, SessionStatus SessionStatus);

    public sealed record Row(Guid CandidateId, string LastName, string FirstName, string CommuneName, string ReferentName, IReadOnlyList<Choice> Choices)
    {
        public int ActiveChoices => Choices.Count(c => c.Status.IsActive());
    }

    public sealed record Result(IReadOnlyList<Row> Rows, int Total);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetPrescriberDashboard query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Cet écran est réservé aux prescripteurs.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);

            var candidates = db.Candidates(user);
            // A prescriber sees the candidates they follow; a référent may widen to the whole organisation (A2).
            if (!(query.WholeOrganisation && user.Is(Role.ReferentFormation)))
                candidates = candidates.Where(c => c.ReferentUserId == user.UserId);
            if (!string.IsNullOrWhiteSpace(query.Search))
            {
                var term = query.Search.Trim();
                candidates = candidates.Where(c => EF.Functions.Like(c.LastName, $"%{term}%") || EF.Functions.Like(c.FirstName, $"%{term}%"));
            }

            var total = await candidates.CountAsync(cancellationToken);
            var page = await candidates
                .OrderBy(c => c.LastName).ThenBy(c => c.FirstName)
                .Take(query.Take)
                .Select(c => new
                {
                    c.Id, c.LastName, c.FirstName,
                    Commune = db.Communes.Where(m => m.InseeCode == c.CommuneInsee).Select(m => m.Name).FirstOrDefault() ?? c.CommuneInsee,
                    Referent = db.Users.Where(u => u.Id == c.ReferentUserId).Select(u => u.GivenName + " " + u.FamilyName).FirstOrDefault() ?? "",
                })
                .ToListAsync(cancellationToken);

            var ids = page.Select(c => c.Id).ToList();
            var choices = await db.Prescriptions(user)
                .Where(p => ids.Contains(p.CandidateId))
                .Join(db.Sessions, p => p.SessionId, s => s.Id, (p, s) => new { p, s })
                .Join(db.FicheActions, ps => ps.s.FicheActionId, f => f.Id, (ps, f) => new { ps.p, ps.s, f })
                .Join(db.Organisations, x => x.s.OrganisationId, o => o.Id, (x, o) => new
                {
                    x.p.CandidateId,
                    Choice = new Choice(x.p.Id, x.p.Rank, x.p.Status, x.s.Id, x.f.Title, o.Name, x.s.Start, x.s.OpenPlaces, x.s.Capacity, x.s.Status),
                })
                .ToListAsync(cancellationToken);
            var byCandidate = choices.ToLookup(c => c.CandidateId, c => c.Choice);

            var rows = page.Select(c => new Row(c.Id, c.LastName, c.FirstName, c.Commune, c.Referent,
                    [.. byCandidate[c.Id].OrderBy(x => x.Status.IsActive() ? 0 : 1).ThenBy(x => x.Rank)]))
                .ToList();
            return new Result(rows, total);
        }
    }
}
