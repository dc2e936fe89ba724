using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Prescriptions;

/// <summary>
/// One prescription with its history (S6) and its fiche de prescription (P3, P4, P5, P7), within the user's scope
/// (the prescriber's organisation, the session's OF, the Région); otherwise "not found". The fiche carries the RQTH
/// answer, so every read is logged in <see cref="SensitiveReadLog"/> like the candidate's page.
/// </summary>
public sealed record GetPrescription(Guid PrescriptionId)
{
    /// <summary>
    /// One line of the history: a change of status, or (with <paramref name="Label"/>) an arbitration event that leaves
    /// the status as it is (S10: a case opened, a decision upheld, another outcome).
    /// </summary>
    public sealed record Step(DateTimeOffset At, PrescriptionStatus? From, PrescriptionStatus To, string? Reason, string? Label = null)
    {
        /// <summary>What the timeline shows in bold: the event, or the status reached.</summary>
        public string Title => Label ?? To.Label();
    }

    public sealed record Details(
        Guid Id, Guid CandidateId, string CandidateName, Guid SessionId, string FicheTitle, int Rank,
        PrescriptionStatus Status, DateTimeOffset CreatedAt, IReadOnlyList<Step> History, Decision? Outcome = null,
        int Version = 0, DateOnly? OfferDeadline = null)
    {
        /// <summary>P3, P4, P5, P7: what the prescriber recorded with the candidate, in full.</summary>
        public PrescriptionForm Form { get; init; } = new();

        /// <summary>Who prescribed: the organisation the OF calls back (P8).</summary>
        public string PrescriberOrganisationName { get; init; } = "";

        public string PrescriberName { get; init; } = "";

        public DateOnly SessionStart { get; init; }

        public string TrainingBodyName { get; init; } = "";
    }

    /// <summary>
    /// S7: the OF's decision as the prescriber reads it: the reasons from the reference list, the explanation
    /// written for the prescriber, and the one written for the candidate (shown on the candidate's own page, A7).
    /// </summary>
    public sealed record Decision(
        PrescriptionStatus Status, DateTimeOffset At, IReadOnlyList<string> Reasons, string? PrescriberExplanation, string? CandidateExplanation,
        int? WaitlistRank);

    /// <summary>At the same instant: the status changes, then a case opened, then its ruling (an overturn's change of status included).</summary>
    private static int HistoryOrder(Step step) =>
        step.Label is { } label ? (label.StartsWith("Arbitrage demandé", StringComparison.Ordinal) ? 1 : 2)
        : step.Reason == Prescription.ArbitrationReason ? 2 : 0;

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<Details> HandleAsync(GetPrescription query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var found = await LoadAsync(db, user, db.Prescriptions(user).Where(p => p.Id == query.PrescriptionId), clock, cancellationToken);
            return found.Count == 1 ? found[0] : throw new NotFoundException("Prescription introuvable.");
        }

