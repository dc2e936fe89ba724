using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Sessions;

/// <summary>
/// The prescriptions of a session in order of arrival (date of prescription); each active one has its position. This
/// is not the waiting list (its one order is <see cref="Selection.WaitlistPromotion.InWaitlistOrder(IQueryable{Prescription})"/>, ADR 0015). The OF sees the candidate's rank and other choices (P6), never the other OFs' notes.
/// One page of the list, paged and counted in SQL (index Prescriptions(SessionId, CreatedAt, Id)); the positions of
/// the page continue from the active prescriptions before it. A handful of queries whatever the size of the list.
/// </summary>
public sealed record GetSessionWaitlist(Guid SessionId, int Skip = 0, int Take = GetSessionWaitlist.DefaultTake)
{
    public const int DefaultTake = 50;
    public const int MaxTake = 500;

    public sealed record OtherChoice(int Rank, string FicheTitle, string TrainingBodyName, PrescriptionStatus Status);

    public sealed record Entry(
        Guid PrescriptionId, int? Position, string CandidateName, string PrescriberOrganisation, int Rank, PrescriptionStatus Status,
        DateTimeOffset PrescribedAt, IReadOnlyList<OtherChoice> OtherChoices);

    /// <summary><see cref="Entries"/> is the page asked for; <see cref="Total"/> the session's prescriptions; <see cref="Held"/> the active ones.</summary>
    public sealed record Result(
        Guid SessionId, string FicheTitle, SessionStatus Status, DateOnly Start, DateOnly RegistrationDeadline, int Capacity, int OpenPlaces,
        int Held, IReadOnlyList<Entry> Entries, int Total);

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

            var active = PrescriptionLifecycle.Active;
            var ofSession = db.AllPrescriptions.AsNoTracking().Where(p => p.SessionId == session.Id);
            var counts = await ofSession.GroupBy(p => active.Contains(p.Status)).Select(g => new { Active = g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken);
            var skip = Math.Max(0, query.Skip);
            var ordered = ofSession.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id);
            // O9: the first position of the page is one after the active prescriptions before it.
            var activeBefore = skip == 0 ? 0 : await ordered.Take(skip).Where(p => active.Contains(p.Status)).CountAsync(cancellationToken);
            var rows = await ordered
                .Skip(skip).Take(Math.Clamp(query.Take, 1, MaxTake))
                .Select(p => new
                {
                    p.Id, p.CandidateId, p.Rank, p.Status, p.CreatedAt,
                    Candidate = db.AllCandidates.Where(c => c.Id == p.CandidateId).Select(c => c.FirstName + " " + c.LastName).First(),
                    Prescriber = db.Organisations.Where(o => o.Id == p.PrescriberOrganisationId).Select(o => o.Name).First(),
                })
                .ToListAsync(cancellationToken);

            var candidateIds = rows.Select(r => r.CandidateId).Distinct().ToList();
            var others = await db.AllPrescriptions.AsNoTracking()
                .Where(p => candidateIds.Contains(p.CandidateId) && p.SessionId != session.Id && active.Contains(p.Status))
                .Join(db.Sessions, p => p.SessionId, s => s.Id, (p, s) => new { p, s })
                .Join(db.FicheActions, x => x.s.FicheActionId, f => f.Id, (x, f) => new { x.p, x.s, f })
                .Join(db.Organisations, x => x.s.OrganisationId, o => o.Id, (x, o) => new
                {
                    x.p.CandidateId, Choice = new OtherChoice(x.p.Rank, x.f.Title, o.Name, x.p.Status),
                })
                .ToListAsync(cancellationToken);
            var othersByCandidate = others.ToLookup(o => o.CandidateId, o => o.Choice);

            var position = activeBefore;
            var entries = rows.Select(r => new Entry(r.Id, r.Status.IsActive() ? ++position : null, r.Candidate, r.Prescriber, r.Rank, r.Status, r.CreatedAt,
                [.. othersByCandidate[r.CandidateId].OrderBy(o => o.Rank)])).ToList();
            return new Result(session.Id, session.Title, session.Status, session.Start, session.RegistrationDeadline, session.Capacity, session.OpenPlaces,
                counts.Where(c => c.Active).Sum(c => c.Count), entries, counts.Sum(c => c.Count));
        }
    }
}
