using Portal.Domain.Common;

namespace Portal.Domain.Prescriptions;

/// <summary>The reference list of reasons for a non-selection (S7), learnt from the charter and real practice.</summary>
public enum NonSelectionReasonKind
{
    /// <summary>A prerequisite or selection criterion of the fiche action is not met (the detail names which, S12).</summary>
    PrerequisitesNotMet = 1,
    ProjectNotValidated = 2,
    Unavailable = 3,
    NotReachable = 4,
    SessionFull = 5,

    /// <summary>Absent from the information session: never the only reason when the absence was justified (S5).</summary>
    AbsentFromInfoSession = 6,
    Other = 7,
}

/// <summary>
/// One explicit reason of a non-selection (S7): a kind (the charter's rules, the observatory's grouping) and, where
/// needed, its detail; since ADR 0026 also the <see cref="Code"/> of the reason picked in the reference list
/// (<see cref="NonSelectionReasonEntry"/>), whose label is what the prescriber and the candidate read.
/// </summary>
public sealed record NonSelectionReason(NonSelectionReasonKind Kind, string? Detail = null, string? Code = null)
{
    /// <summary>
    /// The label of <see cref="Code"/> in the reference list, when the caller knows it (not stored: readers look the
    /// code up, so that a label corrected in the list reads corrected everywhere); null reads as the kind's label.
    /// </summary>
    public string? Label { get; init; }

    public static NonSelectionReason Prerequisite(string criterion) => new(NonSelectionReasonKind.PrerequisitesNotMet, criterion);

    public static NonSelectionReason OtherReason(string text) => new(NonSelectionReasonKind.Other, text);

    /// <summary>The reason in French, as the prescriber and the candidate read it.</summary>
    public string Text => Detail is { Length: > 0 } d ? $"{ShownLabel} : {d}" : ShownLabel;

    private string ShownLabel => string.IsNullOrWhiteSpace(Label) ? Kind.Label() : Label;

    /// <summary>Issue #15 (5): the longest precision of a reason.</summary>
    public const int MaxDetailLength = 1000;

    internal NonSelectionReason Checked()
    {
        if (!Enum.IsDefined(Kind)) throw new DomainException("Motif de non-sélection inconnu.", "S7");
        var detail = Detail?.Trim();
        if (Kind is NonSelectionReasonKind.PrerequisitesNotMet && string.IsNullOrEmpty(detail))
            throw new DomainException("Indiquez quel critère de sélection de la fiche action n'est pas rempli.", "S7");
        if (Kind is NonSelectionReasonKind.Other && string.IsNullOrEmpty(detail))
            throw new DomainException($"Le motif « {(string.IsNullOrWhiteSpace(Label) ? "Autre" : Label)} » doit être précisé.", "S7");
        TextLimit.Ensure(detail, MaxDetailLength, "La précision du motif");
        TextLimit.Ensure(Code, NonSelectionReasonEntry.MaxCodeLength, "Le code du motif");
        return this with { Detail = string.IsNullOrEmpty(detail) ? null : detail };
    }
}
