using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Catalogue;
using Portal.Application.Features.Home;
using Portal.Application.Features.Observatory;
using Portal.Application.Features.Pilotage;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Infrastructure.Persistence;

namespace Portal.Benchmarks;

/// <summary>Prerendered GETs under load, beside the SQL floor of the page's handler.</summary>
public static class PagesBenchmark
{
    /// <summary>The default period of the observatory pages: the last twelve months up to today (Paris).</summary>
    private static (DateOnly From, DateOnly To) LastYear
    {
        get
        {
            var today = Portal.Domain.Offer.TrainingSession.Today(TimeProvider.System.GetUtcNow());
            return (today.AddYears(-1).AddDays(1), today);
        }
    }

    /// <summary>The evaluation report's default period: the last four quarters up to today.</summary>
    private static (DateOnly From, DateOnly To) LastQuarters
    {
        get
        {
            var today = Portal.Domain.Offer.TrainingSession.Today(TimeProvider.System.GetUtcNow());
            return (new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1).AddMonths(-9), today);
        }
    }

    public const string Part = "2. Pages under load";

    internal sealed record Target(string Name, string? Account, string Path, string Marker, Func<IServiceProvider, CurrentUser?, Task> Handler, string HandlerName);

    public static readonly int[] Concurrencies = [1, 16, 64];

    public static async Task RunAsync(Report report, BenchmarkOptions options, string database, PortalFarm server, TextWriter log)
    {
        report.Note(Part, $"The portal (Portal.Web, {Report.Build()}): {server.Description}, each server its own process on the generated data ({server.Pinning ?? "not pinned: taskset unavailable or one core"}). "
            + "Each client logs in through the dev OIDC provider (the real code + PKCE flow) as the page's role, then GETs the page (prerendered HTML, status 200 checked and a marker of the page's content looked for; "
            + $"no circuit opened). Per page and concurrency: {options.DurationSeconds:0.#} s of closed-loop requests after a warm-up; latencies of every request, throughput = requests / wall time. "
            + "Floor: the SQL statements EF sends for the page's handler (recorded with an interceptor while calling the real handler in-process with the same arguments), replayed through ADO.NET on one open connection, every column of every row read; median of 20 replays. "
            + "Handler: the real handler called in-process (median of 20), EF included. Ratio = page p50 at concurrency 1 / floor. Note: the layout's own queries (if any) are not in the floor. "
            + "Observatories: the CARIF's home (*Observatoires*, the Pilotage counters) and the three observatory pages (access Q3, quality Q1, evaluation Q4), over their default period (the last twelve months, or the last four quarters). "
            + "The server shares an observatory's figures with the readers asking for the same ones for Portal:ObservatoryCacheSeconds (60 s by default; issue #12): over a 5 s measurement the pages are served from one computation "
            + "(the warm-up's, or the first request's); the handler figure is one computation (in-process, sharing off).");

        // The arguments of each page, found in the generated data.
        var recorder = new SqlRecorder();
        // The in-process handlers compute every time (issue #12: the server shares an observatory's figures for a minute, the
        // handler figure is the computation itself).
        await using var services = Generator.BuildServices(database, seedDemo: false, configure: s =>
        {
            s.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(recorder));
            s.AddSingleton(new ObservatoryCacheSettings(TimeSpan.Zero));
        }, postgreSql: server.PostgreSql);
        var (targets, users) = await TargetsAsync(services);
        targets = [.. targets.Where(t => BenchmarkOptions.Selected(options.PageFilter, t.Name))];

        // The floor on the database the servers use (the SQLite file, or the PostgreSQL copy: issue #16).
        await using var floorContext = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var connection = floorContext.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var target in targets)
        {
            var user = target.Account is null ? null : users[target.Account];
            // Handler in-process, then its SQL recorded and replayed (the floor).
            await target.Handler(services, user);
            var handlerTimes = new List<double>();
            var repeats = options.Smoke ? 3 : 20;
            for (var i = 0; i < repeats; i++)
            {
                var w = Stopwatch.StartNew();
                await target.Handler(services, user);
                handlerTimes.Add(w.Elapsed.TotalMilliseconds);
            }
            recorder.Clear();
            recorder.Recording = true;
            await target.Handler(services, user);
            recorder.Recording = false;
            var commands = recorder.Commands.ToList();
            SqlRecorder.Replay(connection, commands);
            var floors = new List<double>();
            long rows = 0;
            for (var i = 0; i < repeats; i++)
            {
                var (ms, r) = SqlRecorder.Replay(connection, commands);
                floors.Add(ms);
                rows = r;
            }
            var floor = Median(floors);
            var handler = Median(handlerTimes);

            using var client = await Login.ClientAsync(server.BaseUrl, target.Account);
            // Warm-up (JIT, caches): excluded.
            for (var i = 0; i < (options.Smoke ? 1 : 5); i++) await GetAsync(client, target);
            double? p50AtOne = null;
            foreach (var concurrency in options.Smoke ? [1, 4] : Concurrencies)
            {
                var (latencies, errors, wall) = await LoadAsync(client, target, concurrency, TimeSpan.FromSeconds(options.DurationSeconds));
                latencies.Sort();
                var p50 = Percentile(latencies, 0.50);
                p50AtOne ??= p50;
                var name = $"{target.Name}, concurrency {concurrency}";
                report.Add(Part, $"{name}: p50 / p95 / p99", p50, "ms",
                    $"p95 {Percentile(latencies, 0.95):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies.LastOrDefault():F1} ms; {latencies.Count} requests, {errors} errors");
                report.Add(Part, $"{name}: throughput", latencies.Count / wall.TotalSeconds, "req/s", $"{latencies.Count} requests in {wall.TotalSeconds:F1} s by {concurrency} clients in closed loop");
                log.WriteLine($"  {name}: p50 {p50:F1} ms p95 {Percentile(latencies, 0.95):F1} ms p99 {Percentile(latencies, 0.99):F1} ms, {latencies.Count / wall.TotalSeconds:F0} req/s, {errors} errors");
            }
            report.Add(Part, $"{target.Name}: handler in-process", handler, "ms", $"{target.HandlerName}, median of 20 calls, EF included");
            report.Add(Part, $"{target.Name}: SQL floor", floor, "ms", $"{commands.Count} statement(s) EF sends for {target.HandlerName}, {rows} rows, replayed through ADO.NET, median of 20");
            report.Add(Part, $"{target.Name}: ratio page / floor", p50AtOne / Math.Max(floor, 0.001), "×", "page p50 at concurrency 1 / SQL floor");
        }
        if (BenchmarkOptions.Selected(options.PageFilter, "anonymous catalogue keep-alive"))
            await CatalogueThroughputAsync(report, options, server, log);
    }

    /// <summary>The pages measured, each with the handler it calls and the account that reads it (found in the generated data).</summary>
    internal static async Task<(Target[] Targets, Dictionary<string, CurrentUser> Users)> TargetsAsync(IServiceProvider services)
    {
        Guid sessionId;
        var users = new Dictionary<string, CurrentUser>();
        await using (var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            foreach (var account in new[] { "camille.durand", "sophie.bernard", "julie.moreau", "nicolas.roux" })
                users[account] = await DemoUsers.ForAsync(db, account);
            sessionId = await DemoUsers.BusiestSessionAsync(db, users["julie.moreau"].OrganisationId);
        }
        Target[] targets =
        [
            new("prescriber's dashboard `/` (Mes candidats)", "camille.durand", "/", "Mes candidats",
                (sp, u) => sp.GetRequiredService<GetPrescriberDashboard.Handler>().HandleAsync(new GetPrescriberDashboard(false, Take: 50), u!), "GetPrescriberDashboard(false, Take: 50)"),
            new("référent's `/organisation`", "sophie.bernard", "/organisation", "Candidats de l",
                (sp, u) => sp.GetRequiredService<GetPrescriberDashboard.Handler>().HandleAsync(new GetPrescriberDashboard(true, Take: 50), u!), "GetPrescriberDashboard(true, Take: 50)"),
            new("OF's session `/sessions/{id}` (busiest open session of julie.moreau)", "julie.moreau", $"/sessions/{sessionId}", "Autres choix",
                (sp, u) => sp.GetRequiredService<GetSessionWaitlist.Handler>().HandleAsync(new GetSessionWaitlist(sessionId), u!), "GetSessionWaitlist"),
            new("catalogue search `/catalogue?q=formation&commune=33063&rayon=30`", null, "/catalogue?q=formation&commune=33063&rayon=30", "formation",
                (sp, _) => sp.GetRequiredService<SearchCatalogue.Handler>().HandleAsync(new SearchCatalogue(Words: "formation", CommuneInsee: "33063", RadiusKm: 30)), "SearchCatalogue"),
            new("observatory: CARIF home `/` (Observatoires, aggregated indicators)", "nicolas.roux", "/", "Observatoires",
                (sp, u) => sp.GetRequiredService<GetOverview.Handler>().HandleAsync(u!), "GetOverview"),
            new("access observatory `/observatoire/acces` (Q3, last twelve months)", "nicolas.roux", "/observatoire/acces", "data-testid=\"table-publics\"",
                (sp, u) => sp.GetRequiredService<GetAccessObservatory.Handler>().HandleAsync(new GetAccessObservatory(LastYear.From, LastYear.To), u!), "GetAccessObservatory"),
            new("quality observatory `/observatoire/qualite` (Q1, last twelve months)", "nicolas.roux", "/observatoire/qualite", "Qualité de la prescription",
                (sp, u) => sp.GetRequiredService<GetQualityIndicators.Handler>().HandleAsync(new GetQualityIndicators(LastYear.From, LastYear.To), u!), "GetQualityIndicators"),
            new("evaluation report `/observatoire/evaluation` (Q4, last four quarters)", "nicolas.roux", "/observatoire/evaluation", "data-testid=\"table-lisibilite\"",
                (sp, u) => sp.GetRequiredService<GetEvaluationReport.Handler>().HandleAsync(new GetEvaluationReport(LastQuarters.From, LastQuarters.To), u!), "GetEvaluationReport"),
        ];

        return (targets, users);
    }

    public const int KeepAliveConcurrency = 64;

    /// <summary>
    /// Issue #12: the anonymous catalogue's throughput as a browser fleet behind keep-alive would load it: one HttpClient on a
    /// SocketsHttpHandler pooling <see cref="KeepAliveConcurrency"/> connections (opened once during the warm-up, then
    /// reused), no cookies, <see cref="KeepAliveConcurrency"/> clients in closed loop. The connections the handler opens are counted.
    /// </summary>
    private static async Task CatalogueThroughputAsync(Report report, BenchmarkOptions options, PortalFarm server, TextWriter log)
    {
        var connections = 0;
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = KeepAliveConcurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        var target = new Target("anonymous catalogue `/catalogue`, keep-alive client", null, "/catalogue", "Catalogue des formations", (_, _) => Task.CompletedTask, "none");
        // Warm-up: every client once at the same time, which opens the pool's connections.
        await Task.WhenAll(Enumerable.Range(0, KeepAliveConcurrency).Select(_ => GetAsync(client, target)));
        var opened = connections;
        var (latencies, errors, wall) = await LoadAsync(client, target, KeepAliveConcurrency, TimeSpan.FromSeconds(options.DurationSeconds));
        latencies.Sort();
        var throughput = latencies.Count / wall.TotalSeconds;
        report.Add(Part, $"{target.Name}, concurrency {KeepAliveConcurrency}: throughput", throughput, "req/s",
            $"{latencies.Count} requests in {wall.TotalSeconds:F1} s by {KeepAliveConcurrency} clients in closed loop on one HttpClient (SocketsHttpHandler, {KeepAliveConcurrency} pooled keep-alive connections, no cookies); "
            + $"p50 {Percentile(latencies, 0.5):F1} ms, p95 {Percentile(latencies, 0.95):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms; {errors} errors; "
            + $"{opened} connections opened by the warm-up, {connections - opened} more during the measurement");
        log.WriteLine($"  {target.Name}, concurrency {KeepAliveConcurrency}: {throughput:F0} req/s, p95 {Percentile(latencies, 0.95):F1} ms, {errors} errors, {connections} connections in all");
    }

    private static async Task<(List<double> Latencies, int Errors, TimeSpan Wall)> LoadAsync(HttpClient client, Target target, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>();
        var errors = 0;
        var wall = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            await Task.Yield();
            while (wall.Elapsed < duration)
            {
                var w = Stopwatch.StartNew();
                var ok = await GetAsync(client, target);
                var ms = w.Elapsed.TotalMilliseconds;
                lock (latencies)
                {
                    if (ok) latencies.Add(ms);
                    else errors++;
                }
            }
        });
        await Task.WhenAll(workers);
        return (latencies, errors, wall.Elapsed);
    }

    private static async Task<bool> GetAsync(HttpClient client, Target target)
    {
        try
        {
            using var response = await client.GetAsync(target.Path);
            var body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK && body.Contains(target.Marker, StringComparison.Ordinal);
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
