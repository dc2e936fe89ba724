using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portal.Testing;

/// <summary>
/// The built portal (<c>src/Portal.Web/bin/{configuration}/net10.0/Portal.Web.dll</c>) as an OS process of its own, as a
/// server runs in production (issue #16, two-server tests: the jobs in tests/Portal.IntegrationTests, the browser journey
/// in tests/Portal.E2E.Tests). Its output is kept line by line. It dies with the test host:
/// it is started through util-linux's <c>setpriv --pdeathsig KILL</c> (which execs dotnet in place, same pid) from a
/// thread that lives until <see cref="DisposeAsync"/>, so the kernel kills it when that thread ends, also when the test
/// host is killed; <see cref="DisposeAsync"/> kills it (SIGKILL) in any case.
/// </summary>
public sealed class PortalServerProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ManualResetEventSlim _release = new();
    private readonly Thread _parent;
    private Process? _process;
    private Exception? _startError;
    private int _disposed;

    private PortalServerProcess(string name, int port, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        Port = port;
        using var started = new ManualResetEventSlim();
        _parent = new Thread(() =>
        {
            try
            {
                _process = Start(port, environment);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                _startError = ex;
            }
            started.Set();
            // The parent of the process for the kernel's parent-death signal: this thread must outlive it.
            _release.Wait();
        })
        { IsBackground = true, Name = $"portal-process-{name}" };
        _parent.Start();
        started.Wait();
        if (_startError is not null) throw new InvalidOperationException($"Le serveur {name} n'a pas démarré.", _startError);
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public int Pid => _process!.Id;

    public bool HasExited => _process!.HasExited;

    /// <summary>Every line the process wrote so far (stdout and stderr).</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The built Portal.Web.dll of this test run's configuration.</summary>
    public static string WebDll()
    {
        var dll = Path.Combine(RepositoryRoot(), "src", "Portal.Web", "bin", Configuration, "net10.0", "Portal.Web.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} introuvable : construire la solution ({Configuration}) d'abord.");
        return dll;
    }

    /// <summary>Starts a server on a free port of the loopback with these settings (environment variables, <c>Section__Key</c>).</summary>
    public static PortalServerProcess Start(string name, IReadOnlyDictionary<string, string> environment) =>
        new(name, FreePort(), environment);

    private Process Start(int port, IReadOnlyDictionary<string, string> environment)
    {
        var root = RepositoryRoot();
        var info = new ProcessStartInfo
        {
            WorkingDirectory = Path.Combine(root, "src", "Portal.Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var setpriv = new[] { "/usr/bin/setpriv", "/bin/setpriv" }.FirstOrDefault(File.Exists);
        if (setpriv is not null)
        {
            info.FileName = setpriv;
            foreach (var a in new[] { "--pdeathsig", "KILL", "--", "dotnet" }) info.ArgumentList.Add(a);
        }
        else
        {
            info.FileName = "dotnet";
        }
        foreach (var a in new[] { WebDll(), "--urls", $"http://127.0.0.1:{port}", "--contentRoot", Path.Combine(root, "src", "Portal.Web") })
            info.ArgumentList.Add(a);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Oidc__Authority"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet n'a pas démarré.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until <c>/health</c> answers 200 (fails with the process's output if it exits or times out).</summary>
    public async Task WaitUntilUpAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"Le serveur {Name} s'est arrêté ({_process.ExitCode}) :\n{Output()}");
            try
            {
                if ((await http.GetAsync("/health", cancellationToken)).IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new TimeoutException($"Le serveur {Name} n'a pas répondu sur /health en {timeout} :\n{Output()}");
    }

    /// <summary>SIGKILL, as a crash or a power loss: no shutdown, no cleanup.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false }) _process.Kill();
        _process?.WaitForExit(10_000);
    }

    /// <summary>The last lines of output, for a failure message.</summary>
    public string Output(int last = 60) => string.Join('\n', Lines.TakeLast(last));

    /// <summary>
    /// The ids of the processes still running this server's command line (<c>Portal.Web.dll</c> with its <c>--urls</c>),
    /// read in <c>/proc</c>: empty once it is gone, whoever started it again on that port.
    /// </summary>
    public IReadOnlyList<int> RunningProcesses()
    {
        var urls = $"--urls\0{BaseAddress.ToString().TrimEnd('/')}\0";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // Gone meanwhile, or not ours to read.
            }
            if (commandLine.Contains("Portal.Web.dll", StringComparison.Ordinal) && commandLine.Contains(urls, StringComparison.Ordinal)) found.Add(pid);
        }
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
        finally
        {
            _process?.Dispose();
            _release.Set();
            _parent.Join(TimeSpan.FromSeconds(10));
            _release.Dispose();
        }
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        throw new InvalidOperationException("Portal.sln introuvable au-dessus de " + AppContext.BaseDirectory);
    }

    /// <summary>A free TCP port of the loopback (free when asked: the caller binds it soon after).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
