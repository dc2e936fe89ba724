namespace Portal.Application.Features.Observatory;

/// <summary>
/// Q1, Q2: the quality reference frame, the indicators followed per actor, each with the Région's threshold (defaults
/// here). A share is below its threshold when smaller; a delay when larger.
/// </summary>
public static class QualityIndicators
{
    /// <summary>Whose alert a missed threshold raises (Q2): the OF, the prescriber organisation, or nobody's.</summary>
    public enum Responsible { TrainingBody, Prescriber, None }

    public sealed record Indicator(string Key, string Label, string Rule, bool IsDelay, double DefaultThreshold, Responsible AlertsOn)
    {
        /// <summary>The label without its unit, for a sentence (e.g. an alert's message).</summary>
        public string Subject => Label.Split(" (", 2)[0];
    }

    public const string CompleteForms = "fiches-completes";
    public const string ConvocationDelay = "delai-convocation";
    public const string ConvocationNotice = "preavis-convocation";
    public const string DecisionDelay = "delai-decision";
    public const string ExplicitReasons = "motifs-explicites";
    public const string Undecided = "sans-decision";
    public const string ComplementsAnswered = "complements-repondus";

    /// <summary>
    /// Q2: after how many days past its info session a candidate without a decision counts as "left without one" and
    /// raises the OF's alert: a setting of the Région (stored like a threshold under <see cref="UndecidedDaysSetting"/>), 15 by default.
    /// </summary>
    public const int UndecidedAfterDays = 15;

    public const string UndecidedDaysSetting = "jours-sans-decision";

    public const string UndecidedDaysLabel = "Délai d'alerte « candidats sans décision » (jours après l'information collective)";

    public static readonly IReadOnlyList<Indicator> All =
    [
        new(CompleteForms, "Fiches de prescription complètes (%)", "P7", false, 100, Responsible.Prescriber),
        new(ConvocationDelay, "Délai prescription → convocation (jours, moyenne)", "S3", true, 21, Responsible.TrainingBody),
        new(ConvocationNotice, "Convocations envoyées au moins 7 jours avant (%)", "S3", false, 95, Responsible.TrainingBody),
        new(DecisionDelay, "Délai information collective → décision (jours, moyenne)", "Q1", true, 10, Responsible.TrainingBody),
        new(ExplicitReasons, "Non-sélections motivées explicitement (%)", "S7", false, 100, Responsible.TrainingBody),
        // Its own alert (the OF's candidates without a decision, by count) says it sooner and more precisely.
        new(Undecided, "Candidats sans décision passé le délai d'alerte (%)", "Q2", true, 5, Responsible.None),
        new(ComplementsAnswered, "Fiches complément répondues avant l'information collective (%)", "P8", false, 90, Responsible.TrainingBody),
    ];

    /// <summary>
    /// Q2: a threshold alert reads the prescriptions made over this many days up to the job's run (Paris days, today
    /// included), so that an alert reflects current practice and disappears once it is corrected.
    /// </summary>
    public const int AlertWindowDays = 90;

    /// <summary>
    /// Q2: below this many cases (the indicator's own base, e.g. the non-selections for S7), a value is too fragile
    /// to raise an alert (the same minimum as the masking of small cells).
    /// </summary>
    public const int AlertMinimumCases = Cell.MinimumCount;

    /// <summary>Whether <paramref name="value"/> misses the threshold (null values never do).</summary>
    public static bool Misses(Indicator indicator, double? value, double threshold) =>
        value is { } v && (indicator.IsDelay ? v > threshold : v < threshold);
}
