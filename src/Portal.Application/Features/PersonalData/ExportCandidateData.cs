using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.PersonalData;

/// <summary>
/// Issue #14 (4), ADR 0025: a candidate's own copy of their data (right of access and portability): every stored field
/// about them, their prescriptions with the form, the decisions and reasons, the history, the fiches complément's
/// messages, the list of attachments (names, not contents), their arbitration cases, their personal links and who read
/// their RQTH status. Downloaded by the référent of their prescriber organisation or by the prescriber who follows them
/// (another organisation's candidate, or an unknown id: "not found"; a colleague who does not follow them: refused);
/// each download is logged (who, when, which format).
/// </summary>
public sealed record ExportCandidateData(Guid CandidateId, CandidateDataFormat Format)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<CandidateDataCopy> HandleAsync(ExportCandidateData query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide)
                throw new AccessDeniedException("La copie des données d'un candidat est réservée à son organisation prescriptrice.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var organisationId = user.OrganisationId;
            var c = await db.Candidates(user).AsNoTracking()
                .FirstOrDefaultAsync(x => x.Id == query.CandidateId && x.OrganisationId == organisationId, cancellationToken)
                ?? throw new NotFoundException("Candidat introuvable.");
            if (!MayExport(user, c.ReferentUserId))
                throw new AccessDeniedException("La copie des données d'un candidat est réservée au référent de l'organisation et au prescripteur qui le suit.");
            var now = clock.GetUtcNow();

            var names = db.Users.Select(u => new { u.Id, Name = u.GivenName + " " + u.FamilyName });
            var organisation = await db.Organisations.Where(o => o.Id == c.OrganisationId).Select(o => o.Name).FirstAsync(cancellationToken);
            var followedBy = await names.Where(u => u.Id == c.ReferentUserId).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken) ?? "";
            var commune = await db.Communes.Where(m => m.InseeCode == c.CommuneInsee).Select(m => m.Name).FirstOrDefaultAsync(cancellationToken) ?? c.CommuneInsee;
            var candidate = new CandidateDataCopy.CandidateData(c.Id, c.FirstName, c.LastName, c.BirthDate, c.Email, c.Phone, c.CommuneInsee, commune,
                c.FranceTravailId, c.EducationLevel, c.ProjectRomeCode, c.Rqth, c.Qpv, c.Rural, c.MinimumSocialBenefits, organisation, followedBy,
                c.CreatedAt, c.LastActivityAt, c.IsPseudonymised, c.PseudonymisedAt);

            var rows = await (
                from p in db.Prescriptions(user).AsNoTracking().Where(p => p.CandidateId == c.Id && p.PrescriberOrganisationId == organisationId)
                join s in db.Sessions on p.SessionId equals s.Id
                join f in db.FicheActions on s.FicheActionId equals f.Id
                join o in db.Organisations on p.TrainingBodyId equals o.Id
                orderby p.CreatedAt
                select new { p, f.Title, TrainingBody = o.Name, s.Start, s.End, s.PlaceCommuneInsee }).ToListAsync(cancellationToken);
            var ids = rows.Select(r => r.p.Id).ToList();
            var history = await (
                from t in db.AllPrescriptionTransitions.AsNoTracking().Where(t => ids.Contains(t.PrescriptionId))
                join u in names on t.ByUserId equals u.Id into authors
                from u in authors.DefaultIfEmpty()
                select new { t.PrescriptionId, t.Id, t.At, t.From, t.To, t.Reason, By = u == null ? null : u.Name }).ToListAsync(cancellationToken);
            var messages = await (
                from m in db.AllComplementMessages.AsNoTracking()
                join t in db.AllComplementThreads.Where(t => ids.Contains(t.PrescriptionId)) on m.ThreadId equals t.Id
                join u in names on m.AuthorUserId equals u.Id into authors
                from u in authors.DefaultIfEmpty()
                select new { t.PrescriptionId, m.At, m.Side, m.Body, Author = u == null ? "" : u.Name }).ToListAsync(cancellationToken);
            var attachments = await db.AllPrescriptionAttachments.AsNoTracking().Where(a => ids.Contains(a.PrescriptionId))
                .Select(a => new { a.PrescriptionId, a.FileName, a.ContentType, a.Size, a.UploadedAt }).ToListAsync(cancellationToken);
            var arbitrations = await db.AllArbitrations.AsNoTracking().Where(a => ids.Contains(a.PrescriptionId))
                .Select(a => new { a.PrescriptionId, a.OpenedAt, a.PrescriberArgument, a.TrainingBodyArgument, a.OutcomeText, a.DecidedAt }).ToListAsync(cancellationToken);

            var reasonLabels = await Selection.NonSelectionReasonList.LabelsAsync(db, cancellationToken);
            var prescriptions = rows.Select(r => new CandidateDataCopy.PrescriptionData(
                r.p.Id, r.Title, r.TrainingBody, r.Start, r.End, r.PlaceCommuneInsee, r.p.Rank, r.p.Status.Label(), r.p.CreatedAt, r.p.StatusChangedAt, r.p.ConvokedAt,
                new CandidateDataCopy.FormData(r.p.Form.PriorPath, r.p.Form.ProjectValidation, r.p.Form.CandidateAgreement, r.p.Form.MaterialConditions,
                    r.p.Form.Feasibility, r.p.Form.RqthDeclared, r.p.Form.Motivations, r.p.Form.Barriers, r.p.Form.CriteriaReviewed),
                r.p.DecisionReasons, [.. r.p.NonSelectionReasons.Select(n => Selection.NonSelectionReasonList.TextWith(n, reasonLabels))], r.p.CandidateExplanation, r.p.PrescriberExplanation,
                r.p.AbsenceJustification, r.p.WaitlistRank,
                [.. history.Where(h => h.PrescriptionId == r.p.Id).OrderBy(h => h.At).ThenBy(h => h.Id)
                    .Select(h => new CandidateDataCopy.HistoryLine(h.At, h.From?.Label(), h.To.Label(), h.Reason, h.By))],
                [.. messages.Where(m => m.PrescriptionId == r.p.Id).OrderBy(m => m.At)
                    .Select(m => new CandidateDataCopy.Message(m.At, m.Side == ComplementSide.Prescriber ? "Prescripteur" : "Organisme de formation", m.Author, m.Body))],
                [.. attachments.Where(a => a.PrescriptionId == r.p.Id).OrderBy(a => a.UploadedAt)
                    .Select(a => new CandidateDataCopy.Attachment(a.FileName, a.ContentType, a.Size, a.UploadedAt))],
                [.. arbitrations.Where(a => a.PrescriptionId == r.p.Id).OrderBy(a => a.OpenedAt)
                    .Select(a => new CandidateDataCopy.Arbitration(a.OpenedAt, a.PrescriberArgument, a.TrainingBodyArgument, a.OutcomeText, a.DecidedAt))]))
                .ToList();

            var links = await db.AllCandidateLinks.AsNoTracking().Where(l => l.CandidateId == c.Id).OrderBy(l => l.CreatedAt)
                .Select(l => new CandidateDataCopy.Link(l.CreatedAt, l.ExpiresAt, l.RevokedAt)).ToListAsync(cancellationToken);
            var reads = await (
                from r in db.AllSensitiveReads.AsNoTracking().Where(r => r.CandidateId == c.Id)
                join u in names on r.UserId equals u.Id
                orderby r.At
                select new CandidateDataCopy.SensitiveRead(r.At, u.Name, r.Field)).ToListAsync(cancellationToken);

            db.AllPersonalDataLog.Add(new PersonalDataLogEntry
            {
                CandidateId = c.Id, OrganisationId = c.OrganisationId, UserId = user.UserId, Action = PersonalDataAction.Export, At = now,
                Detail = query.Format == CandidateDataFormat.Json ? "Copie des données (JSON)" : "Copie des données (page lisible)",
            });
            await db.SaveChangesAsync(cancellationToken);
            return new CandidateDataCopy(now, candidate, prescriptions, links, reads);
        }
    }

    /// <summary>The référent of the organisation (checked by the caller), or the prescriber who follows the candidate.</summary>
    public static bool MayExport(CurrentUser user, Guid followedBy) =>
        user.IsPrescriberSide && (user.Is(Role.ReferentFormation) || user.UserId == followedBy);
}

