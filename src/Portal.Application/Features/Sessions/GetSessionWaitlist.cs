using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Sessions;

/// <summary>
/// O9: one common rule: the prescriptions of a session are ordered by date of prescription; each active one
/// has its position. The OF sees the candidate's rank and other choices (P6), never the other OFs' notes.
/// Three queries whatever the size of the list (index Prescriptions(SessionId, Status, CreatedAt)).
/// </summary>
public sealed record GetSessionWaitlist(Guid SessionId)
{
    public sealed record OtherChoice(int Rank, string FicheTitle, string TrainingBodyName, PrescriptionStatus Status);

    public sealed record Entry(
        Guid PrescriptionId, int? Position, string CandidateName, string PrescriberOrganisation, int Rank, PrescriptionStatus Status,
        DateTimeOffset PrescribedAt, IReadOnlyList<OtherChoice> OtherChoices);

    public sealed record Result(
        Guid SessionId, string FicheTitle, SessionStatus Status, DateOnly Start, DateOnly RegistrationDeadline, int Capacity, int OpenPlaces,
        int Held, IReadOnlyList<Entry> Entries);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetSessionWaitlist query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!(user.Is(Role.OrganismeFormation) || user.Is(Role.Region))) throw new AccessDeniedException("Cet écran est réservé à l'organisme de formation.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = await db.Sessions(user).AsNoTracking()
                .Where(s => s.Id == query.SessionId && (user.Is(Role.Region) || s.OrganisationId == user.OrganisationId))
                .Select(s => new { s.Id, s.Status, s.Start, s.RegistrationDeadline, s.Capacity, s.OpenPlaces,
                    Title = db.FicheActions.Where(f => f.Id == s.FicheActionId).Select(f => f.Title).First() })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Session introuvable.");

            var rows = await db.Prescriptions.AsNoTracking()
                .Where(p => p.SessionId == session.Id)
                .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
                .Select(p => new
                {
                    p.Id, p.CandidateId, p.Rank, p.Status, p.CreatedAt,
                    Candidate = db.Candidates.Where(c => c.Id == p.CandidateId).Select(c => c.FirstName + " " + c.LastName).First(),
                    Prescriber = db.Organisations.Where(o => o.Id == p.PrescriberOrganisationId).Select(o => o.Name).First(),
                })
                .ToListAsync(cancellationToken);

            var candidateIds = rows.Select(r => r.CandidateId).Distinct().ToList();
            var active = PrescriptionLifecycle.Active;
            var others = await db.Prescriptions.AsNoTracking()
                .Where(p => candidateIds.Contains(p.CandidateId) && p.SessionId != session.Id && active.Contains(p.Status))
                .Join(db.Sessions, p => p.SessionId, s => s.Id, (p, s) => new { p, s })
                .Join(db.FicheActions, x => x.s.FicheActionId, f => f.Id, (x, f) => new { x.p, x.s, f })
                .Join(db.Organisations, x => x.s.OrganisationId, o => o.Id, (x, o) => new
                {
                    x.p.CandidateId, Choice = new OtherChoice(x.p.Rank, x.f.Title, o.Name, x.p.Status),
                })
                .ToListAsync(cancellationToken);
            var othersByCandidate = others.ToLookup(o => o.CandidateId, o => o.Choice);

            var position = 0;
            var entries = rows.Select(r => new Entry(r.Id, r.Status.IsActive() ? ++position : null, r.Candidate, r.Prescriber, r.Rank, r.Status, r.CreatedAt,
                [.. othersByCandidate[r.CandidateId].OrderBy(o => o.Rank)])).ToList();
            return new Result(session.Id, session.Title, session.Status, session.Start, session.RegistrationDeadline, session.Capacity, session.OpenPlaces,
                position, entries);
        }
    }
}
