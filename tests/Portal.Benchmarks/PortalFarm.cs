using System.Diagnostics;
using Npgsql;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// What the server parts measure (issue #16): one portal on the SQLite file (the default), one portal on PostgreSQL, or
/// two portals on PostgreSQL behind Portal.Gateway (YARP, cookie affinity, round robin for a browser without the cookie).
/// The PostgreSQL database is a fresh copy of the generated SQLite file made by the portal's own verb
/// (<c>copy-to-postgresql</c>), in the run's throwaway cluster (as the tests start it) or in the database given by <c>--pg</c>.
/// </summary>
public sealed class PortalFarm : IAsyncDisposable
{
    private readonly List<PortalProcess> _servers = [];
    private Process? _gateway;
    private PostgreSqlCopies? _copies;

    private PortalFarm(string baseUrl) => BaseUrl = baseUrl;

    /// <summary>Where the clients go: the gateway, or the only server.</summary>
    public string BaseUrl { get; private set; }

    public IReadOnlyList<PortalProcess> Servers => _servers;

    /// <summary>The PostgreSQL database the servers use; null on SQLite.</summary>
    public string? PostgreSql { get; private set; }

    public string? Pinning => _servers.Select(s => s.Pinning).FirstOrDefault(p => p is not null) is { } p
        ? _servers.Count > 1 ? $"{p} (both servers on that core; the gateway and PostgreSQL not pinned)" : PostgreSql is null ? p : $"{p} (PostgreSQL not pinned)"
        : null;

    public string Description => PostgreSql is null
        ? "one portal server on the SQLite file"
        : _servers.Count == 1 ? "one portal server on PostgreSQL 15" : $"{_servers.Count} portal servers on PostgreSQL 15 behind Portal.Gateway ({BaseUrl})";

    public static async Task<PortalFarm> StartAsync(Report report, BenchmarkOptions options, string database, TextWriter log, PostgreSqlCopies? copies = null)
    {
        if (options.Provider == "sqlite")
        {
            var farm = new PortalFarm("");
            farm._servers.Add(await PortalProcess.StartAsync(database, options.WorkDirectory, options.Pin, log));
            farm.BaseUrl = farm._servers[0].BaseUrl;
            return farm;
        }

        copies ??= new PostgreSqlCopies(report, options, database, log);
        var postgreSql = await copies.CloneAsync();
        var gatewayUrl = options.Servers > 1 ? $"http://127.0.0.1:{PortalProcess.FreePort()}" : null;
        var result = new PortalFarm(gatewayUrl ?? "") { PostgreSql = postgreSql, _copies = copies };
        try
        {
            for (var i = 0; i < options.Servers; i++)
                result._servers.Add(await PortalProcess.StartAsync(database, options.WorkDirectory, options.Pin, log,
                    new PortalProcessSettings($"server-{(char)('A' + i)}", postgreSql, gatewayUrl)));
            if (gatewayUrl is null) result.BaseUrl = result._servers[0].BaseUrl;
            else await result.StartGatewayAsync(gatewayUrl, options.WorkDirectory, log);
        }
        catch
        {
            await result.DisposeAsync();
            throw;
        }
        return result;
    }

