using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Candidates;

/// <summary>
/// One candidate, as far as the user may see it (AccessScope): outside the scope it is "not found",
/// so an id cannot be probed. Reading the RQTH status is logged (personal data).
/// </summary>
public sealed record GetCandidate(Guid CandidateId)
{
    public sealed record ChoiceView(Guid PrescriptionId, int Rank, PrescriptionStatus Status, string FicheTitle, DateOnly SessionStart);

    public sealed record Details(
        Guid Id, string FirstName, string LastName, DateOnly BirthDate, string CommuneInsee, string CommuneName,
        string? Email, string? Phone, bool Rqth, bool Qpv, bool Rural, bool MinimumSocialBenefits, bool Under26,
        IReadOnlyList<ChoiceView> Choices)
    {
        public string? FranceTravailId { get; init; }
        public string? EducationLevel { get; init; }
        public string CommuneDepartement { get; init; } = "";

        /// <summary>Q3: the project, as "code – label" (null when not given).</summary>
        public string? Project { get; init; }

        /// <summary>Issue #14 (4): the prescriber who follows the candidate (may download their copy with the référent).</summary>
        public Guid FollowedByUserId { get; init; }

        /// <summary>Issue #14 (4), ADR 0025: the candidate's data were erased (retention or on request): read-only, "Candidat anonymisé".</summary>
        public bool IsPseudonymised { get; init; }

        public DateTimeOffset? PseudonymisedAt { get; init; }

        /// <summary>The name as the page's title writes it.</summary>
        public string Title => IsPseudonymised ? Portal.Domain.Candidates.Candidate.PseudonymisedName : $"{FirstName} {LastName.ToUpperInvariant()}";
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<Details> HandleAsync(GetCandidate query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var candidate = await db.Candidates(user).AsNoTracking()
                .FirstOrDefaultAsync(c => c.Id == query.CandidateId, cancellationToken)
                ?? throw new NotFoundException("Candidat introuvable.");
            var now = clock.GetUtcNow();
            var commune = await db.Communes.Where(c => c.InseeCode == candidate.CommuneInsee).Select(c => new { c.Name, c.DepartementCode }).FirstOrDefaultAsync(cancellationToken);
            var choices = await db.Prescriptions(user)
                .Where(p => p.CandidateId == candidate.Id)
                .Join(db.Sessions, p => p.SessionId, s => s.Id, (p, s) => new { p, s })
                .Join(db.FicheActions, x => x.s.FicheActionId, f => f.Id, (x, f) => new ChoiceView(x.p.Id, x.p.Rank, x.p.Status, f.Title, x.s.Start))
                .ToListAsync(cancellationToken);

            await PersonalData.SensitiveReadJournal.LogAsync(db, user, [candidate.Id], now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);

            return new Details(candidate.Id, candidate.FirstName, candidate.LastName, candidate.BirthDate, candidate.CommuneInsee, commune?.Name ?? candidate.CommuneInsee,
                candidate.Email, candidate.Phone, candidate.Rqth, candidate.Qpv, candidate.Rural, candidate.MinimumSocialBenefits,
                candidate.IsUnder26(Domain.Offer.TrainingSession.Today(now)), [.. choices.OrderBy(c => c.Rank)])
            {
                FranceTravailId = candidate.FranceTravailId,
                EducationLevel = candidate.EducationLevel,
                CommuneDepartement = commune?.DepartementCode ?? "",
                FollowedByUserId = candidate.ReferentUserId,
                IsPseudonymised = candidate.IsPseudonymised,
                PseudonymisedAt = candidate.PseudonymisedAt,
                Project = candidate.ProjectRomeCode is { } rome
                    ? Catalogue.SuggestJobs.Display(rome, await db.RomeCodes.Where(r => r.Code == rome).Select(r => r.Label).FirstOrDefaultAsync(cancellationToken) ?? "")
                    : null,
            };
        }
    }
}
