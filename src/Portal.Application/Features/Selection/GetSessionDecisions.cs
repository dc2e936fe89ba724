using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>
/// S1: the OF's decisions screen for one session: every candidate met (present or absent), waitlisted, selected,
/// refused or entered, with what the decision needs: the version seen (concurrency), whether an absence was
/// justified (S5), the waitlist rank (O9), and the fiche's own selection criteria and prerequisites (S12),
/// offered as ready-made reasons of a non-selection. Ordered, bounded and counted in SQL: the screen shows one bounded
/// page (<see cref="MaxShown"/> candidates, far more than a session meets; its bulk selection and keyboard work on that
/// page), the export reads every page. A handful of queries.
/// </summary>
public sealed record GetSessionDecisions(Guid SessionId, int Skip = 0, int Take = GetSessionDecisions.MaxShown)
{
    /// <summary>The screen's bounded page, and the largest page a caller may ask for.</summary>
    public const int MaxShown = 200;
    public const int MaxTake = 500;

    /// <summary>Statuses shown on the screen, in the order of the work: to decide, waiting, selected, entered, refused.</summary>
    public static readonly PrescriptionStatus[] Shown =
    [
        PrescriptionStatus.Attended, PrescriptionStatus.AbsentJustified, PrescriptionStatus.AbsentUnjustified,
        PrescriptionStatus.Waitlisted, PrescriptionStatus.PlaceOffered, PrescriptionStatus.Selected, PrescriptionStatus.Entered, PrescriptionStatus.NotSelected,
    ];

    public sealed record Row(
        Guid PrescriptionId, int Version, string CandidateName, string PrescriberOrganisation, int Rank, PrescriptionStatus Status,
        int? WaitlistRank, bool AbsenceJustified, string? AttendanceNote, string? DecisionReasons, DateTimeOffset StatusChangedAt,
        DateOnly? OfferDeadline = null)
    {
        /// <summary>O9: <see cref="WaitlistRank"/> is the candidate's position on the waiting list, in its one order (ADR 0015).</summary>
        public bool IsFirstWaiting => Status == PrescriptionStatus.Waitlisted && WaitlistRank == 1;

        /// <summary>Candidates met or absent, and the waitlisted: the ones a decision is still expected for.</summary>
        public bool CanBeDecided => Status is PrescriptionStatus.Attended or PrescriptionStatus.AbsentJustified or PrescriptionStatus.AbsentUnjustified
            or PrescriptionStatus.Waitlisted;

        public bool CanBeSelected => CanBeDecided;

        public bool CanBeWaitlisted => CanBeDecided && Status != PrescriptionStatus.Waitlisted;

        public bool CanEnter => Status == PrescriptionStatus.Selected;
    }

