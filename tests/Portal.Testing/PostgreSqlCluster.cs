using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace Portal.Testing;

/// <summary>
/// A throwaway PostgreSQL 15 cluster for the whole test run (ADR 0021): started on first use when
/// <c>/usr/lib/postgresql/15/bin/pg_ctl</c> exists (initdb into a temporary folder owned by the <c>postgres</c> user,
/// its own free port on 127.0.0.1, its socket in that folder, durability off), stopped and removed when the process
/// exits (also after a crash of the tests: ProcessExit). Each test database is a copy of a migrated template
/// (<c>CREATE DATABASE … TEMPLATE</c>), which takes milliseconds. Where PostgreSQL is missing, the PostgreSQL variants
/// of the tests report themselves skipped with the reason (<see cref="SkipUnlessAvailable"/>), never passed.
/// </summary>
public sealed class PostgreSqlCluster
{
    /// <summary>PostgreSQL 15's programs; <c>PORTAL_TEST_PG_BIN</c> points elsewhere (a missing folder shows the skipped variants).</summary>
    public static readonly string BinDirectory = Environment.GetEnvironmentVariable("PORTAL_TEST_PG_BIN") is { Length: > 0 } bin ? bin : "/usr/lib/postgresql/15/bin";

    private static readonly Lazy<Task<PostgreSqlCluster?>> Shared = new(StartOrNullAsync);
    private static string? _unavailable;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _templates = new();
    private readonly string _folder;

    private PostgreSqlCluster(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The connection string of a database of this cluster (the superuser, trust authentication on loopback).</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=20;Include Error Detail=true";

    /// <summary>The shared cluster, started on first call; skips the calling test (with the reason) where it cannot run.</summary>
    public static async Task<PostgreSqlCluster> GetAsync()
    {
        var cluster = await Shared.Value;
        Assert.SkipWhen(cluster is null, $"PostgreSQL indisponible : {_unavailable}");
        return cluster!;
    }

    /// <summary>Skips the calling test when no cluster can be started here (without starting one if it can).</summary>
    public static void SkipUnlessAvailable() =>
        Assert.SkipUnless(File.Exists(Path.Combine(BinDirectory, "pg_ctl")), $"PostgreSQL 15 absent ({BinDirectory}/pg_ctl introuvable) : variante PostgreSQL non exécutée.");

    /// <summary>
    /// A new empty database copied from the template named <paramref name="templateKey"/>, which <paramref name="build"/>
    /// fills once per run (given its connection string) before it is first copied.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string templateKey, Func<string, Task> build)
    {
        var template = await _templates.GetOrAdd(templateKey, key => new Lazy<Task<string>>(async () =>
        {
            var name = "tpl_" + Guid.NewGuid().ToString("N");
            await ExecuteAsync($"CREATE DATABASE {name}");
            var cs = ConnectionString(name);
            await build(cs);
            // A template cannot be copied while a connection is open on it.
            await using (var connection = new NpgsqlConnection(cs)) NpgsqlConnection.ClearPool(connection);
            return name;
        })).Value;
        var database = "t_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE {database} TEMPLATE {template}");
        return ConnectionString(database);
    }

    /// <summary>Drops a test database (its pooled connections closed first).</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var connection = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(connection);
        await ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<PostgreSqlCluster?> StartOrNullAsync()
    {
        var pgCtl = Path.Combine(BinDirectory, "pg_ctl");
        if (!File.Exists(pgCtl)) { _unavailable = $"{pgCtl} introuvable"; return null; }
        var folder = Path.Combine(Path.GetTempPath(), $"portal-pg-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(folder);
            var asPostgres = Environment.UserName == "root";
            if (asPostgres) Run("chown", ["postgres:postgres", folder]);
            var data = Path.Combine(folder, "data");
            RunAs(asPostgres, Path.Combine(BinDirectory, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
            var port = FreePort();
            var settings = $"-k {folder} -c listen_addresses=127.0.0.1 -p {port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
            RunAs(asPostgres, pgCtl, ["-D", data, "-l", Path.Combine(folder, "log"), "-w", "-t", "60", "-o", settings, "start"]);
            var cluster = new PostgreSqlCluster(folder, port);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop(asPostgres, data);
            await Task.CompletedTask;
            return cluster;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            _unavailable = ex.Message;
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return null;
        }
    }

    private void Stop(bool asPostgres, string data)
    {
        try { RunAs(asPostgres, Path.Combine(BinDirectory, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]); }
        catch (Exception ex) when (ex is InvalidOperationException or IOException) { }
        try { Directory.Delete(_folder, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void RunAs(bool asPostgres, string program, IReadOnlyList<string> arguments)
    {
        if (asPostgres) Run("runuser", ["-u", "postgres", "--", program, .. arguments]);
        else Run(program, arguments);
    }

    private static void Run(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} n'a pas démarré");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) { process.Kill(); throw new InvalidOperationException($"{program} : délai dépassé"); }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} a échoué ({process.ExitCode}) : {error.Result}{output.Result}");
    }
}
