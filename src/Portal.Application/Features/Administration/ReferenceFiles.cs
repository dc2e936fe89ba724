using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Portal.Application.Files;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Administration;

/// <summary>The reference lists the administrator updates from a file (issue #14, point 3).</summary>
public enum ReferenceList { Communes, RomeCodes, NonSelectionReasons }

/// <summary>
/// Reads an update file of a reference list. Columns are found by their names on the first line, so that both the
/// portal's own files and the producers' exports are read as they are published:
/// <list type="bullet">
/// <item>communes: <c>code_insee</c> (or <c>code</c>), <c>nom</c>, <c>code_departement</c> (or <c>departement_code</c>),
/// <c>nom_departement</c> (or <c>departement_nom</c>, <c>department_nom</c>), <c>codes_postaux</c> (separated by <c>|</c>,
/// <c>,</c> or spaces), <c>latitude</c>, <c>longitude</c>, and optionally <c>population</c> (kept as it is when absent) —
/// the portal's Nouvelle-Aquitaine file and geo.api.gouv.fr's France-wide extract;</item>
/// <item>ROME codes: a CSV with <c>code_rome</c> (or <c>code</c>) and <c>libelle</c>, or France Travail's XML
/// <c>referentiel_code_rome</c> (elements <c>code_rome</c> and <c>libelle</c> in each item).</item>
/// <item>non-selection reasons (ADR 0026): a CSV with <c>code</c>, <c>libelle</c>, <c>categorie</c> (the kind, written
/// as its French label — « Prérequis non atteints » — or its name — <c>PrerequisitesNotMet</c>) and <c>actif</c>
/// (<c>oui</c> or <c>non</c>); the order of the lines is the order of the decision screens.</item>
/// </list>
/// Every line is checked; any error refuses the whole file, each error with its line number.
/// </summary>
public static partial class ReferenceFiles
{
    /// <summary>10 MB: the France-wide communes file is 3 MB.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    public const int MaxErrorsShown = 20;

    public sealed record CommuneRow(int Line, string InseeCode, string Name, string DepartementCode, string DepartementName,
        string PostalCodes, int? Population, double Latitude, double Longitude);

    public sealed record RomeRow(int Line, string Code, string Label);

    public sealed record ReasonRow(int Line, string Code, string Label, NonSelectionReasonKind Kind, bool Active);

    public sealed record Parsed<T>(string Format, IReadOnlyList<T> Rows, IReadOnlyList<string> Errors);

    public static string Describe(ReferenceList list) => list switch
    {
        ReferenceList.Communes => "communes",
        ReferenceList.NonSelectionReasons => "motifs de non-sélection",
        _ => "codes ROME",
    };

    /// <summary>The errors as one French message (the first ones, and how many more).</summary>
    public static string Refusal(IReadOnlyList<string> errors) =>
        "Fichier refusé, rien n'a été modifié.\n" + string.Join("\n", errors.Take(MaxErrorsShown)) +
        (errors.Count > MaxErrorsShown ? $"\n… et {errors.Count - MaxErrorsShown} autres erreurs." : "");

    private static readonly Dictionary<string, string> CommuneColumns = new(StringComparer.Ordinal)
    {
        ["code insee"] = "insee", ["code"] = "insee", ["insee"] = "insee",
        ["nom"] = "nom", ["nom commune"] = "nom",
        ["code departement"] = "dep", ["departement code"] = "dep",
        ["nom departement"] = "depnom", ["departement nom"] = "depnom", ["department nom"] = "depnom",
        ["codes postaux"] = "cp", ["code postal"] = "cp",
        ["population"] = "population",
        ["latitude"] = "lat", ["longitude"] = "lon",
    };

    private static readonly (string Key, string Name)[] RequiredCommuneColumns =
        [("insee", "code_insee"), ("nom", "nom"), ("dep", "code_departement"), ("depnom", "nom_departement"), ("cp", "codes_postaux"), ("lat", "latitude"), ("lon", "longitude")];

