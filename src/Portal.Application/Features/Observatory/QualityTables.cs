using System.Globalization;
using Portal.Application.Export;
using Portal.Domain.Common;

namespace Portal.Application.Features.Observatory;

/// <summary>Q1: the quality observatory's tables (one per kind of actor, and the thresholds), shown and exported as they are shown.</summary>
public static class QualityTables
{
    public const string TrainingBodies = "organismes";
    public const string Prescribers = "prescripteurs";
    public const string Territories = "territoires";
    public const string Thresholds = "seuils";
    public const string Entries = "entrees-eos";
    public const string Conformities = "conformite";

    public static readonly IReadOnlyList<string> Keys = [Conformities, TrainingBodies, Prescribers, Territories, Entries, Thresholds];

    private static readonly CultureInfo Fr = CultureInfo.GetCultureInfo("fr-FR");

    public static string Value(QualityIndicators.Indicator indicator, double? value) =>
        value is not { } v ? "—" : indicator.IsDelay && indicator.Key != QualityIndicators.Undecided ? v.ToString("0.0", Fr) + " j" : AccessTables.Percent(v);

    private static (string Key, string Title, string Actor) Describe(GetQualityIndicators.ActorKind kind) => kind switch
    {
        GetQualityIndicators.ActorKind.TrainingBody => (TrainingBodies, "Par organisme de formation", "Organisme de formation"),
        GetQualityIndicators.ActorKind.Prescriber => (Prescribers, "Par structure prescriptrice", "Structure prescriptrice"),
        _ => (Territories, "Par territoire (de l'organisme de formation)", "Territoire"),
    };

    public static IReadOnlyList<ReportTable> From(GetQualityIndicators.Result r) =>
    [
        Conformity(Conformities, r),
        .. r.Tables.Select(t =>
        {
            var (key, title, actor) = Describe(t.Kind);
            return new ReportTable(key, title, [actor, "Prescriptions", .. QualityIndicators.All.Select(i => i.Label)],
                [.. t.Rows.Select(row => (IReadOnlyList<string>)[row.Actor, row.Prescriptions.ToString(Fr),
                    .. QualityIndicators.All.Select((i, n) => Value(i, row.Values[n]))])]);
        }),
        new(Entries, "Entrées en formation avec une prescription (S11, dernier import EOS de la période)",
            ["Import EOS", "Entrées déclarées dans EOS", "Sans prescription dans le portail", EntriesWithPrescription.Indicator.Label],
            r.Entries is { ImportedAt: { } at } e
                ? [[$"{e.FileName} ({FrenchTime.ToFrance(at):dd/MM/yyyy})", e.Declared.ToString(Fr), e.WithoutPrescription.ToString(Fr),
                    Value(EntriesWithPrescription.Indicator, e.Share)]]
                : []),
        new(Thresholds, "Seuils fixés par la Région", ["Indicateur", "Règle", "Seuil", "Alerte quand"],
            [.. QualityIndicators.All.Select((i, n) => (IReadOnlyList<string>)[i.Label, i.Rule, Value(i, r.Thresholds[n]),
                i.IsDelay ? "au-dessus du seuil" : "au-dessous du seuil"]),
                [EntriesWithPrescription.Indicator.Label, "S11", r.Entries is { } t ? Value(EntriesWithPrescription.Indicator, t.Threshold) : "—",
                    "au-dessous du seuil (marqué, sans alerte : l'écart se lit dans « Cohérence EOS »)"],
                [QualityIndicators.UndecidedDaysLabel, "Q2", r.UndecidedDays.ToString(Fr) + " j", "un candidat reste sans décision au-delà"]]),
    ];

    /// <summary>
    /// Q4 axis 1, conformity with the charter: per indicator, its threshold and how many OFs and prescriber
    /// organisations meet it among those it could be measured for (at least one case), and S11 region-wide.
    /// </summary>
    public static ReportTable Conformity(string key, GetQualityIndicators.Result r)
    {
        string Meeting(GetQualityIndicators.ActorKind kind, int n) =>
            ActorsMeeting(r, kind, n) is var (meet, measured) && measured > 0 ? $"{meet.ToString(Fr)} / {measured.ToString(Fr)}" : "—";
        return new ReportTable(key, "Conformité à la charte : acteurs qui atteignent le seuil de chaque indicateur de qualité",
            ["Indicateur", "Règle", "Seuil", "Organismes de formation au seuil", "Structures prescriptrices au seuil"],
            [
                .. QualityIndicators.All.Select((i, n) => (IReadOnlyList<string>)[i.Label, i.Rule, Value(i, r.Thresholds[n]),
                    Meeting(GetQualityIndicators.ActorKind.TrainingBody, n), Meeting(GetQualityIndicators.ActorKind.Prescriber, n)]),
                .. r.Entries is { } e
                    ? [(IReadOnlyList<string>)[EntriesWithPrescription.Indicator.Label, "S11", Value(EntriesWithPrescription.Indicator, e.Threshold),
                        e.Share is null ? "—" : $"Région : {Value(EntriesWithPrescription.Indicator, e.Share)}", "—"]]
                    : Array.Empty<IReadOnlyList<string>>(),
            ]);
    }

    /// <summary>Among the actors of a kind the indicator <paramref name="n"/> could be measured for, how many meet its threshold.</summary>
    public static (int Meeting, int Measured) ActorsMeeting(GetQualityIndicators.Result r, GetQualityIndicators.ActorKind kind, int n)
    {
        var rows = r.Tables.FirstOrDefault(t => t.Kind == kind)?.Rows.Where(row => row.Values[n] is not null).ToList() ?? [];
        return (rows.Count(row => !row.Misses[n]), rows.Count);
    }

    /// <summary>Whether the cell (row, column) of the table <paramref name="key"/> misses its threshold.</summary>
    public static bool Misses(GetQualityIndicators.Result r, string key, int row, int column)
    {
        if (key == Entries) return column == 3 && row == 0 && r.Entries?.Misses == true;
        var table = r.Tables.FirstOrDefault(t => Describe(t.Kind).Key == key);
        return table is not null && column >= 2 && row < table.Rows.Count && table.Rows[row].Misses[column - 2];
    }
}
