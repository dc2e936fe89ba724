using Portal.Testing;

namespace Portal.Application.Tests.PersonalData;

/// <summary>
/// Issue #14 (4): the erasure and the retention job rewrite a chunk of candidates' EOS lines (S11) and arbitration cases
/// (S10) by prescription. SQLite's plan for that shape (ids sent as one JSON array, as EF sends a list) must search an
/// index, not read the whole table: an EOS import alone holds up to 100,000 lines.
/// </summary>
public sealed class ErasureIndexesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("EosAnomalies", "IX_EosAnomalies_PrescriptionId")]
    [InlineData("Arbitrations", "IX_Arbitrations_PrescriptionId")]
    public async Task RowsOfAChunksPrescriptions_AreFoundThroughAnIndex_NotByReadingTheTable_Issue14_4_S10_S11(string table, string index)
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);

        var plan = await database.QueryPlanAsync($"SELECT \"Id\" FROM \"{table}\" WHERE \"PrescriptionId\" IN (SELECT \"value\" FROM json_each('[\"a\",\"b\"]'))", Ct);

        plan.ShouldContain(step => step.Contains($"USING INDEX {index}", StringComparison.Ordinal) || step.Contains($"USING COVERING INDEX {index}", StringComparison.Ordinal));
        plan.ShouldNotContain(step => step == $"SCAN {table}");
    }
}
