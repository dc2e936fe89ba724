namespace Portal.Application.Export;

/// <summary>
/// A table of an aggregate screen, as shown and as exported: the screen renders it, and the CSV and XLSX
/// exports write the same cells, so that what is downloaded is what was read (Q3, Q4).
/// </summary>
public sealed record ReportTable(string Key, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>The table as an export source (its rows are already in memory), for <see cref="ExportWriter"/>.</summary>
    public ExportSource ToSource(string fileName) => ExportSource.FromRows(Title, fileName, Columns, Rows);

    /// <summary>The table written in <paramref name="format"/>, as the lists are (<see cref="ExportWriter"/>).</summary>
    public async Task<byte[]> WriteAsync(ExportWriter writer, Portal.Domain.Exports.ExportFormat format, string fileName, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        var source = ToSource(fileName);
        await writer.WriteAsync(stream, format, source, source.RowsAsync(Math.Max(1, Rows.Count)), cancellationToken);
        return stream.ToArray();
    }

    /// <summary>A cell for a French spreadsheet: quoted when needed, a leading formula sign neutralised.</summary>
    internal static string Quote(string cell)
    {
        // A leading = + - @ would be read as a formula by a spreadsheet: neutralise it.
        if (cell.Length > 0 && "=+-@".Contains(cell[0], StringComparison.Ordinal) && !double.TryParse(cell, out _)) cell = "'" + cell;
        return cell.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
    }

    /// <summary>A file name without accents or spaces, e.g. <c>observatoire-acces-publics-2027-03-01-2027-03-31</c>.</summary>
    public static string FileName(string prefix, string key, DateOnly from, DateOnly to) => $"{prefix}-{key}-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}";
}
