using System.Collections.Concurrent;
using System.Linq.Expressions;
using Portal.Application.Abstractions;

namespace Portal.Testing;

/// <summary>
/// Runs an enqueued job at once, in process, on a job built by <paramref name="create"/> (Hangfire's server is off in
/// tests). A test awaits <see cref="DrainAsync"/> before asserting what the jobs did.
/// </summary>
public sealed class InlineJobScheduler(Func<Type, object> create) : IJobScheduler
{
    private readonly ConcurrentQueue<Task> _running = new();

    public string Enqueue<TJob>(Expression<Func<TJob, Task>> call) where TJob : notnull
    {
        var job = (TJob)create(typeof(TJob));
        _running.Enqueue(Task.Run(() => call.Compile()(job)));
        return _running.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for every job enqueued so far.</summary>
    public Task DrainAsync() => Task.WhenAll(_running);
}
