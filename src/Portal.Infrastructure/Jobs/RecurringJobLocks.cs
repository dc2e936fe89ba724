using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Hangfire.Storage;
using Npgsql;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// Where a recurring job's run takes its lock (ADR 0022): one lock per job id, across every server sharing the database.
/// <see cref="TryAcquireAsync"/> waits up to <c>wait</c> and answers null when another run still holds it.
/// </summary>
public interface IRecurringJobLocks
{
    Task<IAsyncDisposable?> TryAcquireAsync(string resource, TimeSpan wait, CancellationToken cancellationToken);
}

/// <summary>
/// SQLite (one server): the distributed lock of Hangfire's storage (a row of the jobs file's lock table), as before. A run
/// killed while holding it leaves the row until the storage's lock timeout.
/// </summary>
public sealed class HangfireStorageJobLocks(JobStorage storage) : IRecurringJobLocks
{
    public Task<IAsyncDisposable?> TryAcquireAsync(string resource, TimeSpan wait, CancellationToken cancellationToken)
    {
        var connection = storage.GetConnection();
        try
        {
            var handle = connection.AcquireDistributedLock(resource, wait);
            return Task.FromResult<IAsyncDisposable?>(new Held(handle, connection));
        }
        catch (Exception ex) when (ex is DistributedLockTimeoutException or Hangfire.PostgreSql.PostgreSqlDistributedLockException)
        {
            connection.Dispose();
            return Task.FromResult<IAsyncDisposable?>(null);
        }
    }

    private sealed class Held(IDisposable handle, IStorageConnection connection) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            try { handle.Dispose(); }
            finally { connection.Dispose(); }
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// PostgreSQL (several servers): a session advisory lock (<c>pg_try_advisory_lock</c>) on a connection of its own, held for
/// the run. Unlike Hangfire.PostgreSql's lock rows, which a killed server leaves behind until their timeout (10 min by
/// default, no heartbeat), the lock belongs to the connection's session: when a server process dies (SIGKILL, crash) its
/// kernel closes the socket, PostgreSQL ends the session and the lock is free at once, so the other servers run the job
/// at its next occurrence (issue #16, two-server test); a machine gone silent frees it once PostgreSQL's TCP keepalive
/// notices (ADR 0022). The key is the first 8 bytes of the SHA-256 of the resource.
/// </summary>
public sealed class PostgreSqlAdvisoryJobLocks : IRecurringJobLocks
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(500);
    private readonly string _connectionString;

    public PostgreSqlAdvisoryJobLocks(string connectionString)
    {
        // Unpooled: closing the connection ends the session, so no lock can outlive its run in a pooled session.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = "portal_job_lock",
        }.ConnectionString;
    }

    /// <summary>The advisory lock key of a resource (64 bits of its SHA-256).</summary>
    public static long Key(string resource) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(resource)), 0);

    public async Task<IAsyncDisposable?> TryAcquireAsync(string resource, TimeSpan wait, CancellationToken cancellationToken)
    {
        var key = Key(resource);
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection))
                {
                    command.Parameters.AddWithValue(key);
                    if (await command.ExecuteScalarAsync(cancellationToken) is true)
                    {
                        var held = new Held(connection, key);
                        connection = null;
                        return held;
                    }
                }
                var left = wait - waited.Elapsed;
                if (left <= TimeSpan.Zero) return null;
                await Task.Delay(left < Retry ? left : Retry, cancellationToken);
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    private sealed class Held(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
                command.Parameters.AddWithValue(key);
                await command.ExecuteScalarAsync(CancellationToken.None);
            }
            finally
            {
                // Closing the unpooled connection ends the session: the lock is gone even if the unlock failed.
                await connection.DisposeAsync();
            }
        }
    }
}
