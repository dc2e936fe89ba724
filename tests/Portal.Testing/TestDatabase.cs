using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Infrastructure;
using Portal.Infrastructure.Persistence;

namespace Portal.Testing;

/// <summary>
/// A real database, migrated like production, optionally seeded with the demo dataset at a fixed instant: SQLite in a
/// temporary file (the default), or PostgreSQL (ADR 0021), a database of the run's throwaway cluster copied from a
/// migrated template (<see cref="PostgreSqlCluster"/>; the test is skipped with the reason where PostgreSQL is missing).
/// Implements both factories, one context per operation.
/// </summary>
public sealed class TestDatabase : IDbContextFactory<PortalDbContext>, IAppDbContextFactory, IAsyncDisposable
{
    /// <summary>The instant the demo dataset is seeded at, unless told otherwise (a Friday, noon in Paris).</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 27, 11, 0, 0, TimeSpan.Zero);

    private readonly string _path;
    private readonly DbContextOptions<PortalDbContext> _options;
    private readonly PostgreSqlCluster? _cluster;

    private TestDatabase(DatabaseProvider provider, string pathOrConnectionString, PostgreSqlCluster? cluster = null)
    {
        Provider = provider;
        _path = pathOrConnectionString;
        _cluster = cluster;
        ConnectionString = provider == DatabaseProvider.Sqlite ? $"Data Source={_path}" : pathOrConnectionString;
        var connection = provider == DatabaseProvider.Sqlite ? $"Data Source={_path};Default Timeout=30" : pathOrConnectionString;
        _options = ((DbContextOptionsBuilder<PortalDbContext>)DatabaseProviders.Configure(new DbContextOptionsBuilder<PortalDbContext>(), provider, connection))
            .UseOpenIddict()
            .Options;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The SQLite file (SQLite only).</summary>
    public string Path => Provider == DatabaseProvider.Sqlite ? _path : throw new InvalidOperationException("Pas de fichier : base PostgreSQL.");

    public string ConnectionString { get; }

    /// <summary>Creates a migrated database; with <paramref name="seedDemo"/>, the demo dataset seeded at <paramref name="now"/>.</summary>
    public static Task<TestDatabase> CreateAsync(bool seedDemo = true, DateTimeOffset? now = null) =>
        CreateAsync(DatabaseProvider.Sqlite, seedDemo, now);

    /// <summary>
    /// Creates a migrated database on <paramref name="provider"/>. On PostgreSQL the first database of each (seed, instant)
    /// is built as a template, the next ones are copies of it; the test is skipped (with the reason) without PostgreSQL.
    /// </summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, bool seedDemo = true, DateTimeOffset? now = null)
    {
        var at = now ?? DefaultNow;
        if (provider == DatabaseProvider.PostgreSql)
        {
            var cluster = await PostgreSqlCluster.GetAsync();
            var connectionString = await cluster.CreateDatabaseAsync($"{seedDemo}:{at.UtcTicks}",
                template => InitializeAsync(new TestDatabase(DatabaseProvider.PostgreSql, template), seedDemo, at));
            return new TestDatabase(DatabaseProvider.PostgreSql, connectionString, cluster);
        }
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"portal-test-{Guid.NewGuid():N}.db");
        var db = new TestDatabase(DatabaseProvider.Sqlite, path);
        await InitializeAsync(db, seedDemo, at);
        return db;
    }

    private static Task InitializeAsync(TestDatabase db, bool seedDemo, DateTimeOffset now) =>
        new DatabaseInitializer(db, new PortalOptions { SeedDemoData = seedDemo }, new FakeTimeProvider(now), NullLogger<DatabaseInitializer>.Instance)
            .InitializeAsync();

    public PortalDbContext CreateDbContext() => new(_options);

    /// <summary>A context whose commands pass through <paramref name="interceptor"/> (a test injecting a failure mid-operation).</summary>
    public PortalDbContext CreateDbContext(Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor interceptor) =>
        new(new DbContextOptionsBuilder<PortalDbContext>(_options).AddInterceptors(interceptor).Options);

    public Task<IAppDbContext> CreateAsync(CancellationToken cancellationToken = default) => Task.FromResult<IAppDbContext>(CreateDbContext());

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DropDatabaseAsync(ConnectionString);
            return;
        }
        SqliteConnection.ClearAllPools();
        await Task.Yield();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try { File.Delete(_path + suffix); }
            catch (IOException) { }
        }
    }
}
