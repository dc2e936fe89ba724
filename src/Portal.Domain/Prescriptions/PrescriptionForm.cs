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

    public static DomainException Invalid(IReadOnlyList<string> missing) =>
        new($"Champs obligatoires manquants : {string.Join(", ", missing)}.", "P7");
}
