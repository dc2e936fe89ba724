using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
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

    public static IGlobalConfiguration Use(IGlobalConfiguration configuration, DatabaseProvider provider, string connectionString, PortalOptions options, string dataDirectory)
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            return configuration.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
            {
                SchemaName = options.JobsSchema is { Length: > 0 } schema ? schema : "hangfire",
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = PollInterval,
            });
        }
        var jobsDatabase = options.JobsDatabase is { Length: > 0 } j ? j : Path.Combine(dataDirectory, "hangfire.db");
        return configuration.UseSQLiteStorage(jobsDatabase, new SQLiteStorageOptions { QueuePollInterval = PollInterval });
    }
}
