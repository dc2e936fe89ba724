using System.Linq.Expressions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Abstractions;
using Portal.Application.Features.Exports;

namespace Portal.E2E.Tests;

/// <summary>
/// The E2E server runs without Hangfire's server: background exports run here instead, in process, a moment after
/// they are queued (so that the browser sees them waiting first, as a user would). Every other job goes to Hangfire as usual.
/// </summary>
internal sealed class ExportJobsInProcess(IServiceScopeFactory scopes, IBackgroundJobClient hangfire) : IJobScheduler
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    public string Enqueue<TJob>(Expression<Func<TJob, Task>> call) where TJob : notnull
    {
        if (typeof(TJob) != typeof(ExportJob)) return hangfire.Enqueue(call);
        var run = call.Compile();
        _ = Task.Run(async () =>
        {
            await Task.Delay(Delay);
            using var scope = scopes.CreateScope();
            await run(scope.ServiceProvider.GetRequiredService<TJob>());
        });
        return Guid.NewGuid().ToString("N");
    }
}
