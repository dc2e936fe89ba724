using Microsoft.Extensions.Logging;

namespace Portal.E2E.Tests;

/// <summary>
/// Writes the portal's errors (and warnings) during the end-to-end run to a file beside the screenshots, so that a
/// failure seen only in CI (a page answering 500) comes with its exception: <c>test.sh</c> prints the file's end when
/// a test failed.
/// </summary>
public sealed class ServerErrorLog(string path) : ILoggerProvider
{
    private readonly Lock _gate = new();

    public static string PathBesideScreenshots => Path.Combine(PortalServer.ScreenshotDirectory, "..", "server-errors.log");

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (_gate) File.AppendAllText(path, line);
    }

    private sealed class Logger(ServerErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            log.Write($"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{Environment.NewLine}"
                + (exception is null ? "" : exception + Environment.NewLine));
        }
    }
}
