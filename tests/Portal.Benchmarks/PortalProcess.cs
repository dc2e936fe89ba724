using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portal.Benchmarks;

/// <summary>How one portal process is started: its name (log file), PostgreSQL instead of the SQLite file, the public address behind a gateway.</summary>
/// <param name="PostgreSql">Connection string of the PostgreSQL database (issue #16); null: the SQLite file.</param>
/// <param name="PublicUrl">The gateway's address when the server runs behind Portal.Gateway (the OIDC authority, the loopback a known proxy).</param>
public sealed record PortalProcessSettings(string Name = "server", string? PostgreSql = null, string? PublicUrl = null);

/// <summary>
/// The portal (Portal.Web, the build configuration of this harness) as its own process on the generated
/// database, as in production but with the dev OIDC provider and no jobs server. Pinned to the last core
/// with taskset when there are at least two cores (the harness then pins itself to the others).
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private PortalProcess(Process process, int port, StreamWriter log, string? pinning, string name)
    {
        Name = name;
        _process = process;
        _log = log;
        Port = port;
        Pinning = pinning;
    }

    public int Port { get; }

    /// <summary>The server's name in the report and its log file (server, server-A, server-B).</summary>
    public string Name { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public int Pid => _process.Id;

    public string? Pinning { get; }

    public static async Task<PortalProcess> StartAsync(string database, string workDirectory, bool pin, TextWriter log, PortalProcessSettings? settings = null)
    {
        settings ??= new PortalProcessSettings();
        var root = RepositoryRoot();
        var configuration = Report.Build().StartsWith("Release", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(root, "src", "Portal.Web", "bin", configuration, "net10.0", "Portal.Web.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the solution in {configuration} first.");
        var port = FreePort();
        var dataDirectory = Path.Combine(workDirectory, "server-data");
        Directory.CreateDirectory(dataDirectory);

        var info = new ProcessStartInfo { WorkingDirectory = Path.Combine(root, "src", "Portal.Web"), RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string? pinning = null;
        var taskset = new[] { "/usr/bin/taskset", "/bin/taskset" }.FirstOrDefault(File.Exists);
        if (pin && taskset is not null && Environment.ProcessorCount >= 2)
        {
            var serverCore = Environment.ProcessorCount - 1;
            info.FileName = taskset;
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(serverCore.ToString(CultureInfo.InvariantCulture));
            info.ArgumentList.Add("dotnet");
            var clientCores = serverCore == 1 ? "0" : $"0-{serverCore - 1}";
            var pinSelf = new ProcessStartInfo(taskset) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            // -a: every thread of the harness, not only its main one (the thread pool's threads exist already).
            foreach (var a in new[] { "-a", "-cp", clientCores, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) }) pinSelf.ArgumentList.Add(a);
            using var self = Process.Start(pinSelf)!;
            await self.StandardOutput.ReadToEndAsync();
            await self.WaitForExitAsync();
            pinning = $"taskset: server on core {serverCore}, harness (clients) on core(s) {clientCores}";
        }
        else
        {
            info.FileName = "dotnet";
            pinning = null;
        }
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(Path.Combine(root, "src", "Portal.Web"));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Portal__DataDirectory"] = dataDirectory;
        info.Environment["Portal__JobsEnabled"] = "false";
        info.Environment["Portal__SeedDemoData"] = "false";
        if (settings.PostgreSql is { } postgreSql)
        {
            info.Environment["Database__Provider"] = "PostgreSql";
            info.Environment["Database__ConnectionString"] = postgreSql;
        }
        else info.Environment["Database__ConnectionString"] = $"Data Source={database};Default Timeout=30";
        info.Environment["Oidc__Authority"] = settings.PublicUrl ?? $"http://127.0.0.1:{port}";
        // Behind the gateway (ADR 0023): its forwarded headers are believed from the loopback only.
        if (settings.PublicUrl is not null) info.Environment["Proxy__KnownProxies__0"] = "127.0.0.1";
        info.Environment["Logging__LogLevel__Default"] = "Warning";

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the portal.");
        var logFile = new StreamWriter(Path.Combine(workDirectory, settings.Name + ".log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (logFile) logFile.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (logFile) logFile.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PortalProcess(process, port, logFile, pinning, settings.Name);

        using var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The portal exited ({process.ExitCode}): see {Path.Combine(workDirectory, settings.Name + ".log")}");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) { }
            if (watch.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException("The portal did not answer /health within 3 minutes.");
            await Task.Delay(250);
        }
        log.WriteLine($"  portal {settings.Name} up on {server.BaseUrl} in {watch.Elapsed.TotalSeconds:F1} s ({pinning ?? "not pinned"})");
        return server;
    }

    /// <summary>
    /// Forces a full blocking GC in the server from outside, as dotnet-gcdump does: an EventPipe session
    /// enabling the runtime's GCHeapCollect keyword makes the runtime induce a GC. False when it failed.
    /// </summary>
    public async Task<bool> ForceGcAsync()
    {
        try
        {
            var client = new Microsoft.Diagnostics.NETCore.Client.DiagnosticsClient(ServerPid());
            const long gc = 0x1, gcHeapCollect = 0x800000;
            using var session = client.StartEventPipeSession(
                new Microsoft.Diagnostics.NETCore.Client.EventPipeProvider("Microsoft-Windows-DotNETRuntime", System.Diagnostics.Tracing.EventLevel.Informational, gc | gcHeapCollect),
                requestRundown: false);
            var drain = session.EventStream.CopyToAsync(Stream.Null);
            await Task.Delay(TimeSpan.FromSeconds(2));
            await session.StopAsync(CancellationToken.None);
            await drain;
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>The server's resident memory (VmRSS, the working set), in bytes.</summary>
    public long WorkingSet() => VmRssBytes(File.ReadLines($"/proc/{ServerPid()}/status"));

    /// <summary>
    /// VmRSS from the lines of <c>/proc/PID/status</c>, in bytes (0 if absent). The kernel writes the name, a tab, the
    /// value padded with spaces to 8 digits only, then "kB": above 9.5 GB the tab is followed directly by the digits
    /// (issue #12: splitting on ' ' crashed there), so split on any whitespace.
    /// </summary>
    public static long VmRssBytes(IEnumerable<string> statusLines)
    {
        foreach (var line in statusLines)
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var fields = line["VmRSS:".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var kb = fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
            return kb * 1024;
        }
        return 0;
    }

    /// <summary>taskset execs dotnet in place: the pid stays the same.</summary>
    private int ServerPid() => _process.Id;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
