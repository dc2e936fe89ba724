namespace Portal.Domain.Offer;

/// <summary>A submitted version of a fiche action (O2): what the Région validated or returned.</summary>
public sealed class FicheActionVersion
{
    private FicheActionVersion() { }

    internal FicheActionVersion(Guid ficheActionId, int number, DateTimeOffset submittedAt, FicheSnapshot snapshot)
    {
        FicheActionId = ficheActionId;
        Number = number;
        SubmittedAt = submittedAt;
        Snapshot = snapshot;
    }

    public long Id { get; private set; }
    public Guid FicheActionId { get; private set; }
    public int Number { get; private set; }
    public DateTimeOffset SubmittedAt { get; private set; }
    public FicheSnapshot Snapshot { get; private set; } = null!;
}

/// <summary>The fields of a fiche at a submission, for the Région's comparison of versions.</summary>
public sealed record FicheSnapshot
{
    public string Title { get; init; } = "";
    public string Objectives { get; init; } = "";
    public string Content { get; init; } = "";
    public string Prerequisites { get; init; } = "";
    public string AdmissionConditions { get; init; } = "";
    public string SelectionModalities { get; init; } = "";
    public string SelectionCriteria { get; init; } = "";
    public string RomeCodes { get; init; } = "";
    public string EntryMode { get; init; } = "";
    public string Duration { get; init; } = "";
    public string ExpectedResults { get; init; } = "";
    public string TargetPublic { get; init; } = "";
    public string Accessibility { get; init; } = "";
    public string Certification { get; init; } = "";
    public string Contact { get; init; } = "";
    public string TrainingPlaces { get; init; } = "";
    public string JobProspects { get; init; } = "";
    public string FollowOnPaths { get; init; } = "";

    public static FicheSnapshot Of(FicheAction f) => new()
    {
        Title = f.Title,
        Objectives = f.Objectives,
        Content = f.Content,
        Prerequisites = f.Prerequisites,
        AdmissionConditions = f.AdmissionConditions,
        SelectionModalities = f.SelectionModalities,
        SelectionCriteria = string.Join("\n", f.SelectionCriteria),
        RomeCodes = string.Join(", ", f.RomeCodes),
        EntryMode = Common.Labels.Label(f.EntryMode),
        Duration = $"{f.HoursInCentre} h en centre, {f.HoursInCompany} h en entreprise",
        ExpectedResults = f.ExpectedResults,
        TargetPublic = f.TargetPublic,
        Accessibility = f.Accessibility,
        Certification = string.Join(" · ", new[] { f.CertificationRncp, f.CertificationLevel }.Where(x => !string.IsNullOrEmpty(x))),
        Contact = string.Join(" · ", new[] { f.ContactName, f.ContactEmail, f.ContactPhone }.Where(x => !string.IsNullOrEmpty(x))),
        TrainingPlaces = string.Join(", ", f.TrainingPlaces),
        JobProspects = f.JobProspects,
        FollowOnPaths = f.FollowOnPaths,
    };

    /// <summary>The fields that differ from <paramref name="previous"/>, with their French labels (O2: comparison of versions).</summary>
    public IReadOnlyList<(string Field, string Before, string After)> DiffFrom(FicheSnapshot? previous)
    {
        var fields = new (string Label, Func<FicheSnapshot, string> Get)[]
        {
            ("Intitulé", s => s.Title), ("Objectifs", s => s.Objectives), ("Contenu", s => s.Content),
            ("Prérequis", s => s.Prerequisites), ("Conditions d'admission", s => s.AdmissionConditions),
            ("Modalités de sélection", s => s.SelectionModalities), ("Critères de sélection", s => s.SelectionCriteria),
            ("Métiers visés (ROME)", s => s.RomeCodes), ("Mode d'entrée", s => s.EntryMode), ("Durée", s => s.Duration),
            ("Résultats attendus", s => s.ExpectedResults), ("Public visé", s => s.TargetPublic),
            ("Accessibilité", s => s.Accessibility), ("Certification", s => s.Certification),
            ("Contact", s => s.Contact), ("Lieux de formation", s => s.TrainingPlaces),
            ("Débouchés", s => s.JobProspects), ("Suites de parcours", s => s.FollowOnPaths),
        };
        return [.. fields
            .Select(f => (f.Label, Before: previous is null ? "" : f.Get(previous), After: f.Get(this)))
            .Where(f => f.Before != f.After)];
    }
}
