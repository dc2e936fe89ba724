using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Home;

/// <summary>
/// The prescriber's "Mes candidats" (and the référent's organisation view): each candidate with
/// their choices (P6), each choice's status and the session's open places (O8), the last event and
/// what needs the prescriber's action (a decision received, a message of the OF to read). Filtered and
/// paged in SQL (index Candidates(ReferentUserId, OrganisationId, LastName, FirstName) or (OrganisationId, ...)); three
/// set-based queries per page, whatever the number of candidates: no N+1.
/// </summary>
public sealed record GetPrescriberDashboard(
    bool WholeOrganisation, string? Search = null, int Take = 200, int Skip = 0, DashboardFilter Filter = DashboardFilter.All)
{
    /// <summary>A decision (selected, waitlisted, not selected) younger than this calls for the prescriber's attention.</summary>
    public static readonly TimeSpan RecentDecision = TimeSpan.FromDays(7);

    private static readonly PrescriptionStatus[] Decisions =
        [PrescriptionStatus.Selected, PrescriptionStatus.Waitlisted, PrescriptionStatus.NotSelected, PrescriptionStatus.AbsentUnjustified,
         PrescriptionStatus.PlaceOffered];

    public sealed record Choice(
        Guid PrescriptionId, int Rank, PrescriptionStatus Status, Guid SessionId, string FicheTitle,
        string TrainingBodyName, DateOnly SessionStart, int OpenPlaces, int Capacity, SessionStatus SessionStatus,
        DateTimeOffset StatusChangedAt = default, string? DecisionReasons = null, string? PrescriberExplanation = null, int SessionVersion = 0);

    /// <remarks>The computed properties are left out of JSON: the dashboard's first page is handed from the prerendering to the circuit as JSON (ADR 0013).</remarks>
    public sealed record Row(Guid CandidateId, string LastName, string FirstName, string CommuneName, string ReferentName, IReadOnlyList<Choice> Choices,
        IReadOnlyList<string>? Actions = null)
    {
        [JsonIgnore]
        public int ActiveChoices => Choices.Count(c => c.Status.IsActive());

        /// <summary>Issue #14 (4), ADR 0025: the candidate's data were erased; the lists write "Candidat anonymisé".</summary>
        public bool IsPseudonymised { get; init; }

        /// <summary>"NOM Prénom", or "Candidat anonymisé".</summary>
        [JsonIgnore]
        public string FormalName => Portal.Domain.Candidates.Candidate.FormalName(IsPseudonymised, FirstName, LastName);

        /// <summary>The latest change among the candidate's choices.</summary>
        [JsonIgnore]
        public Choice? LastEvent => Choices.OrderByDescending(c => c.StatusChangedAt).FirstOrDefault();

        /// <summary>What needs the prescriber's action, in French (empty when nothing does).</summary>
        [JsonIgnore]
        public IReadOnlyList<string> NeedsAction => Actions ?? [];
    }

    public sealed record Result(IReadOnlyList<Row> Rows, int Total);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        private static IQueryable<Domain.Candidates.Candidate> Visible(IAppDbContext db, CurrentUser user, bool wholeOrganisation)
        {
            var candidates = db.Candidates(user);
            // A prescriber sees the candidates they follow; a référent may widen to the whole organisation (A2), and so may the
            // organisation's correspondant délégué while they are named (checked here in SQL, not only from the login's claim).
            if (wholeOrganisation && user.Is(Role.ReferentFormation)) return candidates;
            if (wholeOrganisation && user.IsPrescriberSide)
                return candidates.Where(c => c.ReferentUserId == user.UserId
                    || db.Organisations.Any(o => o.Id == user.OrganisationId && o.DelegateUserId == user.UserId));
            return candidates.Where(c => c.ReferentUserId == user.UserId);
        }

        /// <summary>
        /// The rows of the given candidates, as the dashboard shows them (a live screen reloads only the rows a change
        /// concerns). Candidates the user may not see are left out.
        /// </summary>
        public async Task<IReadOnlyList<Row>> RowsAsync(IReadOnlyCollection<Guid> candidateIds, bool wholeOrganisation, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Cet écran est réservé aux prescripteurs.");
            if (candidateIds.Count == 0) return [];
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var ids = candidateIds.Distinct().ToList();
            return await BuildRowsAsync(db, user, Visible(db, user, wholeOrganisation).Where(c => ids.Contains(c.Id)), cancellationToken);
        }

        public async Task<Result> HandleAsync(GetPrescriberDashboard query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Cet écran est réservé aux prescripteurs.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);

            var candidates = Visible(db, user, query.WholeOrganisation);
            if (!string.IsNullOrWhiteSpace(query.Search))
            {
                var term = query.Search.Trim().ToLowerInvariant();
                candidates = candidates.Where(c => EF.Functions.Like(c.LastName.ToLower(), $"%{term}%") || EF.Functions.Like(c.FirstName.ToLower(), $"%{term}%"));
            }

            var active = PrescriptionLifecycle.Active;
            var decisions = Decisions;
            var since = clock.GetUtcNow() - RecentDecision;
            var prescriptions = db.Prescriptions(user);
            candidates = query.Filter switch
            {
                DashboardFilter.WithActiveChoice => candidates.Where(c => prescriptions.Any(p => p.CandidateId == c.Id && active.Contains(p.Status))),
                DashboardFilter.WithoutChoice => candidates.Where(c => !prescriptions.Any(p => p.CandidateId == c.Id && active.Contains(p.Status))),
                DashboardFilter.NeedsAction => candidates.Where(c => prescriptions.Any(p => p.CandidateId == c.Id
                    && ((decisions.Contains(p.Status) && p.StatusChangedAt >= since)
                        || db.AllComplementThreads.Any(t => t.PrescriptionId == p.Id
                            && db.AllComplementMessages.Where(m => m.ThreadId == t.Id).OrderByDescending(m => m.At).Select(m => m.Side).FirstOrDefault() == ComplementSide.TrainingBody)))),
                _ => candidates,
            };

            var total = await candidates.CountAsync(cancellationToken);
            var rows = await BuildRowsAsync(db, user, candidates
                .OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Id)
                .Skip(Math.Max(0, query.Skip))
                .Take(Math.Clamp(query.Take, 1, 500)), cancellationToken);
            return new Result(rows, total);
        }

        private async Task<IReadOnlyList<Row>> BuildRowsAsync(IAppDbContext db, CurrentUser user, IQueryable<Domain.Candidates.Candidate> pageQuery, CancellationToken cancellationToken)
        {
            var decisions = Decisions;
            var since = clock.GetUtcNow() - RecentDecision;
            var page = await pageQuery
                .Select(c => new
                {
                    c.Id, c.LastName, c.FirstName, c.IsPseudonymised,
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
                    Choice = new Choice(x.p.Id, x.p.Rank, x.p.Status, x.s.Id, x.f.Title, o.Name, x.s.Start, x.s.OpenPlaces, x.s.Capacity, x.s.Status, x.p.StatusChangedAt,
                        x.p.DecisionReasons, x.p.PrescriberExplanation, x.s.Version),
                })
                .ToListAsync(cancellationToken);
            var byCandidate = choices.ToLookup(c => c.CandidateId, c => c.Choice);

            // P8: threads of the page whose last message comes from the OF are messages to read.
            var prescriptionIds = choices.Select(c => c.Choice.PrescriptionId).ToList();
            var unanswered = (await db.AllComplementThreads
                .Where(t => prescriptionIds.Contains(t.PrescriptionId))
                .Select(t => new
                {
                    t.PrescriptionId,
                    LastSide = db.AllComplementMessages.Where(m => m.ThreadId == t.Id).OrderByDescending(m => m.At).Select(m => m.Side).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken))
                .Where(t => t.LastSide == ComplementSide.TrainingBody).Select(t => t.PrescriptionId).ToHashSet();

            var rows = page.Select(c =>
                {
                    var mine = byCandidate[c.Id].ToList();
                    var actions = new List<string>();
                    foreach (var d in mine.Where(x => decisions.Contains(x.Status) && x.StatusChangedAt >= since))
                        actions.Add($"Décision reçue : {d.Status.Label()} ({d.FicheTitle})");
                    foreach (var m in mine.Where(x => unanswered.Contains(x.PrescriptionId)))
                        actions.Add($"Message de l'organisme à lire ({m.FicheTitle})");
                    return new Row(c.Id, c.LastName, c.FirstName, c.Commune, c.Referent,
                        [.. mine.OrderBy(x => x.Status.IsActive() ? 0 : 1).ThenBy(x => x.Rank)], actions) { IsPseudonymised = c.IsPseudonymised };
                })
                .ToList();
            return rows;
        }
    }
}

/// <summary>The filters of "Mes candidats".</summary>
public enum DashboardFilter
{
    All = 0,

    /// <summary>Candidates with a decision received recently or a message of the OF to read.</summary>
    NeedsAction = 1,
    WithActiveChoice = 2,
    WithoutChoice = 3,
}
