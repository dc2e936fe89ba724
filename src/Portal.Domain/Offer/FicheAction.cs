using Portal.Domain.Common;

namespace Portal.Domain.Offer;

/// <summary>
/// The training body's description of an action (O2). Draft → Submitted → Validated, or Submitted →
/// Returned (with the Région's comment) → Submitted again. Only a validated fiche is published.
/// </summary>
public sealed class FicheAction : Entity
{
    private FicheAction() { }

    private readonly List<FicheActionVersion> _versions = [];

    public FicheAction(Guid organisationId, string title, EntryMode entryMode, DateTimeOffset now)
    {
        OrganisationId = organisationId;
        Title = RequireTitle(title);
        EntryMode = entryMode;
        Status = FicheStatus.Draft;
        CreatedAt = now;
        UpdatedAt = now;
        RefreshSearchText();
    }

    public Guid OrganisationId { get; private set; }
    public string Title { get; private set; } = "";
    public string Objectives { get; private set; } = "";
    public string Content { get; private set; } = "";
    public string Prerequisites { get; private set; } = "";
    public string AdmissionConditions { get; private set; } = "";
    public string SelectionModalities { get; private set; } = "";

    /// <summary>P1: débouchés: the jobs the training leads to and the job prospects, as the prescriber explains them.</summary>
    public string JobProspects { get; private set; } = "";

    /// <summary>P1: suites de parcours: what the candidate can do next (further training, certification blocks, employment).</summary>
    public string FollowOnPaths { get; private set; } = "";

    /// <summary>S12: each criterion a separate line, so a refusal can cite one.</summary>
    public List<string> SelectionCriteria { get; private set; } = [];

    /// <summary>ROME v3 codes of the target jobs.</summary>
    public List<string> RomeCodes { get; private set; } = [];

    public string? CertificationRncp { get; private set; }

    /// <summary>Level of the certification (e.g. "Niveau 3 (CAP, BEP)").</summary>
    public string? CertificationLevel { get; private set; }

    public string ExpectedResults { get; private set; } = "";
    public string TargetPublic { get; private set; } = "";

    /// <summary>Accessibility for disabled people (PRODUCT: public catalogue).</summary>
    public string Accessibility { get; private set; } = "";

    public string ContactName { get; private set; } = "";
    public string ContactEmail { get; private set; } = "";
    public string ContactPhone { get; private set; } = "";

    /// <summary>INSEE codes of the communes where the training takes place.</summary>
    public List<string> TrainingPlaces { get; private set; } = [];

    /// <summary>The identifier in the source system (LHEO `numero` of the action), for idempotent imports.</summary>
    public string? ExternalReference { get; private set; }

