using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Application.Abstractions;
using Portal.Testing;

namespace Portal.Application.Tests.Support;

/// <summary>
/// Issue #16 (3): fails the first database command whose text contains <paramref name="failOn"/> (before it runs), and
/// records the commands that ran, so that a test can show that a job's earlier write did run and was rolled back with it.
/// </summary>
internal sealed class FailOnCommand(string failOn) : DbCommandInterceptor
{
    private int _faults;

    public ConcurrentQueue<string> Executed { get; } = new();

    public int Faults => _faults;

    private void Check(DbCommand command)
    {
        if (command.CommandText.Contains(failOn, StringComparison.Ordinal) && Interlocked.CompareExchange(ref _faults, 1, 0) == 0)
            throw new InvalidOperationException("Injected fault between two writes of the job.");
        Executed.Enqueue(command.CommandText);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }
}

/// <summary>Hands out contexts of the test database whose commands go through <paramref name="interceptor"/>.</summary>
internal sealed class InterceptedDbFactory(TestDatabase database, IInterceptor interceptor) : IAppDbContextFactory
{
    public Task<IAppDbContext> CreateAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IAppDbContext>(database.CreateDbContext(interceptor));
}
