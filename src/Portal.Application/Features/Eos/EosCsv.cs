using System.Globalization;
using System.Text;
using Portal.Application.Files;
using Portal.Domain.Common;

namespace Portal.Application.Features.Eos;

/// <summary>One entry declared in EOS, as read from the export (S11).</summary>
public sealed record EosEntry(int Line, string? FranceTravailId, string LastName, string FirstName, DateOnly BirthDate,
    string? ActionNumber, string SessionNumber, DateOnly EntryDate);

/// <summary>
/// Reads the CSV export of entries declared in EOS (S11). Columns, in any order, named on the first line:
/// identifiant_france_travail (may be empty on a line), nom, prenom, date_naissance, numero_session, date_entree,
/// and optionally numero_action. Separator `;` (or `,` or a tab), UTF-8 with or without BOM, or Windows-1252
/// (what Excel writes in France); dates JJ/MM/AAAA or AAAA-MM-JJ. Any error refuses the whole file, with its lines.
/// </summary>
public static class EosCsv
{
    public const int MaxErrorsShown = 20;

    public static readonly IReadOnlyList<(string Column, string Meaning, bool Required)> Columns =
    [
        ("identifiant_france_travail", "identifiant France Travail du stagiaire (peut être vide)", true),
        ("nom", "nom de famille", true),
        ("prenom", "prénom", true),
        ("date_naissance", "date de naissance (JJ/MM/AAAA)", true),
        ("numero_action", "numéro de l'action de formation (facultatif, pour information)", false),
        ("numero_session", "numéro de la session (celui de l'offre LHEO)", true),
        ("date_entree", "date d'entrée en formation (JJ/MM/AAAA)", true),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["identifiant france travail"] = "identifiant_france_travail",
        ["identifiant ft"] = "identifiant_france_travail",
        ["id france travail"] = "identifiant_france_travail",
        ["identifiant pole emploi"] = "identifiant_france_travail",
        ["nom"] = "nom",
        ["nom de famille"] = "nom",
        ["prenom"] = "prenom",
        ["date naissance"] = "date_naissance",
        ["date de naissance"] = "date_naissance",
        ["numero action"] = "numero_action",
        ["numero session"] = "numero_session",
        ["date entree"] = "date_entree",
        ["date d entree"] = "date_entree",
    };

    private static readonly string[] DateFormats = ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd", "dd-MM-yyyy", "dd.MM.yyyy"];

    /// <summary>The entries of the file, or every error found (with its line) and no entry.</summary>
    public static (IReadOnlyList<EosEntry> Entries, IReadOnlyList<string> Errors) Parse(byte[] bytes)
    {
        var records = CsvText.Split(CsvText.Decode(bytes));
        var errors = new List<string>();
        if (records.Count == 0) return ([], ["Le fichier est vide : la première ligne doit nommer les colonnes."]);

        var header = records[0];
        var index = CsvText.ColumnIndex(header, Aliases);
        var missing = Columns.Where(c => c.Required && !index.ContainsKey(c.Column)).Select(c => c.Column).ToList();
        if (missing.Count > 0)
        {
            return ([], [CsvText.MissingColumns(missing) + " " +
                $"Colonnes attendues : {string.Join(";", Columns.Select(c => c.Column))}."]);
        }

        var entries = new List<EosEntry>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.All(string.IsNullOrWhiteSpace)) continue;
            if (CsvText.WidthError(record, header) is { } width)
            {
                errors.Add(width);
                continue;
            }
            string Field(string column) => index.TryGetValue(column, out var i) ? record.Fields[i].Trim() : "";
            var lineErrors = new List<string>();
            var lastName = Field("nom");
            var firstName = Field("prenom");
            if (lastName.Length == 0) lineErrors.Add("nom manquant");
            if (firstName.Length == 0) lineErrors.Add("prénom manquant");
            var birth = ReadDate(Field("date_naissance"), "date de naissance", lineErrors);
            var session = Field("numero_session");
            if (session.Length == 0) lineErrors.Add("numéro de session manquant");
            var entry = ReadDate(Field("date_entree"), "date d'entrée", lineErrors);
            if (lineErrors.Count > 0)
            {
                errors.Add($"Ligne {record.Line} : {string.Join(" ; ", lineErrors)}.");
                continue;
            }
            var ft = Field("identifiant_france_travail");
            var action = Field("numero_action");
            entries.Add(new EosEntry(record.Line, ft.Length == 0 ? null : ft.ToUpperInvariant(), lastName, firstName, birth!.Value,
                action.Length == 0 ? null : action, session, entry!.Value));
        }
        if (errors.Count == 0 && entries.Count == 0) errors.Add("Le fichier ne contient aucune entrée après la ligne des colonnes.");
        return errors.Count > 0 ? ([], errors) : (entries, []);
    }

    /// <summary>The errors as one French message for the user (the first ones, and how many more).</summary>
    public static string Describe(IReadOnlyList<string> errors) =>
        "Fichier refusé, rien n'a été importé.\n" + string.Join("\n", errors.Take(MaxErrorsShown)) +
        (errors.Count > MaxErrorsShown ? $"\n… et {errors.Count - MaxErrorsShown} autres erreurs." : "");

    private static DateOnly? ReadDate(string text, string what, List<string> lineErrors)
    {
        if (text.Length == 0)
        {
            lineErrors.Add($"{what} manquante");
            return null;
        }
        if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        lineErrors.Add($"{what} « {text} » invalide (attendu JJ/MM/AAAA)");
        return null;
    }
}
