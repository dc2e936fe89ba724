using System.Collections.Concurrent;
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
    /// Creates a migrated database on <paramref name="provider"/>, each call its own. The first call for a given
    /// (<paramref name="seedDemo"/>, <paramref name="now"/>) initialises a template as production does (migrations,
    /// reference data, seed); the next ones copy it: SQLite with its backup API (issue #15: the migrations and the seed
    /// ran once per test, 0.5 to 1 s each), PostgreSQL with CREATE DATABASE … TEMPLATE (skipped, with the reason, without
    /// PostgreSQL).
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
        var template = await Templates.GetOrAdd((seedDemo, at), key => new Lazy<Task<string>>(() => InitializeTemplateAsync(key.SeedDemo, key.Now))).Value;
        var path = NewPath();
        // One copy at a time: tests start in parallel, and two connections opening the template at once could meet
        // SQLite's "database is locked" (a copy takes a few milliseconds).
        lock (CopyLock)
        using (var source = new SqliteConnection($"Data Source={template};Mode=ReadOnly;Pooling=False;Default Timeout=30"))
        using (var target = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=30"))
        {
            source.Open();
            target.Open();
            source.BackupDatabase(target);
            // As DatabaseInitializer leaves a database: WAL (the backup copies pages, not the connection's journal mode).
            using var wal = target.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }
        return new TestDatabase(DatabaseProvider.Sqlite, path);
    }

    private static readonly Lock CopyLock = new();

    private static readonly ConcurrentDictionary<(bool SeedDemo, DateTimeOffset Now), Lazy<Task<string>>> Templates = new();

    private static readonly string TemplateDirectory = Directory.CreateDirectory(
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"portal-test-templates-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;

    static TestDatabase() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(TemplateDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    };

    private static string NewPath() => System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"portal-test-{Guid.NewGuid():N}.db");

    /// <summary>Migrates and seeds the SQLite template exactly as <see cref="DatabaseInitializer"/> does at start-up.</summary>
    private static async Task<string> InitializeTemplateAsync(bool seedDemo, DateTimeOffset now)
    {
        var path = System.IO.Path.Combine(TemplateDirectory, $"template-{Guid.NewGuid():N}.db");
        var db = new TestDatabase(DatabaseProvider.Sqlite, path);
        await InitializeAsync(db, seedDemo, now);
        // Close the pooled connections: the WAL is checkpointed into the file, which the copies read. The template then
        // leaves WAL mode, so that a copy reads one plain file (no -wal/-shm to recover while another copy reads).
        SqliteConnection.ClearPool(new SqliteConnection(db.ConnectionString + ";Default Timeout=30"));
        using (var plain = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=30"))
        {
            plain.Open();
            using var journal = plain.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode=DELETE;";
            journal.ExecuteNonQuery();
        }
        return path;
    }

    private static Task InitializeAsync(TestDatabase db, bool seedDemo, DateTimeOffset now) =>
        new DatabaseInitializer(db, new PortalOptions { SeedDemoData = seedDemo }, new FakeTimeProvider(now), NullLogger<DatabaseInitializer>.Instance)
            .InitializeAsync();

    public PortalDbContext CreateDbContext() => new(_options);

    /// <summary>A context whose commands pass through <paramref name="interceptor"/> (a test injecting a failure mid-operation).</summary>
    public PortalDbContext CreateDbContext(Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor interceptor) =>
        new(new DbContextOptionsBuilder<PortalDbContext>(_options).AddInterceptors(interceptor).Options);

    public Task<IAppDbContext> CreateAsync(CancellationToken cancellationToken = default) => Task.FromResult<IAppDbContext>(CreateDbContext());

    /// <summary>SQLite's plan for <paramref name="sql"/>: each step's text (<c>EXPLAIN QUERY PLAN</c>'s "detail" column), in order.</summary>
    public async Task<List<string>> QueryPlanAsync(string sql, CancellationToken cancellationToken)
    {
        await using var db = CreateDbContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) plan.Add(reader.GetString(3));
        return plan;
    }

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
