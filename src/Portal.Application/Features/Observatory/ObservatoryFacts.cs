namespace Portal.Application.Features.Observatory;

/// <summary>
/// Q1, Q3, Q4 at scale (ADR 0011): facts stored on each prescription row so that the observatories are GROUP BYs over
/// one indexed table, without a join per prescription. They are shadow columns of <c>Prescriptions</c> (not part of the
/// domain), written only by the database's triggers (<c>ObservatoryFactsSql</c> in the infrastructure), whatever the
/// write path (handlers, set-based jobs, raw SQL), and backfilled at start-up for rows written before the triggers.
/// Exact at every commit: no refresh, no staleness.
/// </summary>
public static class ObservatoryFacts
{
    /// <summary>Q3: the candidate's situations, bits <see cref="Rqth"/>, <see cref="Qpv"/>, <see cref="Rural"/>, <see cref="Minima"/> (kept equal to the candidate's).</summary>
    public const string Situation = "ObsSituation";

    public const int Rqth = 1;
    public const int Qpv = 2;
    public const int Rural = 4;
    public const int Minima = 8;

    /// <summary>Q3: the candidate's birth date (for "under 26 on the first day of the period").</summary>
    public const string BirthDate = "ObsBirthDate";

    /// <summary>Q3: the département of the candidate's commune of residence.</summary>
    public const string ResidenceDepartement = "ObsResidenceDepartement";

    /// <summary>Q3: the département of the session's training place (the territory filter).</summary>
    public const string PlaceDepartement = "ObsPlaceDepartement";

    /// <summary>Q3: the haversine distance in km from the candidate's commune to the training place (<see cref="Distance"/>); null if a commune is unknown.</summary>
    public const string JourneyKm = "JourneyKm";

    /// <summary>Q3: the index of the journey's band in <see cref="Distance.Bands"/>, −1 without a distance.</summary>
    public const string JourneyBand = "JourneyBand";

    /// <summary>Q3: 1 once the history holds a move to Selected (even if the candidate withdrew afterwards).</summary>
    public const string EverSelected = "EverSelected";

    /// <summary>Q1: the instant of the first decision (selected, waitlisted or not selected) in the history.</summary>
    public const string FirstDecisionAt = "FirstDecisionAt";

    /// <summary>Q1 (P7): 1 when every mandatory field of the form is filled.</summary>
    public const string FormComplete = "FormComplete";

    /// <summary>Q1 (S7): 1 when structured reasons and both explanations (candidate, prescriber) are given.</summary>
    public const string Explained = "Explained";

    /// <summary>Q3 needs: the job (ROME code) of the candidate's project, if any (kept equal to the candidate's).</summary>
    public const string ProjectRome = "ObsProjectRome";

    /// <summary>Q3 needs: 1 when the session's action is positioned on the candidate's project's job (its ROME codes include it).</summary>
    public const string ProjectMatchesAction = "ProjectMatchesAction";

    /// <summary>Q3 (S7): the reasons for non-selection given, one bit per <c>NonSelectionReasonKind</c> (1 &lt;&lt; kind).</summary>
    public const string ReasonKinds = "ReasonKinds";
}