public enum CandidateDataFormat
{
    Json = 0,
    Html = 1,
}

/// <summary>Issue #14 (4): a candidate's copy of their data (the JSON as written, and what the readable page shows).</summary>
public sealed record CandidateDataCopy(
    DateTimeOffset ExportedAt, CandidateDataCopy.CandidateData Candidate, IReadOnlyList<CandidateDataCopy.PrescriptionData> Prescriptions,
    IReadOnlyList<CandidateDataCopy.Link> PersonalLinks, IReadOnlyList<CandidateDataCopy.SensitiveRead> RqthReads)
{
    public sealed record CandidateData(
        Guid Id, string FirstName, string LastName, DateOnly BirthDate, string? Email, string? Phone, string CommuneInsee, string Commune,
        string? FranceTravailId, string? EducationLevel, string? ProjectRomeCode, bool Rqth, bool Qpv, bool Rural, bool MinimumSocialBenefits,
        string PrescriberOrganisation, string FollowedBy, DateTimeOffset CreatedAt, DateTimeOffset LastActivityAt, bool Pseudonymised, DateTimeOffset? PseudonymisedAt);

    public sealed record FormData(
        string PriorPath, string ProjectValidation, bool CandidateAgreement, string MaterialConditions, string Feasibility, bool? RqthDeclared,
        string Motivations, string Barriers, bool CriteriaReviewed);

    public sealed record HistoryLine(DateTimeOffset At, string? From, string To, string? Reason, string? By);

    public sealed record Message(DateTimeOffset At, string Side, string Author, string Body);

    public sealed record Attachment(string FileName, string ContentType, long Size, DateTimeOffset UploadedAt);

    public sealed record Arbitration(DateTimeOffset OpenedAt, string? PrescriberArgument, string? TrainingBodyArgument, string? Ruling, DateTimeOffset? DecidedAt);

    public sealed record PrescriptionData(
        Guid Id, string Training, string TrainingBody, DateOnly SessionStart, DateOnly SessionEnd, string PlaceCommuneInsee, int Rank, string Status,
        DateTimeOffset CreatedAt, DateTimeOffset StatusChangedAt, DateTimeOffset? ConvokedAt, FormData Form, string? DecisionReasons,
        IReadOnlyList<string> NonSelectionReasons, string? CandidateExplanation, string? PrescriberExplanation, string? AbsenceJustification,
        int? WaitlistRank, IReadOnlyList<HistoryLine> History, IReadOnlyList<Message> Messages, IReadOnlyList<Attachment> Attachments,
        IReadOnlyList<Arbitration> Arbitrations);

    public sealed record Link(DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt);

    public sealed record SensitiveRead(DateTimeOffset At, string Reader, string Field);
}
