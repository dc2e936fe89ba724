using System.Collections.Concurrent;
using Portal.Application.Security;

namespace Portal.Testing;

/// <summary>
/// One migrated SQLite database seeded with the demo dataset at <see cref="TestDatabase.DefaultNow"/>, shared by the
/// tests of one class (<c>IClassFixture&lt;DemoDatabase&gt;</c>) that only read it, or that only add rows of their own
/// or touch rows no other test of the class reads. Tests that change shared rows get their own
/// <see cref="TestDatabase"/> instead. The one fixture of the Application and Web tests (issue #15).
/// </summary>
public class DemoDatabase : Xunit.IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, CurrentUser> _users = new();
    private TestDatabase? _database;

    public TestDatabase Database
    {
        get
        {
            SkipUnlessAvailable();
            return _database ?? throw new InvalidOperationException("The fixture is not initialised.");
        }
    }

    /// <summary>The instant the demo dataset was seeded at (Friday 27/11/2026, noon in Paris).</summary>
    public static DateTimeOffset SeededAt => TestDatabase.DefaultNow;

    /// <summary>The <see cref="CurrentUser"/> of a demo account (see <see cref="TestUsers"/>), built once.</summary>
    public async Task<CurrentUser> UserAsync(string local)
    {
        if (_users.TryGetValue(local, out var user)) return user;
        user = await TestUsers.ForAsync(Database, local);
        return _users.GetOrAdd(local, user);
    }

    /// <summary>SQLite here; PostgreSQL in <see cref="PostgreSqlDemoDatabase"/> (ADR 0021).</summary>
    public virtual Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.Sqlite;

    /// <summary>Without PostgreSQL the fixture stays empty and each test of the class skips itself with the reason.</summary>
    public async ValueTask InitializeAsync()
    {
        if (Provider == Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql && !System.IO.File.Exists(System.IO.Path.Combine(PostgreSqlCluster.BinDirectory, "pg_ctl")))
            return;
        _database = await TestDatabase.CreateAsync(Provider);
    }

    /// <summary>Skips the calling test (with the reason) when this fixture's provider is not available here.</summary>
    public void SkipUnlessAvailable()
    {
        if (Provider == Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql) PostgreSqlCluster.SkipUnlessAvailable();
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>The demo database on PostgreSQL (ADR 0021), for the handler tests that run on both providers.</summary>
public sealed class PostgreSqlDemoDatabase : DemoDatabase
{
    public override Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql;
}