    /// <summary>
    /// <see cref="Rows"/> is the page asked for; <see cref="Total"/> the candidates on the screen; <see cref="Selected"/> the selected or
    /// entered ones, whole session; <see cref="Waiting"/> the waiting list's length and <see cref="Offered"/> the places offered awaiting an answer.
    /// </summary>
    public sealed record Result(
        Guid SessionId, string FicheTitle, SessionStatus Status, DateOnly Start, int Capacity, int OpenPlaces,
        IReadOnlyList<string> SelectionCriteria, string Prerequisites, IReadOnlyList<Row> Rows, int Total, int Selected,
        int Waiting = 0, int Offered = 0)
    {
        /// <summary>O9: a place is open and someone waits: the OF is told, and offers it to the first of the list (S1).</summary>
        public bool PlaceToOffer => OpenPlaces > 0 && Waiting > 0;
    }

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetSessionDecisions query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("L'écran des décisions est réservé à l'organisme de formation (S1).");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = await db.Sessions(user).AsNoTracking()
                .Where(s => s.Id == query.SessionId && s.OrganisationId == user.OrganisationId)
                .Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => new
                {
                    s.Id, s.Status, s.Start, s.Capacity, s.OpenPlaces, f.Title, f.SelectionCriteria, f.Prerequisites,
                })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Session introuvable.");

            var shown = Shown;
            var onScreen = db.Prescriptions(user).AsNoTracking().Where(p => p.SessionId == session.Id && shown.Contains(p.Status));
            var byStatus = await onScreen.GroupBy(p => p.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            // The screen's order in SQL (the work's order, the waitlist rank, the name), so that a page is the right slice.
            var rows = await onScreen
                .OrderBy(p => p.Status == PrescriptionStatus.Attended || p.Status == PrescriptionStatus.AbsentJustified || p.Status == PrescriptionStatus.AbsentUnjustified ? 0
                    : p.Status == PrescriptionStatus.Waitlisted ? 3 : p.Status == PrescriptionStatus.PlaceOffered ? 4 : p.Status == PrescriptionStatus.Selected ? 5
                    : p.Status == PrescriptionStatus.Entered ? 6 : 7)
                // O9: the waiting list in its one order (the OF's ranks, then date of prescription), the others by name.
                .ThenBy(p => p.WaitlistRank == null ? 1 : 0).ThenBy(p => p.WaitlistRank)
                .ThenBy(p => p.Status == PrescriptionStatus.Waitlisted ? p.CreatedAt : (DateTimeOffset?)null)
                .ThenBy(p => db.AllCandidates.Where(c => c.Id == p.CandidateId).Select(c => c.LastName).First())
                .ThenBy(p => db.AllCandidates.Where(c => c.Id == p.CandidateId).Select(c => c.FirstName).First())
                .ThenBy(p => p.Id)
                .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake))
                .Select(p => new
                {
                    p.Id, p.Version, p.Rank, p.Status, p.WaitlistRank, p.DecisionReasons, p.StatusChangedAt, p.CreatedAt, p.OfferDeadline,
                    Name = db.AllCandidates.Where(c => c.Id == p.CandidateId).Select(c => new { c.LastName, c.FirstName, c.IsPseudonymised }).First(),
                    Prescriber = db.Organisations.Where(o => o.Id == p.PrescriberOrganisationId).Select(o => o.Name).First(),
                })
                .ToListAsync(cancellationToken);

            // S5: the justification of an absence, wherever it is in the history.
            var ids = rows.Select(r => r.Id).ToList();
            var justified = PrescriptionStatus.AbsentJustified;
            var justifications = (await db.AllPrescriptionTransitions.AsNoTracking()
                    .Where(t => ids.Contains(t.PrescriptionId) && t.To == justified)
                    .Select(t => new { t.PrescriptionId, t.Id, t.Reason })
                    .ToListAsync(cancellationToken))
                .GroupBy(t => t.PrescriptionId)
                .ToDictionary(g => g.Key, g => g.OrderBy(t => t.Id).Last().Reason);

            // O9: each waitlisted candidate's position in the list's one order (the whole list: a session's, a few dozen).
            var waitlisted = PrescriptionStatus.Waitlisted;
            var waitingIds = await db.AllPrescriptions.AsNoTracking().Where(p => p.SessionId == session.Id && p.Status == waitlisted)
                .InWaitlistOrder().Select(p => p.Id).ToListAsync(cancellationToken);
            var position = waitingIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i + 1);

            // Upper case in .NET: SQLite's upper() leaves accented letters alone; within the page, names in French order.
            var named = rows.Select(r => new { Row = r, Candidate = Portal.Domain.Candidates.Candidate.FormalName(r.Name.IsPseudonymised, r.Name.FirstName, r.Name.LastName) }).ToList();
            var order = Shown.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
            var result = named
                .OrderBy(n => n.Row.Status is PrescriptionStatus.AbsentJustified or PrescriptionStatus.AbsentUnjustified ? 0 : order[n.Row.Status])
                .ThenBy(n => position.GetValueOrDefault(n.Row.Id))
                .ThenBy(n => n.Candidate, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("fr-FR"), true))
                .Select(n => new Row(n.Row.Id, n.Row.Version, n.Candidate, n.Row.Prescriber, n.Row.Rank, n.Row.Status,
                    position.TryGetValue(n.Row.Id, out var at) ? at : null,
                    justifications.ContainsKey(n.Row.Id), justifications.GetValueOrDefault(n.Row.Id), n.Row.DecisionReasons, n.Row.StatusChangedAt,
                    n.Row.OfferDeadline))
                .ToList();
            return new Result(session.Id, session.Title, session.Status, session.Start, session.Capacity, session.OpenPlaces,
                session.SelectionCriteria, session.Prerequisites, result, byStatus.Sum(s => s.Count),
                byStatus.Where(s => s.Key is PrescriptionStatus.Selected or PrescriptionStatus.Entered).Sum(s => s.Count),
                waitingIds.Count, byStatus.Where(s => s.Key == PrescriptionStatus.PlaceOffered).Sum(s => s.Count));
        }
    }
}
