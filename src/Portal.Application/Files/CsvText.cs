using System.Text;
using Portal.Domain.Common;

namespace Portal.Application.Files;

/// <summary>
/// The text of an uploaded CSV file (the EOS export S11, reference data updates): decoded from UTF-8 or Windows-1252
/// (what Excel writes in France), split into records that keep the line they start on, for errors with line numbers.
/// </summary>
public static class CsvText
{
    /// <summary>Decodes the file: UTF-8 when it is valid UTF-8 (BOM or not), else Windows-1252.</summary>
    public static string Decode(byte[] bytes)
    {
        var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetString(bytes);
        }
    }

    public sealed record Record(int Line, List<string> Fields);

    /// <summary>RFC 4180 records (quotes, doubled quotes, line breaks inside quotes), each with the line it starts on.</summary>
    public static List<Record> Split(string text)
    {
        var separator = DetectSeparator(text);
        var records = new List<Record>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                continue;
            }
            if (ch == '"' && field.Length == 0)
            {
                quoted = true;
                any = true;
            }
            else if (ch == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
                any = true;
            }
            else if (ch is '\r' or '\n')
            {
                if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                if (any || field.Length > 0)
                {
                    fields.Add(field.ToString());
                    records.Add(new Record(recordLine, fields));
                }
                fields = [];
                field.Clear();
                any = false;
                line++;
                recordLine = line;
            }
            else
            {
                field.Append(ch);
                any = true;
            }
        }
        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add(new Record(recordLine, fields));
        }
        return records;
    }

    private static char DetectSeparator(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        if (header.Contains(';', StringComparison.Ordinal)) return ';';
        if (header.Contains('\t', StringComparison.Ordinal)) return '\t';
        return ',';
    }

    /// <summary>
    /// The column of each known name on the header line: a header is compared without case, accents or punctuation
    /// (<c>code_insee</c>, <c>Code INSEE</c>), through <paramref name="aliases"/> (normalised name → key); the first wins.
    /// </summary>
    public static Dictionary<string, int> ColumnIndex(Record header, IReadOnlyDictionary<string, string> aliases)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            if (aliases.TryGetValue(TextSearch.Normalize(header.Fields[i]), out var key) && !index.ContainsKey(key)) index[key] = i;
        }
        return index;
    }

    /// <summary>The French error for the columns the header line lacks.</summary>
    public static string MissingColumns(IReadOnlyCollection<string> missing) =>
        $"Ligne 1 : {(missing.Count == 1 ? "colonne manquante" : "colonnes manquantes")} : {string.Join(", ", missing)}.";

    /// <summary>The French error for a line whose number of fields is not the header's, or null.</summary>
    public static string? WidthError(Record record, Record header) => record.Fields.Count == header.Fields.Count ? null
        : $"Ligne {record.Line} : {record.Fields.Count} colonnes au lieu de {header.Fields.Count} (vérifiez le séparateur et les guillemets).";
}
