using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// Runs a recurring job at most once at a time across every portal server sharing the jobs storage (issue #16, ADR 0022):
/// each run takes the job's lock (<see cref="IRecurringJobLocks"/>: a session advisory lock on PostgreSQL, freed at once
/// when a server dies; a row of the SQLite jobs file's lock table otherwise) before it starts. A second run, on this server or another, waits for the first
/// up to its entry's <see cref="JobSchedule.Entry.Wait"/> and then runs (the jobs are idempotent: it finds nothing left to
/// do), or, if the first still runs, skips: the next occurrence does the work. Hangfire's recurring scheduler already
/// enqueues each occurrence once across servers; the lock covers a run longer than the interval, a retry of a failed run
/// and a job re-queued from a server that stopped mid-way.
/// </summary>
public sealed class RecurringJobRunner<TJob>(TJob job, IRecurringJobLocks locks, ILogger<RecurringJobRunner<TJob>> logger, PortalOptions? options = null)
    where TJob : IRecurringJob
{
    /// <summary>The lock's resource name (an advisory lock's key on PostgreSQL, a lock row of the jobs file on SQLite).</summary>
    public static string Resource => $"portal:recurring:{JobSchedule.Find(typeof(TJob)).Id}";

    /// <summary>How long this run waits for another; the entry's wait (<see cref="JobSchedule.WaitOf"/>) unless set (tests).</summary>
    public TimeSpan? Wait { get; init; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var entry = JobSchedule.Find(typeof(TJob));
        var wait = Wait ?? JobSchedule.WaitOf(entry, options?.JobSchedules);
        var handle = await locks.TryAcquireAsync(Resource, wait, cancellationToken);
        if (handle is null)
        {
            logger.LogInformation("Recurring job {JobId} skipped: another run still holds its lock after {Wait}.", entry.Id, wait);
            return;
        }
        var previous = RecurringJobRunnerContext.Current;
        RecurringJobRunnerContext.Current = entry.Id;
        try
        {
            await job.RunAsync(cancellationToken);
        }
        finally
        {
            RecurringJobRunnerContext.Current = previous;
            try
            {
                await handle.DisposeAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The storage removed a lock held past its lifetime (SQLite), or the lock's connection was lost (PostgreSQL).
                logger.LogWarning(ex, "Releasing the lock of recurring job {JobId} failed.", entry.Id);
            }
        }
    }
}

/// <summary>The id of the recurring job run in the current flow of execution, if any (an <see cref="AsyncLocal{T}"/>, read by <see cref="JobsTestPauseInterceptor"/>).</summary>
public static class RecurringJobRunnerContext
{
    private static readonly AsyncLocal<string?> Running = new();

    public static string? Current
    {
        get => Running.Value;
        internal set => Running.Value = value;
    }
}
