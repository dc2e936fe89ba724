using System.Collections.Concurrent;
using Portal.Application.Security;
using Portal.Testing;

namespace Portal.Application.Tests.Support;

/// <summary>
/// One migrated SQLite database seeded with the demo dataset at <see cref="TestDatabase.DefaultNow"/>,
/// shared by the tests of one class (xunit class fixture). Tests that write to it only add rows of
/// their own, or touch rows that no other test of the class reads.
/// </summary>
public sealed class DemoDatabase : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, CurrentUser> _users = new();
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>The instant the demo dataset was seeded at (Friday 27/11/2026, noon in Paris).</summary>
    public static DateTimeOffset SeededAt => TestDatabase.DefaultNow;

    /// <summary>The <see cref="CurrentUser"/> of a demo account (see <see cref="TestUsers"/>), built once.</summary>
    public async Task<CurrentUser> UserAsync(string local)
    {
        if (_users.TryGetValue(local, out var user)) return user;
        user = await TestUsers.ForAsync(Database, local);
        return _users.GetOrAdd(local, user);
    }

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}
