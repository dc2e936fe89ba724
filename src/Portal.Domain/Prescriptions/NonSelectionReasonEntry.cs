using Portal.Domain.Common;

namespace Portal.Domain.Prescriptions;

/// <summary>
/// Issue #14 (3), ADR 0026: one reason of the reference list of non-selection reasons, kept up to date by the
/// administrator from a file. Its <see cref="Kind"/> carries the charter's rules (S5: a justified absence is never the
/// only reason; S7: prerequisites and "other" need their precision) and the observatory's grouping; its
/// <see cref="Label"/> is what the OF picks and what the prescriber and the candidate read. An inactive reason is no
/// longer offered, but the decisions that gave it still show it.
/// </summary>
public sealed class NonSelectionReasonEntry
{
    public const int MaxCodeLength = 20;
    public const int MaxLabelLength = 200;

    private NonSelectionReasonEntry() { }

    public NonSelectionReasonEntry(string code, string label, NonSelectionReasonKind kind, bool active, int displayOrder)
    {
        Code = code;
        Update(label, kind, active, displayOrder);
    }

    /// <summary>The code (upper case, up to <see cref="MaxCodeLength"/> characters) that decisions store.</summary>
    public string Code { get; private set; } = "";

    public string Label { get; private set; } = "";

    public NonSelectionReasonKind Kind { get; private set; }

    /// <summary>Offered on the decision screens (an inactive reason stays readable on the decisions that gave it).</summary>
    public bool Active { get; private set; }

    /// <summary>The reason's place on the decision screens (the line of the last file that listed it).</summary>
    public int DisplayOrder { get; private set; }

    public void Update(string label, NonSelectionReasonKind kind, bool active, int displayOrder)
    {
        if (string.IsNullOrWhiteSpace(Code)) throw new DomainException("Le code du motif est obligatoire.", "S7");
        TextLimit.Ensure(Code, MaxCodeLength, "Le code du motif");
        if (string.IsNullOrWhiteSpace(label)) throw new DomainException("Le libellé du motif est obligatoire.", "S7");
        TextLimit.Ensure(label, MaxLabelLength, "Le libellé du motif");
        if (!Enum.IsDefined(kind)) throw new DomainException("Catégorie de motif inconnue.", "S7");
        Label = label.Trim();
        Kind = kind;
        Active = active;
        DisplayOrder = displayOrder;
    }

    /// <summary>
    /// The list as first installed: one reason per kind, with the labels the portal used before the list existed, so
    /// that nothing existing changes (the migration gives every older decision its kind's code).
    /// </summary>
    public static readonly IReadOnlyList<(string Code, NonSelectionReasonKind Kind)> Seed =
    [
        ("PREREQUIS", NonSelectionReasonKind.PrerequisitesNotMet),
        ("PROJET", NonSelectionReasonKind.ProjectNotValidated),
        ("INDISPONIBLE", NonSelectionReasonKind.Unavailable),
        ("INJOIGNABLE", NonSelectionReasonKind.NotReachable),
        ("COMPLET", NonSelectionReasonKind.SessionFull),
        ("ABSENCE_IC", NonSelectionReasonKind.AbsentFromInfoSession),
        ("AUTRE", NonSelectionReasonKind.Other),
    ];

    /// <summary>The seeded code of a kind (the code older decisions were given).</summary>
    public static string SeedCode(NonSelectionReasonKind kind) => Seed.First(s => s.Kind == kind).Code;
}
