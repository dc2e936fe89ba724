namespace Portal.Application.Features.Observatory;

/// <summary>
/// Q1, Q2: the quality reference frame, the indicators followed per actor, each with the Région's threshold (defaults
/// here). A share is below its threshold when smaller; a delay when larger.
/// </summary>
public static class QualityIndicators
{
    public sealed record Indicator(string Key, string Label, string Rule, bool IsDelay, double DefaultThreshold);

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
        new(CompleteForms, "Fiches de prescription complètes (%)", "P7", false, 100),
        new(ConvocationDelay, "Délai prescription → convocation (jours, moyenne)", "S3", true, 21),
        new(ConvocationNotice, "Convocations envoyées au moins 7 jours avant (%)", "S3", false, 95),
        new(DecisionDelay, "Délai information collective → décision (jours, moyenne)", "Q1", true, 10),
        new(ExplicitReasons, "Non-sélections motivées explicitement (%)", "S7", false, 100),
        new(Undecided, "Candidats sans décision passé le délai d'alerte (%)", "Q2", true, 5),
        new(ComplementsAnswered, "Fiches complément répondues avant l'information collective (%)", "P8", false, 90),
    ];

    /// <summary>Whether <paramref name="value"/> misses the threshold (null values never do).</summary>
    public static bool Misses(Indicator indicator, double? value, double threshold) =>
        value is { } v && (indicator.IsDelay ? v > threshold : v < threshold);
}
