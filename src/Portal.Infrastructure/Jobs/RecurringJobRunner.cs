using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// Runs a recurring job at most once at a time across every portal server sharing the jobs storage (issue #16, ADR 0022):
/// each run takes the job's distributed lock in Hangfire's storage (a row of <c>hangfire.lock</c> on PostgreSQL, of the
/// SQLite file's lock table otherwise) before it starts. A second run, on this server or another, waits for the first
/// up to its entry's <see cref="JobSchedule.Entry.Wait"/> and then runs (the jobs are idempotent: it finds nothing left to
/// do), or, if the first still runs, skips: the next occurrence does the work. Hangfire's recurring scheduler already
/// enqueues each occurrence once across servers; the lock covers a run longer than the interval, a retry of a failed run
/// and a job re-queued from a server that stopped mid-way.
/// </summary>
public sealed class RecurringJobRunner<TJob>(TJob job, JobStorage storage, ILogger<RecurringJobRunner<TJob>> logger) where TJob : IRecurringJob
{
    /// <summary>The lock's resource name in the jobs storage.</summary>
    public static string Resource => $"portal:recurring:{JobSchedule.Find(typeof(TJob)).Id}";

    /// <summary>How long this run waits for another; the entry's <see cref="JobSchedule.Entry.Wait"/> unless set (tests).</summary>
    public TimeSpan? Wait { get; init; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var entry = JobSchedule.Find(typeof(TJob));
        var wait = Wait ?? entry.Wait;
        using var connection = storage.GetConnection();
        IDisposable handle;
        try
        {
            handle = connection.AcquireDistributedLock(Resource, wait);
        }
        catch (Exception ex) when (IsLockTimeout(ex))
        {
            logger.LogInformation("Recurring job {JobId} skipped: another run still holds its lock after {Wait}.", entry.Id, wait);
            return;
        }
        try
        {
            await job.RunAsync(cancellationToken);
        }
        finally
        {
            try
            {
                handle.Dispose();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The storage removed a lock held past its lifetime (a run longer than the storage's lock timeout).
                logger.LogWarning(ex, "Releasing the lock of recurring job {JobId} failed.", entry.Id);
            }
        }
    }

    /// <summary>Hangfire's own timeout (SQLite storage), or Hangfire.PostgreSql's exception for the same.</summary>
    private static bool IsLockTimeout(Exception ex) =>
        ex is DistributedLockTimeoutException or Hangfire.PostgreSql.PostgreSqlDistributedLockException;
}
