using Portal.Domain.Common;

namespace Portal.Domain.Prescriptions;

/// <summary>The fiche de prescription (P3–P7), owned by a prescription.</summary>
public sealed record PrescriptionForm
{
    /// <summary>P7: acquis et parcours antérieur.</summary>
    public string PriorPath { get; init; } = "";

    /// <summary>P4, P7: how the training and/or professional project was validated, with which tools.</summary>
    public string ProjectValidation { get; init; } = "";

    /// <summary>P7: the candidate agreed to this prescription.</summary>
    public bool CandidateAgreement { get; init; }

    /// <summary>P7: material conditions (transport, childcare, income...).</summary>
    public string MaterialConditions { get; init; } = "";

    /// <summary>P7: feasibility of the project.</summary>
    public string Feasibility { get; init; } = "";

    /// <summary>P7: disabled-worker status was discussed (true/false), null when not filled.</summary>
    public bool? RqthDeclared { get; init; }

    /// <summary>P5: expectations and motivations.</summary>
    public string Motivations { get; init; } = "";

    /// <summary>P3: barriers and actions taken.</summary>
    public string Barriers { get; init; } = "";

    /// <summary>S12: the prescriber went through the prerequisites and selection criteria with the candidate.</summary>
    public bool CriteriaReviewed { get; init; }

    public IReadOnlyList<string> MissingMandatoryFields()
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(PriorPath)) missing.Add("acquis et parcours antérieur");
        if (string.IsNullOrWhiteSpace(ProjectValidation)) missing.Add("validation du projet");
        if (!CandidateAgreement) missing.Add("accord du candidat");
        if (string.IsNullOrWhiteSpace(MaterialConditions)) missing.Add("conditions matérielles");
        if (string.IsNullOrWhiteSpace(Feasibility)) missing.Add("faisabilité");
        if (RqthDeclared is null) missing.Add("statut travailleur handicapé (RQTH)");
        return missing;
    }

    /// <summary>Issue #15 (5): the longest text of each section of the fiche.</summary>
    public const int MaxTextLength = 4000;

    /// <summary>Refuses, in French, a section longer than <see cref="MaxTextLength"/> characters (P7).</summary>
    public void EnsureLengths()
    {
        foreach (var (text, label) in new[]
                 {
                     (PriorPath, "acquis et parcours antérieur"), (ProjectValidation, "validation du projet"), (MaterialConditions, "conditions matérielles"),
                     (Feasibility, "faisabilité"), (Motivations, "attentes et motivations"), (Barriers, "freins et actions engagées"),
                 })
            if (TextLimit.Message(text, MaxTextLength, $"La rubrique « {label} »") is { } message) throw new DomainException(message, "P7");
    }

    public static DomainException Invalid(IReadOnlyList<string> missing) =>
        new($"Champs obligatoires manquants : {string.Join(", ", missing)}.", "P7");
}
