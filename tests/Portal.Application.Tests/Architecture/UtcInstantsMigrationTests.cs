using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Infrastructure.Persistence;

namespace Portal.Application.Tests.Architecture;

/// <summary>Issue #16 point 2 (ADR 0021): the SQLite migration UtcInstants rewrites instants stored with an offset as the same UTC instant.</summary>
public sealed class UtcInstantsMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnInstantStoredWithAParisOffset_BeforeTheMigration_IsTheSameInstantInUtcAfterIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"portal-utc-{Guid.NewGuid():N}.db");
        var options = new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite($"Data Source={path}", o => o.MigrationsAssembly(Portal.Infrastructure.DependencyInjection.SqliteMigrationsAssembly)).UseOpenIddict().Options;
        try
        {
            await using var db = new PortalDbContext(options);
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("TextColumnLimits", cancellationToken: Ct);
            // As the former converter stored it: local ticks of 10:00 in Paris (summer) and the offset +120 minutes.
            var paris = new DateTimeOffset(2027, 6, 10, 10, 0, 0, TimeSpan.FromHours(2));
            var legacy = (long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(paris)!;
            (legacy & 2047).ShouldBe(120);
            await db.Database.ExecuteSqlAsync($"INSERT INTO OutboxWatermarks (Key, Position, UpdatedAt) VALUES ('test', 1, {legacy})", Ct);

            await migrator.MigrateAsync(cancellationToken: Ct);

            var stored = await db.Database.SqlQuery<long>($"SELECT UpdatedAt AS Value FROM OutboxWatermarks WHERE Key = 'test'").SingleAsync(Ct);
            // 08:00 UTC in the same encoding, offset bits zero: (UTC ticks / 1000) << 11.
            stored.ShouldBe(new DateTime(2027, 6, 10, 8, 0, 0).Ticks / 1000 << 11);
            var read = await db.OutboxWatermarks.AsNoTracking().SingleAsync(w => w.Key == "test", Ct);
            read.UpdatedAt.ShouldBe(new DateTimeOffset(2027, 6, 10, 8, 0, 0, TimeSpan.Zero));
            read.UpdatedAt.Offset.ShouldBe(TimeSpan.Zero);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("", DatabaseProvider.Sqlite)]
    [InlineData("sqlite", DatabaseProvider.Sqlite)]
    [InlineData("PostgreSql", DatabaseProvider.PostgreSql)]
    [InlineData("postgres", DatabaseProvider.PostgreSql)]
    public void DatabaseProvider_IsReadCaseInsensitively(string setting, DatabaseProvider expected) =>
        DatabaseProviders.Parse(setting).ShouldBe(expected);

    [Fact]
    public void AnUnknownDatabaseProvider_StopsTheStartUp_WithAFrenchMessage() =>
        Should.Throw<InvalidOperationException>(() => DatabaseProviders.Parse("Oracle")).Message.ShouldContain("non pris en charge");
}