    /// <summary>Lower-case, accent-free words of the title, objectives, content and jobs: the catalogue searches it.</summary>
    public string SearchText { get; private set; } = "";

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Each submission is a version the Région can compare with the previous one (O2).</summary>
    public IReadOnlyList<FicheActionVersion> Versions => _versions;
    public EntryMode EntryMode { get; private set; }
    public int HoursInCentre { get; private set; }
    public int HoursInCompany { get; private set; }
    public FicheStatus Status { get; private set; }
    public string? RegionComment { get; private set; }
    public int Version { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SubmittedAt { get; private set; }
    public DateTimeOffset? ValidatedAt { get; private set; }

    public bool IsPublished => Status == FicheStatus.Validated;

    /// <summary>Issue #15 (5): the longest title, and the longest descriptive text (LHEO's own limit is 3,000).</summary>
    public const int MaxTitleLength = 300, MaxTextLength = 4000, MaxShortTextLength = 200, MaxEmailLength = 254,
        MaxPhoneLength = 30, MaxReferenceLength = 255, MaxCommentLength = 2000;

    public void Rename(string title, EntryMode entryMode)
    {
        EnsureEditable();
        Title = RequireTitle(title);
        EntryMode = entryMode;
        RefreshSearchText();
    }

    /// <summary>The fields prescribers and the public read beyond the mandatory ones of O2.</summary>
    public void DescribeDetails(string expectedResults, string targetPublic, string accessibility, string? certificationLevel,
        string contactName, string contactEmail, string contactPhone, IEnumerable<string> trainingPlaces)
    {
        EnsureEditable();
        if (contactEmail is { Length: > 0 } && !contactEmail.Contains('@', StringComparison.Ordinal))
            throw new DomainException("L'adresse e-mail du contact est invalide.", "O2");
        TextLimit.Ensure(expectedResults, MaxTextLength, "Les résultats attendus");
        TextLimit.Ensure(targetPublic, MaxTextLength, "Le public visé");
        TextLimit.Ensure(accessibility, MaxTextLength, "L'accessibilité");
        TextLimit.Ensure(certificationLevel, MaxShortTextLength, "Le niveau de certification");
        TextLimit.Ensure(contactName, MaxShortTextLength, "Le nom du contact");
        TextLimit.Ensure(contactEmail, MaxEmailLength, "L'adresse e-mail du contact");
        TextLimit.Ensure(contactPhone, MaxPhoneLength, "Le téléphone du contact");
        ExpectedResults = expectedResults.Trim();
        TargetPublic = targetPublic.Trim();
        Accessibility = accessibility.Trim();
        CertificationLevel = string.IsNullOrWhiteSpace(certificationLevel) ? null : certificationLevel.Trim();
        ContactName = contactName.Trim();
        ContactEmail = contactEmail.Trim();
        ContactPhone = contactPhone.Trim();
        TrainingPlaces = [.. trainingPlaces.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct()];
    }

    /// <summary>P1: débouchés and suites de parcours, which the prescriber tells the candidate about before prescribing.</summary>
    public void DescribeOutcomes(string jobProspects, string followOnPaths)
    {
        EnsureEditable();
        TextLimit.Ensure(jobProspects, MaxTextLength, "Les débouchés");
        TextLimit.Ensure(followOnPaths, MaxTextLength, "Les suites de parcours");
        JobProspects = jobProspects.Trim();
        FollowOnPaths = followOnPaths.Trim();
    }

    /// <summary>Marks the fiche as coming from an external offer (LHEO import), for idempotent re-imports.</summary>
    public void LinkExternal(string reference)
    {
        TextLimit.Ensure(reference, MaxReferenceLength, "La référence externe");
        ExternalReference = string.IsNullOrWhiteSpace(reference) ? null : reference.Trim();
    }

    public void Describe(string objectives, string content, string prerequisites, string admissionConditions,
        string selectionModalities, IEnumerable<string> selectionCriteria, IEnumerable<string> romeCodes,
        int hoursInCentre, int hoursInCompany, string? certificationRncp = null)
    {
        EnsureEditable();
        if (hoursInCentre < 0 || hoursInCompany < 0) throw new DomainException("Les durées ne peuvent pas être négatives.", "O2");
        TextLimit.Ensure(objectives, MaxTextLength, "Les objectifs");
        TextLimit.Ensure(content, MaxTextLength, "Le contenu");
        TextLimit.Ensure(prerequisites, MaxTextLength, "Les prérequis");
        TextLimit.Ensure(admissionConditions, MaxTextLength, "Les conditions d'admission");
        TextLimit.Ensure(selectionModalities, MaxTextLength, "Les modalités de sélection");
        TextLimit.Ensure(certificationRncp, MaxShortTextLength, "La certification RNCP");
        Objectives = objectives.Trim();
        Content = content.Trim();
        Prerequisites = prerequisites.Trim();
        AdmissionConditions = admissionConditions.Trim();
        SelectionModalities = selectionModalities.Trim();
        SelectionCriteria = [.. selectionCriteria.Select(c => c.Trim()).Where(c => c.Length > 0)];
        RomeCodes = [.. romeCodes.Select(c => c.Trim().ToUpperInvariant()).Where(c => c.Length > 0).Distinct()];
        HoursInCentre = hoursInCentre;
        HoursInCompany = hoursInCompany;
        CertificationRncp = certificationRncp;
        RefreshSearchText();
    }

    /// <summary>The mandatory fields of O2 that are still empty, in French.</summary>
    public IReadOnlyList<string> MissingMandatoryFields()
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(Objectives)) missing.Add("objectifs");
        if (string.IsNullOrWhiteSpace(Content)) missing.Add("contenu");
        if (string.IsNullOrWhiteSpace(Prerequisites)) missing.Add("prérequis");
        if (string.IsNullOrWhiteSpace(AdmissionConditions)) missing.Add("conditions d'admission");
        if (string.IsNullOrWhiteSpace(SelectionModalities)) missing.Add("modalités de sélection");
        if (SelectionCriteria.Count == 0) missing.Add("critères de sélection");
        if (RomeCodes.Count == 0) missing.Add("métiers visés (codes ROME)");
        if (HoursInCentre + HoursInCompany == 0) missing.Add("durée");
        return missing;
    }

    public void Submit(DateTimeOffset now)
    {
        if (Status is not (FicheStatus.Draft or FicheStatus.Returned))
            throw new DomainException($"Une fiche « {Status.Label()} » ne peut pas être soumise.", "O2");
        var missing = MissingMandatoryFields();
        if (missing.Count > 0)
            throw new DomainException($"Champs obligatoires manquants : {string.Join(", ", missing)}.", "O2");
        Status = FicheStatus.Submitted;
        SubmittedAt = now;
        UpdatedAt = now;
        Version++;
        _versions.Add(new FicheActionVersion(Id, Version, now, FicheSnapshot.Of(this)));
    }

    public void Validate(DateTimeOffset now)
    {
        if (Status != FicheStatus.Submitted)
            throw new DomainException($"Seule une fiche soumise peut être validée (elle est « {Status.Label()} »).", "O2");
        Status = FicheStatus.Validated;
        ValidatedAt = now;
        UpdatedAt = now;
        RegionComment = null;
    }

    public void Return(string comment, DateTimeOffset? now = null)
    {
        if (Status != FicheStatus.Submitted)
            throw new DomainException($"Seule une fiche soumise peut être renvoyée (elle est « {Status.Label()} »).", "O2");
        if (string.IsNullOrWhiteSpace(comment))
            throw new DomainException("Le renvoi d'une fiche exige un commentaire de la Région.", "O2");
        TextLimit.Ensure(comment, MaxCommentLength, "Le commentaire de la Région");
        Status = FicheStatus.Returned;
        RegionComment = comment.Trim();
        if (now is { } at) UpdatedAt = at;
    }

    /// <summary>Records when the OF last saved its edits (the "last update" of its list). Only while editable.</summary>
    public void MarkEdited(DateTimeOffset now)
    {
        EnsureEditable();
        UpdatedAt = now;
    }

    private static string RequireTitle(string title)
    {
        if (string.IsNullOrWhiteSpace(title)) throw new DomainException("L'intitulé de la fiche action est obligatoire.", "O2");
        TextLimit.Ensure(title, MaxTitleLength, "L'intitulé de la fiche action");
        return title.Trim();
    }

    private void RefreshSearchText() =>
        SearchText = TextSearch.Normalize(string.Join(' ', [Title, Objectives, Content, .. RomeCodes]));

    private void EnsureEditable()
    {
        if (Status is FicheStatus.Submitted or FicheStatus.Validated)
            throw new DomainException($"Une fiche « {Status.Label()} » ne peut plus être modifiée.", "O2");
    }
}
