using System.Linq.Expressions;
using Hangfire;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Jobs;

internal sealed class HangfireJobScheduler(IBackgroundJobClient client) : IJobScheduler
{
    public string Enqueue<TJob>(Expression<Func<TJob, Task>> call) where TJob : notnull => client.Enqueue(call);
}
