using Portal.Domain.Common;

namespace Portal.Domain.Candidates;

/// <summary>A job seeker (A7) followed by a prescriber organisation. RQTH is sensitive: reads are logged.</summary>
public sealed class Candidate : Entity
{
    private Candidate() { }

    public Candidate(Guid organisationId, Guid referentUserId, string firstName, string lastName, DateOnly birthDate,
        string communeInsee, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(firstName)) throw new DomainException("Le prénom est obligatoire.");
        if (string.IsNullOrWhiteSpace(lastName)) throw new DomainException("Le nom est obligatoire.");
        if (birthDate > Offer.TrainingSession.Today(now)) throw new DomainException("La date de naissance ne peut pas être dans le futur.");
        if (string.IsNullOrWhiteSpace(communeInsee)) throw new DomainException("La commune de résidence est obligatoire.");
        OrganisationId = organisationId;
        ReferentUserId = referentUserId;
        FirstName = firstName.Trim();
        LastName = lastName.Trim();
        BirthDate = birthDate;
        CommuneInsee = communeInsee.Trim();
        CreatedAt = now;
        LastActivityAt = now;
    }

    public Guid OrganisationId { get; private set; }

    /// <summary>The prescriber who follows the candidate.</summary>
    public Guid ReferentUserId { get; private set; }

    public string FirstName { get; private set; } = "";
    public string LastName { get; private set; } = "";
    public DateOnly BirthDate { get; private set; }
    public string? Email { get; private set; }
    public string? Phone { get; private set; }
    public string CommuneInsee { get; private set; } = "";
    public string? FranceTravailId { get; private set; }
    public string? EducationLevel { get; private set; }
    public bool Rqth { get; private set; }
    public bool Qpv { get; private set; }
    public bool Rural { get; private set; }
    public bool MinimumSocialBenefits { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset LastActivityAt { get; private set; }
    public bool IsPseudonymised { get; private set; }

    /// <summary>A personal link token for the candidate's own view (A7, S7).</summary>
    public string AccessToken { get; private set; } = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public string DisplayName => $"{FirstName} {LastName}";

    public void SetContact(string? email, string? phone)
    {
        if (email is { Length: > 0 } && !email.Contains('@', StringComparison.Ordinal)) throw new DomainException("L'adresse e-mail du candidat est invalide.");
        Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        Phone = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();
    }

    public void SetSituation(bool rqth, bool qpv, bool rural, bool minimumSocialBenefits, string? educationLevel, string? franceTravailId)
    {
        Rqth = rqth;
        Qpv = qpv;
        Rural = rural;
        MinimumSocialBenefits = minimumSocialBenefits;
        EducationLevel = educationLevel;
        FranceTravailId = franceTravailId;
    }

    /// <summary>Q3: "under 26" is computed at a given day, never stored.</summary>
    public bool IsUnder26(DateOnly on) => AgeOn(on) < 26;

    public int AgeOn(DateOnly on)
    {
        var age = on.Year - BirthDate.Year;
        if (BirthDate > on.AddYears(-age)) age--;
        return age;
    }

    public void Touch(DateTimeOffset now) => LastActivityAt = now;
}