    /// <summary>The empty PostgreSQL database <paramref name="target"/> filled from the SQLite file by <c>Portal.Web copy-to-postgresql</c> (timed, reported).</summary>
    public static async Task<string> CopyToPostgreSqlAsync(Report report, BenchmarkOptions options, string database, TextWriter log, string target)
    {
        // The servers under load hold more connections than the tests' pool of 20.
        target = new NpgsqlConnectionStringBuilder(target) { MaxPoolSize = 100 }.ConnectionString;

        var root = PortalProcess.RepositoryRoot();
        var dll = Path.Combine(root, "src", "Portal.Web", "bin", Configuration(), "net10.0", "Portal.Web.dll");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(root, "src", "Portal.Web"), RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "copy-to-postgresql", target, $"--Database:ConnectionString=Data Source={database};Default Timeout=30", $"--Portal:DataDirectory={Path.Combine(options.WorkDirectory, "server-data")}" })
            info.ArgumentList.Add(a);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        log.WriteLine($"  copying {database} into PostgreSQL (copy-to-postgresql)");
        var watch = Stopwatch.StartNew();
        using var copy = Process.Start(info) ?? throw new InvalidOperationException("Could not start copy-to-postgresql.");
        var stdout = copy.StandardOutput.ReadToEndAsync();
        var stderr = copy.StandardError.ReadToEndAsync();
        await copy.WaitForExitAsync();
        var elapsed = watch.Elapsed;
        var output = await stdout;
        await File.WriteAllTextAsync(Path.Combine(options.WorkDirectory, "copy-to-postgresql.log"), output + await stderr);
        if (copy.ExitCode != 0) throw new InvalidOperationException($"copy-to-postgresql failed ({copy.ExitCode}): {await stderr}");
        var verified = output.Split('\n').LastOrDefault(l => l.StartsWith("Copie vérifiée", StringComparison.Ordinal))?.Trim() ?? "";
        var rows = System.Text.RegularExpressions.Regex.Match(verified, @"(\d+) lignes") is { Success: true } m ? long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        report.Add(GeneratorReport.Part, "copy of the SQLite file into PostgreSQL (`copy-to-postgresql`)", elapsed.TotalSeconds, "s",
            $"{rows:N0} rows, {rows / Math.Max(elapsed.TotalSeconds, 1e-3):N0} rows/s, migration, observatory facts rebuilt and the checksum verification of every table included; the portal's verb said: « {verified} »");
        log.WriteLine($"  copied in {elapsed.TotalSeconds:F0} s: {verified}");
        return target;
    }

    private async Task StartGatewayAsync(string url, string workDirectory, TextWriter log)
    {
        var root = PortalProcess.RepositoryRoot();
        var dll = Path.Combine(root, "src", "Portal.Gateway", "bin", Configuration(), "net10.0", "Portal.Gateway.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the solution first.");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add($"--urls={url}");
        for (var i = 0; i < _servers.Count; i++) info.ArgumentList.Add($"--Gateway:Servers:{i}={_servers[i].BaseUrl}");
        // A client without the affinity cookie goes to the next server in turn: the circuits part spreads its tabs so.
        info.ArgumentList.Add("--Gateway:LoadBalancing=RoundRobin");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        _gateway = Process.Start(info) ?? throw new InvalidOperationException("Could not start Portal.Gateway.");
        var logFile = new StreamWriter(Path.Combine(workDirectory, "gateway.log")) { AutoFlush = true };
        _gateway.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (logFile) logFile.WriteLine(e.Data); };
        _gateway.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (logFile) logFile.WriteLine(e.Data); };
        _gateway.BeginOutputReadLine();
        _gateway.BeginErrorReadLine();
        BaseUrl = url;
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (_gateway.HasExited) throw new InvalidOperationException($"Portal.Gateway exited ({_gateway.ExitCode}): see {Path.Combine(workDirectory, "gateway.log")}");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) { }
            if (watch.Elapsed > TimeSpan.FromMinutes(1)) throw new TimeoutException("Portal.Gateway did not answer /health within a minute.");
            await Task.Delay(250);
        }
        log.WriteLine($"  gateway up on {url} before {_servers.Count} servers");
    }

    /// <summary>A full GC forced in every server; false when one failed.</summary>
    public async Task<bool> ForceGcAsync()
    {
        var forced = true;
        foreach (var server in _servers) forced &= await server.ForceGcAsync();
        return forced;
    }

    /// <summary>The servers' resident memory together, in bytes.</summary>
    public long WorkingSet() => _servers.Sum(s => s.WorkingSet());

    private static string Configuration() => Report.Build().StartsWith("Release", StringComparison.Ordinal) ? "Release" : "Debug";

    public async ValueTask DisposeAsync()
    {
        if (_gateway is { HasExited: false })
        {
            _gateway.Kill(entireProcessTree: true);
            await _gateway.WaitForExitAsync();
        }
        _gateway?.Dispose();
        foreach (var server in _servers) await server.DisposeAsync();
        if (_copies is not null && PostgreSql is not null) await _copies.DropAsync(PostgreSql);
    }
}
