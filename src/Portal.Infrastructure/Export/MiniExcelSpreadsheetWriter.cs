using MiniExcelLibs;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Export;

/// <summary>
/// XLSX through MiniExcel, which writes rows as it enumerates them: a large export never holds its sheet in memory.
/// The rows' pages are read as MiniExcel asks for them (this runs in a background job or on a small inline export).
/// </summary>
public sealed class MiniExcelSpreadsheetWriter : ISpreadsheetWriter
{
    public async Task WriteAsync(Stream target, string sheetTitle, IReadOnlyList<string> columns, IAsyncEnumerable<IReadOnlyList<string>> rows,
        CancellationToken cancellationToken)
    {
        var sheet = new string([.. sheetTitle.Where(c => !"[]:*?/\\".Contains(c, StringComparison.Ordinal)).Take(31)]);
        await target.SaveAsAsync(Dictionaries(columns, rows, cancellationToken), printHeader: true,
            sheetName: sheet.Length == 0 ? "Export" : sheet, excelType: ExcelType.XLSX, cancellationToken: cancellationToken);
    }

    private static IEnumerable<IDictionary<string, object?>> Dictionaries(IReadOnlyList<string> columns, IAsyncEnumerable<IReadOnlyList<string>> rows,
        CancellationToken cancellationToken)
    {
        var any = false;
        foreach (var row in rows.ToBlockingEnumerable(cancellationToken))
        {
            any = true;
            yield return Row(columns, i => i < row.Count ? row[i] : "");
        }
        if (!any) yield return Row(columns, i => i == 0 ? "Aucune donnée" : "");
    }

    private static Dictionary<string, object?> Row(IReadOnlyList<string> columns, Func<int, string> cell)
    {
        var row = new Dictionary<string, object?>(columns.Count);
        for (var i = 0; i < columns.Count; i++) row[columns[i]] = cell(i);
        return row;
    }
}
