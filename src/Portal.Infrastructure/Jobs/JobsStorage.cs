using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Npgsql;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// Where Hangfire keeps its jobs, queues and locks (ADR 0022): with PostgreSQL, the portal's own database in a schema of
/// its own (<c>Portal:JobsSchema</c>, "hangfire"), so that every server shares one queue and one set of distributed locks;
/// with SQLite (one server), its own file beside the portal's (<c>Portal:JobsDatabase</c>, TECH-NOTES). Both are polled
/// every second (the defaults, 15 s, are too slow for the time rules).
/// </summary>
public static class JobsStorage
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The advisory lock under which a server creates or upgrades Hangfire's schema.</summary>
    private const string InstallLock = "SELECT pg_advisory_lock(hashtext('portal:hangfire-schema'))";

    private const string InstallUnlock = "SELECT pg_advisory_unlock(hashtext('portal:hangfire-schema'))";

    /// <summary>
    /// This server's storage. Each host has its own instance in its container (registered before <c>AddHangfire</c>, which
    /// would otherwise hand out the process-wide <c>JobStorage.Current</c>: several hosts in one process, as the tests
    /// run them, would then share the last configured one, a database another test may already have dropped).
    /// </summary>
    public static JobStorage Create(DatabaseProvider provider, string connectionString, PortalOptions options, string dataDirectory)
    {
        if (provider == DatabaseProvider.PostgreSql)
            return CreatePostgreSql(connectionString, options.JobsSchema is { Length: > 0 } schema ? schema : "hangfire", options.JobsLockTimeout);
        var jobsDatabase = options.JobsDatabase is { Length: > 0 } j ? j : Path.Combine(dataDirectory, "hangfire.db");
        return new SQLiteStorage(jobsDatabase, new SQLiteStorageOptions { QueuePollInterval = PollInterval });
    }

    /// <summary>
    /// Hangfire.PostgreSql over the portal's database. The storage creates or upgrades its schema when it is built: several
    /// servers starting together on an empty database do it one after the other (a session advisory lock, released
    /// explicitly: a pooled connection keeps its session), so that no server meets a half-created schema.
    /// </summary>
    /// <param name="lockTimeout">
    /// Hangfire's lock rows older than this are taken as left by a dead server (<c>Portal:JobsLockTimeout</c>, a minute;
    /// Hangfire.PostgreSql's own default, 10 min, stalled the other servers' scheduling that long after a kill). Not below
    /// 10 s: Hangfire holds its scheduler locks milliseconds, its expiration manager's a few seconds at most.
    /// </param>
    public static PostgreSqlStorage CreatePostgreSql(string connectionString, string schema, TimeSpan? lockTimeout = null)
    {
        var timeout = lockTimeout ?? TimeSpan.FromMinutes(1);
        if (timeout < TimeSpan.FromSeconds(10))
            throw new InvalidOperationException($"Portal:JobsLockTimeout ({timeout}) doit valoir au moins 10 secondes.");
        var options = new PostgreSqlStorageOptions { SchemaName = schema, PrepareSchemaIfNecessary = true, QueuePollInterval = PollInterval, DistributedLockTimeout = timeout };
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using (var command = new NpgsqlCommand(InstallLock, connection) { CommandTimeout = 300 }) command.ExecuteNonQuery();
        try
        {
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
        }
        finally
        {
            using var unlock = new NpgsqlCommand(InstallUnlock, connection);
            unlock.ExecuteNonQuery();
        }
    }
}