    public static Parsed<CommuneRow> ParseCommunes(byte[] bytes)
    {
        if (Empty(bytes) is { } empty) return new("CSV", [], [empty]);
        if (ReadCsv(CsvText.Decode(bytes), CommuneColumns, RequiredCommuneColumns, out var missing) is not { } lines)
            return new("CSV", [], [missing!]);

        var rows = new List<CommuneRow>();
        var errors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in lines)
        {
            if (record.WidthError is { } width)
            {
                errors.Add(width);
                continue;
            }
            string Field(string key) => record.Field(key);
            var problems = new List<string>();
            var insee = Field("insee").ToUpperInvariant();
            if (!InseeCode().IsMatch(insee)) problems.Add($"code INSEE « {insee} » invalide (5 caractères, ex. 33063 ou 2A004)");
            var name = Field("nom");
            Text(name, "nom", CommuneNameMax, problems);
            var dep = Field("dep").ToUpperInvariant();
            if (!DepartementCode().IsMatch(dep)) problems.Add($"code de département « {dep} » invalide (ex. 33, 2A, 971)");
            var depName = Field("depnom");
            Text(depName, "nom du département", CommuneNameMax, problems);
            var postal = string.Join('|', Field("cp").Split([',', '|', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (postal.Split('|', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(c => !PostalCode().IsMatch(c)) is { } badPostal)
                problems.Add($"code postal « {badPostal} » invalide (5 chiffres)");
            if (postal.Length > PostalCodesMax) problems.Add($"codes postaux trop longs ({PostalCodesMax} caractères au plus)");
            int? population = null;
            if (record.HasColumn("population"))
            {
                if (int.TryParse(Field("population"), NumberStyles.None, CultureInfo.InvariantCulture, out var p)) population = p;
                else problems.Add($"population « {Field("population")} » invalide (nombre entier)");
            }
            var lat = Coordinate(Field("lat"), "latitude", 90, problems);
            var lon = Coordinate(Field("lon"), "longitude", 180, problems);
            if (problems.Count == 0 && seen.TryGetValue(insee, out var first)) problems.Add($"code INSEE {insee} déjà présent ligne {first}");
            if (problems.Count > 0)
            {
                errors.Add($"Ligne {record.Line} : {string.Join(" ; ", problems)}.");
                continue;
            }
            seen[insee] = record.Line;
            rows.Add(new CommuneRow(record.Line, insee, name, dep, depName, postal, population, lat, lon));
        }
        if (errors.Count == 0 && rows.Count == 0) errors.Add("Le fichier ne contient aucune commune après la ligne des colonnes.");
        return new("CSV", errors.Count > 0 ? [] : rows, errors);
    }

    private static readonly Dictionary<string, string> RomeColumns = new(StringComparer.Ordinal)
    {
        ["code rome"] = "code", ["code"] = "code", ["rome"] = "code",
        ["libelle"] = "label", ["libelle rome"] = "label", ["intitule"] = "label",
    };

    public static Parsed<RomeRow> ParseRomeCodes(byte[] bytes)
    {
        if (Empty(bytes) is { } empty) return new("CSV", [], [empty]);
        var text = CsvText.Decode(bytes);
        return text.TrimStart().StartsWith('<') ? ParseRomeXml(text) : ParseRomeCsv(text);
    }

    private static Parsed<RomeRow> ParseRomeCsv(string text)
    {
        if (ReadCsv(text, RomeColumns, [("code", "code_rome"), ("label", "libelle")], out var missing) is not { } lines)
            return new("CSV", [], [missing!]);
        var rows = new List<RomeRow>();
        var errors = new List<string>();
        foreach (var record in lines)
        {
            if (record.WidthError is { } width)
            {
                errors.Add(width);
                continue;
            }
            AddRome(record.Line, record.Field("code"), record.Field("label"), rows, errors);
        }
        return Finish("CSV", rows, errors);
    }

    private static Parsed<RomeRow> ParseRomeXml(string text)
    {
        var rows = new List<RomeRow>();
        var errors = new List<string>();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            return new("XML", [], [$"Ligne {ex.LineNumber} : XML mal formé ({ex.Message})."]);
        }
        foreach (var item in document.Root!.Elements())
        {
            var line = ((IXmlLineInfo)item).LineNumber;
            var code = item.Element("code_rome")?.Value;
            var label = item.Element("libelle")?.Value;
            if (code is null) errors.Add($"Ligne {line} : élément code_rome manquant.");
            else if (label is null) errors.Add($"Ligne {line} : élément libelle manquant.");
            else AddRome(line, code, label, rows, errors);
        }
        return Finish("XML", rows, errors);
    }

    private static void AddRome(int line, string rawCode, string rawLabel, List<RomeRow> rows, List<string> errors)
    {
        var problems = new List<string>();
        var code = rawCode.Trim().ToUpperInvariant();
        if (!Rome().IsMatch(code)) problems.Add($"code ROME « {code} » invalide (une lettre et quatre chiffres, ex. N1101)");
        var label = rawLabel.Trim();
        Text(label, "libellé", RomeLabelMax, problems);
        if (problems.Count == 0 && rows.FirstOrDefault(r => r.Code == code) is { } first) problems.Add($"code ROME {code} déjà présent ligne {first.Line}");
        if (problems.Count > 0) errors.Add($"Ligne {line} : {string.Join(" ; ", problems)}.");
        else rows.Add(new RomeRow(line, code, label));
    }

    private static Parsed<RomeRow> Finish(string format, List<RomeRow> rows, List<string> errors)
    {
        if (errors.Count == 0 && rows.Count == 0) errors.Add("Le fichier ne contient aucun code ROME.");
        return new(format, errors.Count > 0 ? [] : rows, errors);
    }

    private static readonly Dictionary<string, string> ReasonColumns = new(StringComparer.Ordinal)
    {
        ["code"] = "code", ["code motif"] = "code",
        ["libelle"] = "label", ["libelle motif"] = "label", ["intitule"] = "label",
        ["categorie"] = "kind", ["type"] = "kind",
        ["actif"] = "active", ["active"] = "active",
    };

    /// <summary>The kinds as a file may name them: the French label or the enum name, compared without case or accents.</summary>
    private static readonly Dictionary<string, NonSelectionReasonKind> Kinds = Enum.GetValues<NonSelectionReasonKind>()
        .SelectMany(k => new[] { (TextSearch.Normalize(k.Label()), k), (TextSearch.Normalize(k.ToString()), k) })
        .DistinctBy(x => x.Item1)
        .ToDictionary(x => x.Item1, x => x.k, StringComparer.Ordinal);

    /// <summary>The kinds' French labels, as the errors and the screen's help list them.</summary>
    public static string KindLabels => string.Join(", ", Enum.GetValues<NonSelectionReasonKind>().Select(k => $"« {k.Label()} »"));

    /// <summary>ADR 0026: the reasons list's file, <c>code;libelle;categorie;actif</c>.</summary>
    public static Parsed<ReasonRow> ParseNonSelectionReasons(byte[] bytes)
    {
        if (Empty(bytes) is { } empty) return new("CSV", [], [empty]);
        if (ReadCsv(CsvText.Decode(bytes), ReasonColumns, [("code", "code"), ("label", "libelle"), ("kind", "categorie"), ("active", "actif")], out var missing) is not { } lines)
            return new("CSV", [], [missing!]);
        var rows = new List<ReasonRow>();
        var errors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in lines)
        {
            if (record.WidthError is { } width)
            {
                errors.Add(width);
                continue;
            }
            string Field(string key) => record.Field(key);
            var problems = new List<string>();
            var code = Field("code").ToUpperInvariant();
            if (!ReasonCode().IsMatch(code))
                problems.Add($"code « {code} » invalide (1 à {NonSelectionReasonEntry.MaxCodeLength} lettres sans accent, chiffres ou _, ex. PREREQUIS)");
            var label = Field("label");
            Text(label, "libellé", NonSelectionReasonEntry.MaxLabelLength, problems);
            var kindText = Field("kind");
            var hasKind = Kinds.TryGetValue(TextSearch.Normalize(kindText), out var kind);
            if (!hasKind) problems.Add($"catégorie « {kindText} » inconnue (attendu : {KindLabels})");
            bool? active = TextSearch.Normalize(Field("active")) switch
            {
                "oui" or "o" or "1" or "vrai" => true,
                "non" or "n" or "0" or "faux" => false,
                _ => null,
            };
            if (active is null) problems.Add($"actif « {Field("active")} » invalide (oui ou non)");
            if (problems.Count == 0 && seen.TryGetValue(code, out var first)) problems.Add($"code {code} déjà présent ligne {first}");
            if (problems.Count > 0)
            {
                errors.Add($"Ligne {record.Line} : {string.Join(" ; ", problems)}.");
                continue;
            }
            seen[code] = record.Line;
            rows.Add(new ReasonRow(record.Line, code, label, kind, active!.Value));
        }
        if (errors.Count == 0 && rows.Count == 0) errors.Add("Le fichier ne contient aucun motif après la ligne des colonnes.");
        return new("CSV", errors.Count > 0 ? [] : rows, errors);
    }

    // The lengths of the columns (the EF model's maximum lengths are these).
    public const int CommuneNameMax = 100;
    public const int PostalCodesMax = 500;
    public const int RomeLabelMax = 300;

    /// <summary>A data line of a CSV file: its line number, its fields by column key (trimmed; "" for a column the file
    /// does not have), whether the file has a column, or why the line cannot be read (not as wide as the header).</summary>
    private sealed record CsvLine(int Line, Func<string, string> Field, Func<string, bool> HasColumn, string? WidthError);

    /// <summary>
    /// The data lines of a CSV file whose first line names the columns (known by <paramref name="aliases"/>), blank lines
    /// left out; null, with the French message naming them, when a required column is missing.
    /// </summary>
    private static List<CsvLine>? ReadCsv(string text, IReadOnlyDictionary<string, string> aliases, IEnumerable<(string Key, string Name)> required, out string? missingColumns)
    {
        var records = CsvText.Split(text);
        var index = CsvText.ColumnIndex(records[0], aliases);
        var missing = required.Where(c => !index.ContainsKey(c.Key)).Select(c => c.Name).ToList();
        missingColumns = missing.Count > 0 ? CsvText.MissingColumns(missing) : null;
        if (missingColumns is not null) return null;
        return [.. records.Skip(1).Where(r => !r.Fields.All(string.IsNullOrWhiteSpace)).Select(r => new CsvLine(r.Line,
            key => index.TryGetValue(key, out var i) ? r.Fields[i].Trim() : "", index.ContainsKey, CsvText.WidthError(r, records[0])))];
    }

    private static string? Empty(byte[] bytes) =>
        bytes.Length == 0 ? "Le fichier est vide : la première ligne doit nommer les colonnes."
        : bytes.Length > MaxBytes ? $"Fichier trop volumineux : {MaxBytes / 1024 / 1024} Mo au plus."
        : null;

    private static void Text(string value, string what, int max, List<string> problems)
    {
        if (value.Length == 0) problems.Add($"{what} manquant");
        else if (value.Length > max) problems.Add($"{what} trop long ({max} caractères au plus)");
    }

    private static double Coordinate(string text, string what, double bound, List<string> problems)
    {
        if (double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Math.Abs(value) <= bound) return value;
        problems.Add($"{what} « {text} » invalide (nombre décimal entre -{bound} et {bound})");
        return 0;
    }

    [GeneratedRegex("^(\\d{5}|2[AB]\\d{3})$")]
    private static partial Regex InseeCode();

    [GeneratedRegex("^(\\d{2,3}|2[AB])$")]
    private static partial Regex DepartementCode();

    [GeneratedRegex("^\\d{5}$")]
    private static partial Regex PostalCode();

    [GeneratedRegex("^[A-Z0-9][A-Z0-9_]{0,19}$")]
    private static partial Regex ReasonCode();

    [GeneratedRegex("^[A-N]\\d{4}$")]
    private static partial Regex Rome();
}
