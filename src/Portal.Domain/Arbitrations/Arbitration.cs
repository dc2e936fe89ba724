using Portal.Domain.Common;
using Portal.Domain.Prescriptions;

namespace Portal.Domain.Arbitrations;

/// <summary>Which party of a prescription speaks: its prescriber or the training body (OF) of its session.</summary>
public enum ArbitrationSide
{
    Prescriber = 1,
    TrainingBody = 2,
}

public enum ArbitrationStatus
{
    Open = 0,
    Decided = 1,
}

public enum ArbitrationOutcome
{
    /// <summary>The decision contested stands.</summary>
    Upheld = 1,

    /// <summary>The decision is replaced by the arbitrator's (applied to the prescription).</summary>
    Overturned = 2,

    /// <summary>Another outcome, said in words (a new interview, a mediation...).</summary>
    Other = 3,
}

/// <summary>
/// S10: a disagreement between a prescriber and an OF on one prescription, arbitrated by the MFE of the
/// session's territory (the Région where no MFE is set). Each party writes its argument; the arbitrator
/// decides once. At most one open case per prescription.
/// </summary>
public sealed class Arbitration : Entity
{
    public const int MaxArgumentLength = 4000;

    private Arbitration() { }

    public Arbitration(Guid prescriptionId, PrescriptionStatus contestedStatus, ArbitrationSide openedBySide, Guid openedByUserId,
        string argument, Guid assignedOrganisationId, DateTimeOffset now)
    {
        if (!Enum.IsDefined(openedBySide)) throw new DomainException("Partie inconnue.", "S10");
        PrescriptionId = prescriptionId;
        ContestedStatus = contestedStatus;
        OpenedBySide = openedBySide;
        OpenedByUserId = openedByUserId;
        OpenedAt = now;
        AssignedOrganisationId = assignedOrganisationId;
        Status = ArbitrationStatus.Open;
        SetArgument(openedBySide, argument);
    }

    public Guid PrescriptionId { get; private set; }

    /// <summary>The prescription's status when the case was opened (the decision contested).</summary>
    public PrescriptionStatus ContestedStatus { get; private set; }

    public ArbitrationSide OpenedBySide { get; private set; }
    public Guid OpenedByUserId { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }

    /// <summary>The MFE of the session's territory, or the Région where no MFE is set (S10).</summary>
    public Guid AssignedOrganisationId { get; private set; }

    public string? PrescriberArgument { get; private set; }
    public string? TrainingBodyArgument { get; private set; }
    public ArbitrationStatus Status { get; private set; }
    public ArbitrationOutcome? Outcome { get; private set; }

    /// <summary>With <see cref="ArbitrationOutcome.Overturned"/>: the decision applied to the prescription.</summary>
    public PrescriptionStatus? NewDecision { get; private set; }

    /// <summary>The arbitrator's explanation (mandatory for an "other" outcome).</summary>
    public string? OutcomeText { get; private set; }

    public Guid? DecidedByUserId { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }

    public bool IsOpen => Status == ArbitrationStatus.Open;

    /// <summary>The other party adds (or rewrites) its argument while the case is open.</summary>
    public void Argue(ArbitrationSide side, string argument)
    {
        if (!IsOpen) throw new DomainException("L'arbitrage est déjà rendu : les arguments ne peuvent plus changer.", "S10");
        SetArgument(side, argument);
    }

    /// <summary>
    /// S10: an undecided case follows its territory to the MFE that now covers it (a decided case keeps its arbitrator).
    /// </summary>
    public void Reassign(Guid organisationId)
    {
        if (!IsOpen) throw new DomainException("Un arbitrage rendu garde son arbitre.", "S10");
        AssignedOrganisationId = organisationId;
    }

    /// <summary>
    /// The arbitrator's decision. An overturn must name the new decision, which the caller applies to the
    /// prescription (<see cref="Prescription.ApplyArbitration"/>); an "other" outcome must say what in words.
    /// </summary>
    public void Decide(ArbitrationOutcome outcome, PrescriptionStatus? newDecision, string? text, Guid by, DateTimeOffset now)
    {
        if (!IsOpen) throw new DomainException("Cet arbitrage a déjà été rendu.", "S10");
        if (!Enum.IsDefined(outcome)) throw new DomainException("Choisissez l'issue de l'arbitrage.", "S10");
        text = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (text is { Length: > MaxArgumentLength }) throw new DomainException($"L'explication dépasse {MaxArgumentLength} caractères.", "S10");
        switch (outcome)
        {
            case ArbitrationOutcome.Overturned when newDecision is null:
                throw new DomainException("Indiquez la nouvelle décision qui remplace celle qui est contestée.", "S10");
            case ArbitrationOutcome.Overturned when newDecision == ContestedStatus:
                throw new DomainException("La nouvelle décision doit être différente de la décision contestée.", "S10");
            case ArbitrationOutcome.Other when text is null:
                throw new DomainException("Décrivez l'issue retenue.", "S10");
        }
        Outcome = outcome;
        NewDecision = outcome == ArbitrationOutcome.Overturned ? newDecision : null;
        OutcomeText = text;
        DecidedByUserId = by;
        DecidedAt = now;
        Status = ArbitrationStatus.Decided;
    }

    private void SetArgument(ArbitrationSide side, string argument)
    {
        var text = argument?.Trim();
        if (string.IsNullOrEmpty(text)) throw new DomainException("Exposez votre argument : il est transmis à l'arbitre.", "S10");
        if (text.Length > MaxArgumentLength) throw new DomainException($"L'argument dépasse {MaxArgumentLength} caractères.", "S10");
        if (side == ArbitrationSide.Prescriber) PrescriberArgument = text;
        else TrainingBodyArgument = text;
    }
}
