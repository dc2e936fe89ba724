using Portal.Testing;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// One migrated SQLite database seeded with the demo data, shared by the tests of a class
/// (<c>IClassFixture&lt;DemoDatabase&gt;</c>) that only read it. Tests that change rows get their own
/// database from <see cref="PortalTestContext"/> instead.
/// </summary>
public sealed class DemoDatabase : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialised yet.");

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}
