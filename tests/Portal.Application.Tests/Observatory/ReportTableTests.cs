using System.Text;
using Portal.Application.Export;

namespace Portal.Application.Tests.Observatory;

/// <summary>The CSV of an exported table: what a French spreadsheet opens as it was shown.</summary>
public sealed class ReportTableTests
{
    [Fact]
    public async Task Csv_QuotesSeparatorsAndQuotes_NeutralisesFormulas_AndStartsWithABom()
    {
        var table = new ReportTable("t", "Titre", ["Action", "Nombre"],
        [
            ["Agent de propreté ; hygiène", "12"],
            ["Titre \"CAP\"", "< 5"],
            ["=HYPERLINK(\"http://x\")", "-3"],
        ]);

        var bytes = await table.WriteAsync(new ExportWriter(null!), Portal.Domain.Exports.ExportFormat.Csv, "t", TestContext.Current.CancellationToken);

        bytes.Take(3).ShouldBe(Encoding.UTF8.GetPreamble());
        Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).ShouldBe(
            "Action;Nombre\r\n" +
            "\"Agent de propreté ; hygiène\";12\r\n" +
            "\"Titre \"\"CAP\"\"\";< 5\r\n" +
            "\"'=HYPERLINK(\"\"http://x\"\")\";-3\r\n");
    }
}
