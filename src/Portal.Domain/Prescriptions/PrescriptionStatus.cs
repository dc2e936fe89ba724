namespace Portal.Domain.Prescriptions;

public enum PrescriptionStatus
{
    Submitted = 0,
    Convoked = 1,
    Attended = 2,
    AbsentJustified = 3,
    AbsentUnjustified = 4,
    Selected = 5,
    Waitlisted = 6,
    NotSelected = 7,
    Entered = 8,
    Cancelled = 9,
    Withdrawn = 10,
    Expired = 11,
    SessionCancelled = 12,

    /// <summary>O9, S1: a freed place the OF offered to the first of the waiting list, awaiting the candidate's answer by a deadline.</summary>
    PlaceOffered = 13,
}

public static class PrescriptionLifecycle
{
    private static readonly Dictionary<PrescriptionStatus, PrescriptionStatus[]> Allowed = new()
    {
        [PrescriptionStatus.Submitted] = [PrescriptionStatus.Convoked],
        [PrescriptionStatus.Convoked] = [PrescriptionStatus.Attended, PrescriptionStatus.AbsentJustified, PrescriptionStatus.AbsentUnjustified],
        [PrescriptionStatus.Attended] = [PrescriptionStatus.Selected, PrescriptionStatus.Waitlisted, PrescriptionStatus.NotSelected],
        [PrescriptionStatus.AbsentJustified] = [PrescriptionStatus.Convoked, PrescriptionStatus.Selected, PrescriptionStatus.Waitlisted, PrescriptionStatus.NotSelected],
        [PrescriptionStatus.AbsentUnjustified] = [PrescriptionStatus.AbsentJustified, PrescriptionStatus.Selected, PrescriptionStatus.Waitlisted, PrescriptionStatus.NotSelected],
        [PrescriptionStatus.Waitlisted] = [PrescriptionStatus.Selected, PrescriptionStatus.NotSelected, PrescriptionStatus.PlaceOffered],
        // O9: the candidate accepts the offered place (declining is a withdrawal, no answer by the deadline an expiry: side exits).
        [PrescriptionStatus.PlaceOffered] = [PrescriptionStatus.Selected],
        [PrescriptionStatus.Selected] = [PrescriptionStatus.Entered, PrescriptionStatus.Waitlisted],
        [PrescriptionStatus.NotSelected] = [],
        [PrescriptionStatus.Entered] = [],
        [PrescriptionStatus.Cancelled] = [],
        [PrescriptionStatus.Withdrawn] = [],
        [PrescriptionStatus.Expired] = [],
        [PrescriptionStatus.SessionCancelled] = [],
    };

    /// <summary>The decisions an arbitration (S10) may apply.</summary>
    public static readonly PrescriptionStatus[] Decisions = [PrescriptionStatus.Selected, PrescriptionStatus.Waitlisted, PrescriptionStatus.NotSelected];

    /// <summary>Moves only an arbitration may make (S10): reversing a non-selection, or a selection.</summary>
    private static readonly Dictionary<PrescriptionStatus, PrescriptionStatus[]> ArbitrationOnly = new()
    {
        [PrescriptionStatus.NotSelected] = [PrescriptionStatus.Selected, PrescriptionStatus.Waitlisted],
        [PrescriptionStatus.Selected] = [PrescriptionStatus.NotSelected],
    };

    /// <summary>S10: whether an arbitration may replace the prescription's decision by <paramref name="to"/>.</summary>
    public static bool CanArbitrate(PrescriptionStatus from, PrescriptionStatus to) =>
        from != to && Decisions.Contains(to)
        && (CanMove(from, to) || (ArbitrationOnly.TryGetValue(from, out var extra) && extra.Contains(to)));

    /// <summary>Statuses in which the prescription still holds one of the candidate's three choices (P6).</summary>
    public static readonly PrescriptionStatus[] Active =
    [
        PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Attended,
        PrescriptionStatus.AbsentJustified, PrescriptionStatus.AbsentUnjustified, PrescriptionStatus.Selected,
        PrescriptionStatus.Waitlisted, PrescriptionStatus.PlaceOffered,
    ];

    /// <summary>O8: the statuses that hold one of the session's places: open places = capacity − these − the places the OF keeps back.</summary>
    public static readonly PrescriptionStatus[] HoldingPlace = [PrescriptionStatus.Selected, PrescriptionStatus.PlaceOffered, PrescriptionStatus.Entered];

    public static bool HoldsPlace(this PrescriptionStatus status) => HoldingPlace.Contains(status);

    public static bool IsActive(this PrescriptionStatus status) => Active.Contains(status);

    public static bool IsFinal(this PrescriptionStatus status) => !status.IsActive();

    /// <summary>Main-path transitions (the side exits are allowed from every active status).</summary>
    public static bool CanMove(PrescriptionStatus from, PrescriptionStatus to) =>
        to is PrescriptionStatus.Cancelled or PrescriptionStatus.Withdrawn or PrescriptionStatus.Expired or PrescriptionStatus.SessionCancelled
            ? from.IsActive()
            : Allowed[from].Contains(to);
}
