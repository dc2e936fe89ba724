using System.Linq.Expressions;

namespace Portal.Application.Abstractions;

/// <summary>Enqueues background work (never static BackgroundJob calls: tests substitute this).</summary>
public interface IJobScheduler
{
    string Enqueue<TJob>(Expression<Func<TJob, Task>> call) where TJob : notnull;
}

/// <summary>A recurring, idempotent job (ARCHITECTURE rule 8).</summary>
public interface IRecurringJob
{
    Task RunAsync(CancellationToken cancellationToken);
}
