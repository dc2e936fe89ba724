using System.Text;
using Portal.Application.Abstractions;
using Portal.Domain.Exports;

namespace Portal.Application.Export;

/// <summary>Writes an export's rows as they come: CSV here (UTF-8 BOM, `;`, formulas neutralised), XLSX through <see cref="ISpreadsheetWriter"/>.</summary>
public sealed class ExportWriter(ISpreadsheetWriter spreadsheets)
{
    public static string ContentType(ExportFormat format) => format == ExportFormat.Csv
        ? "text/csv; charset=utf-8"
        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static string Extension(ExportFormat format) => format == ExportFormat.Csv ? ".csv" : ".xlsx";

    public async Task WriteAsync(Stream target, ExportFormat format, ExportSource source, IAsyncEnumerable<IReadOnlyList<string>> rows,
        CancellationToken cancellationToken)
    {
        if (format == ExportFormat.Xlsx)
        {
            await spreadsheets.WriteAsync(target, source.Title, source.Columns, rows, cancellationToken);
            return;
        }
        await using var writer = new StreamWriter(target, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 65536, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(Line(source.Columns));
        await foreach (var row in rows.WithCancellation(cancellationToken))
            await writer.WriteLineAsync(Line(row));
        await writer.FlushAsync(cancellationToken);
    }

    private static string Line(IEnumerable<string> cells) => string.Join(';', cells.Select(ReportTable.Quote));
}
