namespace Portal.Application.Abstractions;

/// <summary>Writes an XLSX sheet from rows as they come, through a maintained library (never hand-written XLSX).</summary>
public interface ISpreadsheetWriter
{
    Task WriteAsync(Stream target, string sheetTitle, IReadOnlyList<string> columns, IAsyncEnumerable<IReadOnlyList<string>> rows,
        CancellationToken cancellationToken);
}
