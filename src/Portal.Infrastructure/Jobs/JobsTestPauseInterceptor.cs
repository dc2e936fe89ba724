using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// Tests only (<c>Portal:JobsTestPause</c>, ADR 0022): a transaction committed by the named recurring job on this server
/// (<see cref="RecurringJobRunnerContext.Current"/>) waits before its commit, after its writes, and says so in the log.
/// The two-server test kills the server during that wait: the database rolls the transaction back, and the job's effects
/// are found all or nothing. Registered only when the setting names a job.
/// </summary>
public sealed class JobsTestPauseInterceptor(JobsTestPauseOptions options, ILogger<JobsTestPauseInterceptor> logger) : DbTransactionInterceptor
{
    /// <summary>The start of the warning, which the test waits for in the server's output.</summary>
    public const string Marker = "Pause de test avant validation";

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Applies()) await PauseAsync(cancellationToken);
        return result;
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (Applies()) PauseAsync(CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    private bool Applies() =>
        options.JobId is { Length: > 0 } id && options.BeforeCommit > TimeSpan.Zero && RecurringJobRunnerContext.Current == id;

    private Task PauseAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(Marker + " : tâche {JobId}, {Delay} (Portal:JobsTestPause, réglage de test).", options.JobId, options.BeforeCommit);
        return Task.Delay(options.BeforeCommit, cancellationToken);
    }
}
