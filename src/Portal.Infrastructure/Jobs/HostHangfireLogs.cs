using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide (a static of Hangfire), and its ASP.NET Core one holds the logger factory of
/// the host that configured Hangfire last. Several hosts in one process (the end-to-end tests run two PostgreSQL servers
/// beside the main one) would leave it on a host already stopped: creating a job client then threw
/// <see cref="ObjectDisposedException"/> and pages that enqueue jobs answered 500 (CI, December 2026). This provider
/// writes to that factory while it lives and drops the lines once it is disposed, never failing the caller.
/// </summary>
internal sealed class HostHangfireLogs(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new Guarded(_inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Guarded(ILog inner) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
