namespace Portal.Application.Features.Lheo;

/// <summary>LHEO code tables the portal maps (dict-niveaux) and the département of a postcode.</summary>
public static class LheoLevels
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["1"] = "Sans niveau spécifique",
        ["2"] = "Niveau VI (illettrisme, analphabétisme)",
        ["3"] = "Niveau V bis (préqualification)",
        ["4"] = "Niveau V (CAP, BEP)",
        ["5"] = "Niveau IV (baccalauréat)",
        ["6"] = "Niveau III (BTS, DUT)",
        ["7"] = "Niveau II (licence, maîtrise)",
        ["8"] = "Niveau I (supérieur à la maîtrise)",
        ["11"] = "Niveau 1 (savoirs de base)",
        ["12"] = "Niveau 2",
        ["13"] = "Niveau 3 (CAP, BEP)",
        ["14"] = "Niveau 4 (baccalauréat)",
        ["15"] = "Niveau 5 (BTS, DUT)",
        ["16"] = "Niveau 6 (licence, BUT)",
        ["17"] = "Niveau 7 (master)",
        ["18"] = "Niveau 8 (doctorat)",
    };

    /// <summary>The French label of a dict-niveaux code; null for 0 (information non communiquée) or an unknown code.</summary>
    public static string? Label(string? code) => code is not null && Labels.TryGetValue(code, out var label) ? label : null;

    /// <summary>The dict-niveaux code of a label (for the export); "0" (information non communiquée) when unknown.</summary>
    public static string Code(string? label) =>
        label is null ? "0" : Labels.FirstOrDefault(l => string.Equals(l.Value, label, StringComparison.OrdinalIgnoreCase)).Key ?? "0";

    /// <summary>The département of a French postcode (97x for overseas, 2A/2B not distinguished: "20"); null for a placeholder.</summary>
    public static string? DepartementOf(string? postalCode)
    {
        if (postalCode is not { Length: 5 } || !postalCode.All(char.IsAsciiDigit) || postalCode == "00000") return null;
        return postalCode.StartsWith("97", StringComparison.Ordinal) ? postalCode[..3] : postalCode[..2];
    }
}
