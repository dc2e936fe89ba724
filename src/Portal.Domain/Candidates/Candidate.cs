using Portal.Domain.Common;

namespace Portal.Domain.Candidates;

/// <summary>A job seeker (A7) followed by a prescriber organisation. RQTH is sensitive: reads are logged.</summary>
public sealed class Candidate : Entity
{
    private Candidate() { }

    /// <summary>Issue #15 (5): the longest name, e-mail, phone, France Travail id and education level a candidate keeps.</summary>
    public const int MaxNameLength = 100, MaxEmailLength = 254, MaxPhoneLength = 30, MaxFranceTravailIdLength = 20, MaxEducationLevelLength = 100;

    public Candidate(Guid organisationId, Guid referentUserId, string firstName, string lastName, DateOnly birthDate,
        string communeInsee, DateTimeOffset now)
    {
        OrganisationId = organisationId;
        ReferentUserId = referentUserId;
        SetIdentity(firstName, lastName, birthDate, communeInsee, now);
        CreatedAt = now;
    }

    /// <summary>Identity and residence, on creation and when the prescriber corrects them.</summary>
    public void SetIdentity(string firstName, string lastName, DateOnly birthDate, string communeInsee, DateTimeOffset now)
    {
        EnsureNotPseudonymised();
        if (string.IsNullOrWhiteSpace(firstName)) throw new DomainException("Le prénom est obligatoire.");
        if (string.IsNullOrWhiteSpace(lastName)) throw new DomainException("Le nom est obligatoire.");
        if (birthDate > Offer.TrainingSession.Today(now)) throw new DomainException("La date de naissance ne peut pas être dans le futur.");
        if (string.IsNullOrWhiteSpace(communeInsee)) throw new DomainException("La commune de résidence est obligatoire.");
        TextLimit.Ensure(firstName, MaxNameLength, "Le prénom");
        TextLimit.Ensure(lastName, MaxNameLength, "Le nom");
        FirstName = firstName.Trim();
        LastName = lastName.Trim();
        BirthDate = birthDate;
        CommuneInsee = communeInsee.Trim();
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

    /// <summary>Issue #14 (4), ADR 0025: when the candidate was pseudonymised (retention job or erasure on request).</summary>
    public DateTimeOffset? PseudonymisedAt { get; private set; }

    /// <summary>Issue #14 (4), ADR 0025: the names a pseudonymised candidate keeps, so that every list reads "Candidat anonymisé".</summary>
    public const string PseudonymisedFirstName = "Candidat", PseudonymisedLastName = "anonymisé";

    public const string PseudonymisedName = PseudonymisedFirstName + " " + PseudonymisedLastName;

    /// <summary>Issue #14 (4), ADR 0025: what replaces a filled free-text field of a pseudonymised candidate (an empty one stays empty).</summary>
    public const string ErasedText = "[effacé]";

    /// <summary>The name as the lists write it, "NOM Prénom", or "Candidat anonymisé" (ADR 0025).</summary>
    public static string FormalName(bool pseudonymised, string firstName, string lastName) =>
        pseudonymised ? PseudonymisedName : $"{lastName.ToUpperInvariant()} {firstName}";

    /// <summary>Issue #14 (4): a pseudonymised candidate's data are no longer changed, and nobody prescribes for them.</summary>
    public void EnsureNotPseudonymised()
    {
        if (IsPseudonymised)
            throw new DomainException("Ce candidat a été anonymisé (données personnelles effacées) : il ne peut plus être modifié ni prescrit.");
    }

    /// <summary>
    /// P6: bumped each time a choice is taken, as an optimistic concurrency token, so that two prescribers
    /// racing for the candidate's last free choice cannot both win.
    /// </summary>
    public int ChoicesVersion { get; private set; }

    public string DisplayName => IsPseudonymised ? PseudonymisedName : $"{FirstName} {LastName}";

    public void SetContact(string? email, string? phone)
    {
        EnsureNotPseudonymised();
        if (email is { Length: > 0 } && !email.Contains('@', StringComparison.Ordinal)) throw new DomainException("L'adresse e-mail du candidat est invalide.");
        TextLimit.Ensure(email, MaxEmailLength, "L'adresse e-mail");
        TextLimit.Ensure(phone, MaxPhoneLength, "Le téléphone");
        Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        Phone = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();
    }

    public void SetSituation(bool rqth, bool qpv, bool rural, bool minimumSocialBenefits, string? educationLevel, string? franceTravailId)
    {
        EnsureNotPseudonymised();
        TextLimit.Ensure(educationLevel, MaxEducationLevelLength, "Le niveau de formation");
        TextLimit.Ensure(franceTravailId, MaxFranceTravailIdLength, "L'identifiant France Travail");
        Rqth = rqth;
        Qpv = qpv;
        Rural = rural;
        MinimumSocialBenefits = minimumSocialBenefits;
        EducationLevel = educationLevel;
        FranceTravailId = franceTravailId;
    }

    /// <summary>Q3: the ROME code of the candidate's professional project (the need the access observatory compares with the offer).</summary>
    public string? ProjectRomeCode { get; private set; }

    public void SetProject(string? romeCode)
    {
        EnsureNotPseudonymised();
        var code = romeCode?.Trim().ToUpperInvariant();
        if (code is { Length: > 0 } && !System.Text.RegularExpressions.Regex.IsMatch(code, "^[A-N][0-9]{4}$"))
            throw new DomainException("Le métier visé doit être un code ROME (une lettre et quatre chiffres, par exemple K2204).");
        ProjectRomeCode = string.IsNullOrEmpty(code) ? null : code;
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

    /// <summary>
    /// P6: takes one of the candidate's three choices, given the ranks of the active ones; returns the rank
    /// to give (the one asked for when it is free, else the first free one). Refused when all three are taken.
    /// </summary>
    public int TakeChoice(IReadOnlyCollection<int> activeRanks, int? wantedRank, DateTimeOffset now)
    {
        EnsureNotPseudonymised();
        if (activeRanks.Count >= Prescriptions.Prescription.MaxActiveChoices)
            throw new DomainException(
                $"{DisplayName} a déjà trois choix de formation en cours : annulez-en un avant d'en ajouter un autre (au plus trois choix par candidat).", "P6");
        var free = Enumerable.Range(1, Prescriptions.Prescription.MaxActiveChoices).Except(activeRanks).ToList();
        int rank;
        if (wantedRank is { } wanted)
        {
            if (!free.Contains(wanted)) throw new DomainException($"Le choix n° {wanted} est déjà pris : choisissez le rang {string.Join(" ou ", free)}.", "P6");
            rank = wanted;
        }
        else
        {
            rank = free[0];
        }
        ChoicesVersion++;
        LastActivityAt = now;
        return rank;
    }
}
