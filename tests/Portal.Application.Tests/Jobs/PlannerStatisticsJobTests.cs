using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.Application.Tests.Jobs;

/// <summary>
/// Issue #12: the hourly <c>database-statistics</c> job refreshes SQLite's planner statistics of a table that grew since
/// the start-up took them. Scenario: the demo database as the start-up leaves it, then 20,000 ROME codes added by hand
/// (more than ten times the reference list), so that the statistics of the table's key no longer describe it.
/// </summary>
public sealed class PlannerStatisticsJobTests : IAsyncLifetime
{
    private const int Added = 20_000;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync(seedDemo: true);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Issue12_StatisticsOfATableThatGrew_AreTakenAgain_WithItsNewRowCount()
    {
        int before;
        await using (var db = _db.CreateDbContext())
        {
            before = await db.RomeCodes.CountAsync(Ct);
            await db.Database.ExecuteSqlRawAsync($"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Added})
                INSERT INTO RomeCodes (Code, Label) SELECT printf('Z%05d', i), 'Métier ajouté ' || i FROM n;
                """, Ct);
        }
        // The statistics still give the start-up's count (or none): the job has something to do.
        (await RowsInStatisticsAsync()).ShouldNotBe(before + Added);

        await new PlannerStatisticsJob(_db).RunAsync(Ct);

        // sqlite_stat1's first figure for the key is the table's row count: the reference list plus the codes added.
        (await RowsInStatisticsAsync()).ShouldBe(before + Added);
    }

    /// <summary>The row count sqlite_stat1 gives for the ROME codes' key, or null when the table has no statistics.</summary>
    private async Task<int?> RowsInStatisticsAsync()
    {
        await using var db = _db.CreateDbContext();
        var stat = await db.Database.SqlQueryRaw<string>("SELECT stat AS Value FROM sqlite_stat1 WHERE tbl = 'RomeCodes'").ToListAsync(Ct);
        return stat.Count == 0 ? null : int.Parse(stat[0].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
