using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Candidates;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Candidates;

/// <summary>A prescriber records a job seeker they follow; the candidate belongs to the prescriber's organisation.</summary>
public sealed record CreateCandidate(
    string? FirstName, string? LastName, DateOnly? BirthDate, string? CommuneInsee, string? Email = null, string? Phone = null,
    string? FranceTravailId = null, string? EducationLevel = null, bool Rqth = false, bool Qpv = false, bool Rural = false,
    bool MinimumSocialBenefits = false, string? ProjectRomeCode = null)
{
    /// <summary>French messages per field (the form shows them next to each field; the server checks them again).</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(FirstName)) errors[nameof(FirstName)] = "Le prénom est obligatoire.";
        if (string.IsNullOrWhiteSpace(LastName)) errors[nameof(LastName)] = "Le nom est obligatoire.";
        if (BirthDate is null) errors[nameof(BirthDate)] = "La date de naissance est obligatoire.";
        if (string.IsNullOrWhiteSpace(CommuneInsee)) errors[nameof(CommuneInsee)] = "La commune de résidence est obligatoire.";
        if (Email is { Length: > 0 } e && !e.Contains('@', StringComparison.Ordinal)) errors[nameof(Email)] = "L'adresse e-mail est invalide.";
        // Issue #15 (5): the domain's limits, shown next to each field.
        foreach (var (field, value, max, label) in new[]
                 {
                     (nameof(FirstName), FirstName, Candidate.MaxNameLength, "Le prénom"), (nameof(LastName), LastName, Candidate.MaxNameLength, "Le nom"),
                     (nameof(Email), Email, Candidate.MaxEmailLength, "L'adresse e-mail"), (nameof(Phone), Phone, Candidate.MaxPhoneLength, "Le téléphone"),
                     (nameof(FranceTravailId), FranceTravailId, Candidate.MaxFranceTravailIdLength, "L'identifiant France Travail"),
                     (nameof(EducationLevel), EducationLevel, Candidate.MaxEducationLevelLength, "Le niveau de formation"),
                 })
            if (TextLimit.Message(value, max, label) is { } message) errors[field] = message;
        return errors;
    }

    /// <summary>Q3: the project's ROME code, when given, must be one of the reference list.</summary>
    internal static async Task EnsureKnownRomeAsync(IAppDbContext db, string? code, CancellationToken cancellationToken)
    {
        var wanted = code?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(wanted) && !await db.RomeCodes.AnyAsync(r => r.Code == wanted, cancellationToken))
            throw new DomainException("Le métier visé doit être choisi dans la liste des métiers (ROME).");
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<Guid> HandleAsync(CreateCandidate command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Seul un prescripteur enregistre des candidats.");
            var errors = command.Validate();
            if (errors.Count > 0) throw new DomainException(string.Join(" ", errors.Values));
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            if (!await db.Communes.AnyAsync(c => c.InseeCode == command.CommuneInsee, cancellationToken))
                throw new DomainException("La commune de résidence doit être choisie dans la liste.");
            await EnsureKnownRomeAsync(db, command.ProjectRomeCode, cancellationToken);
            // A1: a suspended, revoked or pending organisation keeps its candidates readable but records no new one.
            var organisation = await db.Organisations.AsNoTracking().Where(o => o.Id == user.OrganisationId)
                .Select(o => new { o.Kind, o.Habilitation }).FirstOrDefaultAsync(cancellationToken);
            if (organisation is not null && organisation.Kind.IsPrescriber() && organisation.Habilitation != HabilitationStatus.Habilitated)
                throw new DomainException(Administration.HabilitationNotice.Refusal(organisation.Habilitation), "A1");
            var candidate = new Candidate(user.OrganisationId, user.UserId, command.FirstName!, command.LastName!, command.BirthDate!.Value,
                command.CommuneInsee!, clock.GetUtcNow());
            candidate.SetContact(command.Email, command.Phone);
            candidate.SetSituation(command.Rqth, command.Qpv, command.Rural, command.MinimumSocialBenefits, command.EducationLevel, command.FranceTravailId);
            candidate.SetProject(command.ProjectRomeCode);
            db.AllCandidates.Add(candidate);
            await db.SaveChangesAsync(cancellationToken);
            return candidate.Id;
        }
    }
}

/// <summary>
/// The prescriber's organisation corrects a candidate's identity, contact or situation (same checks as on creation);
/// another organisation's candidate is not found.
/// </summary>
public sealed record UpdateCandidate(Guid CandidateId, CreateCandidate Details)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task HandleAsync(UpdateCandidate command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Seul le prescripteur modifie les candidats qu'il suit.");
            var d = command.Details;
            var errors = d.Validate();
            if (errors.Count > 0) throw new DomainException(string.Join(" ", errors.Values));
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var candidate = await db.Candidates(user).FirstOrDefaultAsync(c => c.Id == command.CandidateId, cancellationToken)
                ?? throw new NotFoundException("Candidat introuvable.");
            if (!await db.Communes.AnyAsync(c => c.InseeCode == d.CommuneInsee, cancellationToken))
                throw new DomainException("La commune de résidence doit être choisie dans la liste.");
            await CreateCandidate.EnsureKnownRomeAsync(db, d.ProjectRomeCode, cancellationToken);
            candidate.SetIdentity(d.FirstName!, d.LastName!, d.BirthDate!.Value, d.CommuneInsee!, clock.GetUtcNow());
            candidate.SetContact(d.Email, d.Phone);
            candidate.SetSituation(d.Rqth, d.Qpv, d.Rural, d.MinimumSocialBenefits, d.EducationLevel, d.FranceTravailId);
            candidate.SetProject(d.ProjectRomeCode);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