        /// <summary>
        /// The details of the prescriptions of <paramref name="scoped"/> (already within the user's scope), in its order,
        /// and one RQTH read logged per candidate read.
        /// </summary>
        internal static async Task<IReadOnlyList<Details>> LoadAsync(IAppDbContext db, CurrentUser user, IQueryable<Prescription> scoped, TimeProvider clock,
            CancellationToken cancellationToken)
        {
            var rows = await scoped.AsNoTracking()
                .Select(p => new
                {
                    p.Id, p.CandidateId, p.SessionId, p.Rank, p.Status, p.CreatedAt, p.StatusChangedAt, p.NonSelectionReasons,
                    p.PrescriberExplanation, p.CandidateExplanation, p.Version, p.OfferDeadline, p.Form,
                    Candidate = db.AllCandidates.Where(c => c.Id == p.CandidateId).Select(c => c.FirstName + " " + c.LastName).First(),
                    Session = db.Sessions.Where(s => s.Id == p.SessionId)
                        .Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => new { f.Title, s.Start }).First(),
                    Prescriber = db.Organisations.Where(o => o.Id == p.PrescriberOrganisationId).Select(o => o.Name).FirstOrDefault(),
                    PrescriberUser = db.Users.Where(u => u.Id == p.PrescriberUserId).Select(u => u.GivenName + " " + u.FamilyName).FirstOrDefault(),
                    TrainingBody = db.Organisations.Where(o => o.Id == p.TrainingBodyId).Select(o => o.Name).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            if (rows.Count == 0) return [];
            var ids = rows.Select(r => r.Id).ToList();
            var history = (await db.AllPrescriptionTransitions
                    .Where(t => ids.Contains(t.PrescriptionId))
                    .OrderBy(t => t.Id)
                    .Select(t => new { t.PrescriptionId, Step = new Step(t.At, t.From, t.To, t.Reason) })
                    .ToListAsync(cancellationToken))
                .ToLookup(t => t.PrescriptionId, t => t.Step);
            // S10: the arbitration cases of these prescriptions (already in the user's scope), both parties' business: opened,
            // and ruled without a change of status (upheld, or another outcome); an overturn is already a change of status.
            var cases = await db.AllArbitrations.AsNoTracking()
                .Where(a => ids.Contains(a.PrescriptionId))
                .Select(a => new { a.PrescriptionId, a.OpenedAt, a.OpenedBySide, a.Outcome, a.DecidedAt, a.OutcomeText })
                .ToListAsync(cancellationToken);
            var status = rows.ToDictionary(r => r.Id, r => r.Status);
            var arbitrationSteps = cases.SelectMany(a =>
                {
                    var steps = new List<(Guid PrescriptionId, Step Step)>
                    {
                        (a.PrescriptionId, new Step(a.OpenedAt, null, status[a.PrescriptionId], null,
                            a.OpenedBySide == Domain.Arbitrations.ArbitrationSide.Prescriber ? "Arbitrage demandé par le prescripteur" : "Arbitrage demandé par l'organisme de formation")),
                    };
                    if (a.DecidedAt is { } decidedAt && a.Outcome is Domain.Arbitrations.ArbitrationOutcome.Upheld or Domain.Arbitrations.ArbitrationOutcome.Other)
                        steps.Add((a.PrescriptionId, new Step(decidedAt, null, status[a.PrescriptionId], a.OutcomeText,
                            a.Outcome == Domain.Arbitrations.ArbitrationOutcome.Upheld ? "Arbitrage : décision maintenue" : "Arbitrage : autre issue")));
                    return steps;
                })
                .ToLookup(x => x.PrescriptionId, x => x.Step);

            // O9: each waiting candidate's position in the list's one order (ADR 0015): one query per session concerned.
            var positions = new Dictionary<Guid, int>();
            var waitlisted = PrescriptionStatus.Waitlisted;
            foreach (var sessionId in rows.Where(r => r.Status == waitlisted).Select(r => r.SessionId).Distinct())
            {
                var inOrder = await db.AllPrescriptions.AsNoTracking().Where(p => p.SessionId == sessionId && p.Status == waitlisted)
                    .InWaitlistOrder().Select(p => p.Id).ToListAsync(cancellationToken);
                for (var i = 0; i < inOrder.Count; i++) positions[inOrder[i]] = i + 1;
            }

            // P7: the fiche carries the RQTH answer; reading it is logged (who, when, which candidate).
            var now = clock.GetUtcNow();
            await PersonalData.SensitiveReadJournal.LogAsync(db, user, [.. rows.Select(r => r.CandidateId).Distinct()], now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);

            // S7, ADR 0026: each reason read with its code's label in the list as it stands.
            var reasonLabels = await Selection.NonSelectionReasonList.LabelsAsync(db, cancellationToken);
            return [.. rows.Select(details =>
            {
                var decided = details.Status is PrescriptionStatus.Selected or PrescriptionStatus.Waitlisted or PrescriptionStatus.NotSelected
                    or PrescriptionStatus.Entered or PrescriptionStatus.PlaceOffered;
                var outcome = decided
                    ? new Decision(details.Status, details.StatusChangedAt, [.. details.NonSelectionReasons.Select(r => Selection.NonSelectionReasonList.TextWith(r, reasonLabels))],
                        details.PrescriberExplanation, details.CandidateExplanation, positions.TryGetValue(details.Id, out var position) ? position : null)
                    : null;
                return new Details(details.Id, details.CandidateId, details.Candidate, details.SessionId, details.Session.Title, details.Rank,
                    details.Status, details.CreatedAt, [.. history[details.Id].Concat(arbitrationSteps[details.Id]).OrderBy(step => step.At).ThenBy(HistoryOrder)], outcome, details.Version, details.OfferDeadline)
                {
                    Form = details.Form,
                    PrescriberOrganisationName = details.Prescriber ?? "",
                    PrescriberName = details.PrescriberUser ?? "",
                    SessionStart = details.Session.Start,
                    TrainingBodyName = details.TrainingBody ?? "",
                };
            })];
        }
    }
}

/// <summary>
/// P3, P4, P5, P7: the fiches de prescription of one session, to print one page per candidate: the OF of the session
/// and the Région only (a prescriber prints from its own pages); all of them, or only <see cref="Only"/>. Another OF's
/// session is "not found". Each RQTH read is logged.
/// </summary>
public sealed record GetSessionPrescriptionFiches(Guid SessionId, IReadOnlyCollection<Guid>? Only = null)
{
    public sealed record Result(Guid SessionId, string FicheTitle, DateOnly Start, IReadOnlyList<GetPrescription.Details> Fiches);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<Result> HandleAsync(GetSessionPrescriptionFiches query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            var mayRead = user.Is(Domain.Organisations.Role.Region) || user.Is(Domain.Organisations.Role.Admin) || user.Is(Domain.Organisations.Role.OrganismeFormation);
            if (!mayRead) throw new NotFoundException("Session introuvable.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = await db.Sessions(user).AsNoTracking()
                .Where(s => s.Id == query.SessionId)
                .Where(s => user.Is(Domain.Organisations.Role.Region) || user.Is(Domain.Organisations.Role.Admin) || s.OrganisationId == user.OrganisationId)
                .Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => new { s.Id, f.Title, s.Start })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Session introuvable.");
            var scoped = db.Prescriptions(user).Where(p => p.SessionId == session.Id);
            if (query.Only is { Count: > 0 } only) scoped = scoped.Where(p => only.Contains(p.Id));
            scoped = scoped.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id);
            var fiches = await GetPrescription.Handler.LoadAsync(db, user, scoped, clock, cancellationToken);
            return new Result(session.Id, session.Title, session.Start, fiches);
        }
    }
}
