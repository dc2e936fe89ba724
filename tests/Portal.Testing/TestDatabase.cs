using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Infrastructure;
using Portal.Infrastructure.Persistence;

namespace Portal.Testing;

/// <summary>
/// A real SQLite database in a temporary file, migrated like production, optionally seeded with the
/// demo dataset at a fixed instant. Implements both factories, one context per operation.
/// </summary>
public sealed class TestDatabase : IDbContextFactory<PortalDbContext>, IAppDbContextFactory, IAsyncDisposable
{
    /// <summary>The instant the demo dataset is seeded at, unless told otherwise (a Friday, noon in Paris).</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 27, 11, 0, 0, TimeSpan.Zero);

    private readonly string _path;
    private readonly DbContextOptions<PortalDbContext> _options;

    private TestDatabase(string path)
    {
        _path = path;
        _options = new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite($"Data Source={path};Default Timeout=30", o => o.MigrationsAssembly(DependencyInjection.SqliteMigrationsAssembly))
            .UseOpenIddict()
            .Options;
    }

    public string Path => _path;

    public string ConnectionString => $"Data Source={_path}";

    /// <summary>Creates a migrated database; with <paramref name="seedDemo"/>, the demo dataset seeded at <paramref name="now"/>.</summary>
    public static async Task<TestDatabase> CreateAsync(bool seedDemo = true, DateTimeOffset? now = null)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"portal-test-{Guid.NewGuid():N}.db");
        var db = new TestDatabase(path);
        var clock = new FakeTimeProvider(now ?? DefaultNow);
        var options = new PortalOptions { SeedDemoData = seedDemo };
        await new DatabaseInitializer(db, options, clock, NullLogger<DatabaseInitializer>.Instance).InitializeAsync();
        return db;
    }

    public PortalDbContext CreateDbContext() => new(_options);

    /// <summary>A context whose commands pass through <paramref name="interceptor"/> (a test injecting a failure mid-operation).</summary>
    public PortalDbContext CreateDbContext(Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor interceptor) =>
        new(new DbContextOptionsBuilder<PortalDbContext>(_options).AddInterceptors(interceptor).Options);

    public Task<IAppDbContext> CreateAsync(CancellationToken cancellationToken = default) => Task.FromResult<IAppDbContext>(CreateDbContext());

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await Task.Yield();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try { File.Delete(_path + suffix); }
            catch (IOException) { }
        }
    }
}
