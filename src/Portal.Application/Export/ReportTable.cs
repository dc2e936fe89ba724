using System.Text;

namespace Portal.Application.Export;

/// <summary>
/// A table of an aggregate screen, as shown and as exported: the screen renders it, and the CSV and XLSX
/// exports write the same cells, so that what is downloaded is what was read (Q3, Q4).
/// </summary>
public sealed record ReportTable(string Key, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>CSV for a French spreadsheet: UTF-8 with BOM, `;` separators, fields quoted when needed.</summary>
    public byte[] ToCsv()
    {
        var sb = new StringBuilder();
        void Line(IEnumerable<string> cells) => sb.Append(string.Join(';', cells.Select(Quote))).Append("\r\n");
        Line(Columns);
        foreach (var row in Rows) Line(row);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    internal static string Quote(string cell)
    {
        // A leading = + - @ would be read as a formula by a spreadsheet: neutralise it.
        if (cell.Length > 0 && "=+-@".Contains(cell[0], StringComparison.Ordinal) && !double.TryParse(cell, out _)) cell = "'" + cell;
        return cell.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
    }

    /// <summary>A file name without accents or spaces, e.g. <c>observatoire-acces-publics-2027-03-01-2027-03-31</c>.</summary>
    public static string FileName(string prefix, string key, DateOnly from, DateOnly to) => $"{prefix}-{key}-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}";
}
