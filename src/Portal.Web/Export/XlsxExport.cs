using MiniExcelLibs;
using Portal.Application.Export;

namespace Portal.Web.Export;

/// <summary>XLSX through a maintained library (MiniExcel), never hand-written: one sheet, the table as shown.</summary>
public static class XlsxExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Write(ReportTable table)
    {
        // Rows as ordered dictionaries: the header is the table's columns, in their order.
        var rows = table.Rows.Select(r =>
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < table.Columns.Count; i++) row[table.Columns[i]] = i < r.Count ? r[i] : "";
            return row;
        }).ToList();
        if (rows.Count == 0) rows.Add(table.Columns.Select((c, i) => (c, (object?)(i == 0 ? "Aucune donnée" : ""))).ToDictionary(x => x.c, x => x.Item2));
        using var stream = new MemoryStream();
        var sheet = new string([.. table.Title.Where(c => !"[]:*?/\\".Contains(c, StringComparison.Ordinal)).Take(31)]);
        stream.SaveAs(rows, printHeader: true, sheetName: sheet, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }
}
