using Microsoft.EntityFrameworkCore;
using Portal.Testing;

namespace Portal.Application.Tests.Jobs;

/// <summary>
/// Issue #12 (6): the expiry job (O5/O6) runs with a 256 MB SQLite page cache, and the pooled connection goes back with
/// SQLite's default (2 MB, <c>cache_size</c> −2000), so that no other reader inherits the large cache.
/// </summary>
public sealed class LargePageCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Issue12_O5_PageCache_IsLargeForTheJobsScope_ThenTheDefaultIsPutBack()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        await using var db = await database.CreateAsync(Ct);

        (await CacheSizeAsync(db)).ShouldBe(-2000);
        await using (await db.Queries.LargePageCacheAsync(Ct))
        {
            // 256 MB written as KiB, negative: 256 × 1024.
            (await CacheSizeAsync(db)).ShouldBe(-262_144);
            db.Database.GetDbConnection().State.ShouldBe(System.Data.ConnectionState.Open);
        }

        db.Database.GetDbConnection().State.ShouldBe(System.Data.ConnectionState.Closed);
        // The same connection opened again takes the pooled SQLite handle back: its cache is the default again.
        (await CacheSizeAsync(db)).ShouldBe(-2000);
    }

    private static async Task<long> CacheSizeAsync(Portal.Application.Abstractions.IAppDbContext db) =>
        await db.Database.SqlQueryRaw<long>("SELECT cache_size AS Value FROM pragma_cache_size()").SingleAsync(Ct);
}
