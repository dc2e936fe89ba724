using System.Diagnostics;
using System.Net.Http.Json;

namespace Portal.Benchmarks;

/// <summary>
/// N live prescriber dashboards (headless circuits), then the OF changes a session's open places through
/// the real HTTP endpoint; each circuit timestamps the first render batch carrying the change.
/// </summary>
public static class CircuitsBenchmark
{
    public const string Part = "4. Live circuits";

    public static async Task RunAsync(Report report, BenchmarkOptions options, string database, PortalFarm server, TextWriter log)
    {
        var target = await ChangeTarget.FindAsync(database);
        var (sessionId, capacity, ofEmail) = (target.SessionId, target.Capacity, target.OfEmail);
        using var probe = await Login.ClientAsync(server.BaseUrl, "camille.durand");
        var offerPath = await target.OfferPathAsync(probe);
        report.Note(Part, "Headless Blazor Server clients (`Microsoft.AspNetCore.SignalR.Client` + the MessagePack protocol under the name `blazorpack`): "
            + "each GETs its page with camille.durand's login cookie (one OIDC login shared by all tabs; behind the gateway, one login per server, the tabs opened with each in turn), reads the `<!--Blazor:...-->` markers, opens `/_blazor` (WebSockets), "
            + "`StartCircuit`, `UpdateRootComponents`, acknowledges every render batch with `OnRenderCompleted` and answers JS interop calls. "
            + $"Circuits are added in steps ({string.Join(", ", options.CircuitSteps)}) of prescriber dashboards `/`, plus one `/offre` circuit (the prescriber's catalogue with live open places) per {OfferShare} dashboards (at least one), "
            + $"{options.CircuitOpenParallelism} opening at a time, within {options.CircuitStepBudgetSeconds:N0} s per step. "
            + (offerPath is null ? "**`/offre` not measured**: no catalogue search found that lists the changed session on its first page. " : $"The `/offre` circuits open `{offerPath}`, a search whose first page lists the changed session. ")
            + $"Then the session's OF ({ofEmail}, logged in through the same OIDC flow) changes the open places with `PUT /api/sessions/{{id}}/open-places` (the real endpoint and handler), "
            + $"once with no circuit open (not measured: the first call compiles its path), then {options.UpdatesPerStep} time(s) per step, 1 s after the previous change was seen (or timed out); a step's latencies are pooled over its changes, and each change's p95 is given; "
            + "latency = from just before the PUT to the first render batch containing the figure the screen renders for the session (searched as UTF-8 in the batch bytes): "
            + $"on the dashboard `{DashboardFigure(7, 12).Replace("7", "N", StringComparison.Ordinal).Replace("12", "C", StringComparison.Ordinal)}` (the open-places component's text, one text node), "
            + "on `/offre` the catalogue's own wording (`N places ouvertes sur C`, `1 place ouverte sur C`, `complet (C places)`, as `CatalogueResults.PlacesText` writes it); "
            + "no longer the screen-reader announcement `Places ouvertes mises à jour : …`. Circuits silent after 60 s count as missed. "
            + "Memory per circuit: slope (least squares) of the server's VmRSS against the number of circuits (both screens), read 3 s after each step and after a full GC forced from outside "
            + "(an EventPipe session enabling the runtime's GCHeapCollect keyword, as dotnet-gcdump does). "
            + (options.TakesHeapDumps
                ? $"Heap breakdown (issue #12 (3)): `dotnet-dump collect --type Heap` of the server after a forced full GC, with no circuit open, then after the live update of the first step holding at least {HeapDumpCircuits} circuits (or of the last step), "
                  + $"each read with SOS's `dumpheap -stat` (exact bytes and objects by type); per circuit = (heap with circuits − heap without) / circuits, and the same for the {HeapTypesListed} types that grew most. "
                : "")
            + (server.Pinning is { } pinning ? $"Pinning: {pinning}. " : "Client and server not pinned (taskset unavailable or --no-pin). ")
            + "The OF recording a decision: **not measured** (no decision handler reachable over HTTP in this build).");

        // One login of camille.durand per server: behind the gateway, round robin sends a client without the affinity
        // cookie to the next server, so consecutive logins land on the servers in turn and the OF's, made right after,
        // on the first one again (issue #16: the tabs spread over the servers, the change made on the first).
        var tabs = new List<(HttpClient Http, System.Net.CookieContainer Cookies)>();
        for (var i = 0; i < server.Servers.Count; i++) tabs.Add(await Login.ClientWithCookiesAsync(server.BaseUrl, "camille.durand", connections: 64));
        using var of = await Login.ClientAsync(server.BaseUrl, ofEmail);
        var circuits = new List<HeadlessCircuit>();
        var offers = new List<HeadlessCircuit>();
        // Which login (so which server) each dashboard circuit was opened with: 0 is the OF's server.
        var serverOf = new Dictionary<HeadlessCircuit, int>();
        var memory = new List<(int Circuits, long Bytes)>();
        await Task.Delay(TimeSpan.FromSeconds(options.Smoke ? 0.2 : 3));
        var gcForced = await server.ForceGcAsync();
        memory.Add((0, server.WorkingSet()));
        // Issue #12 (3): the heap breakdown, from one server's dumps (behind the gateway the circuits are spread: not taken).
        var heapTool = options.TakesHeapDumps && server.Servers.Count == 1 ? await HeapDump.ToolAsync(options.WorkDirectory, log) : null;
        var heapAtZero = heapTool is null ? null : await HeapDump.TakeAsync(heapTool, server.Servers[0].Pid, Path.Combine(options.WorkDirectory, "heap-0.txt"), log);
        (int Circuits, HeapDump.Snapshot Heap)? heapOpen = null;
        await HoldAsync(options, server, 0, log);
        int? largestUnder250 = null;
        // Each change moves the figure away from what the screens show (a change to the same figure renders no new
        // text, and the live components send only what changed): start from the session's current open places.
        var places = target.OpenPlaces;
        // O8: within capacity − the places held (target.Bound), two figures in turn.
        void NextFigure() => places = places == target.Bound ? Math.Max(0, target.Bound - 1) : target.Bound;
        async Task PutPlacesAsync()
        {
            var put = await of.PutAsJsonAsync($"/api/sessions/{sessionId}/open-places", new { openPlaces = places });
            if (!put.IsSuccessStatusCode) throw new InvalidOperationException($"PUT open-places answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
        }
        // One change with no circuit open, not measured: the first PUT compiles the endpoint's path (JIT, EF's query), which
        // made the first change of the first step take 440 ms against 21-23 ms for the next two.
        NextFigure();
        await PutPlacesAsync();
        try
        {
            foreach (var step in options.CircuitSteps)
            {
                var before = circuits.Count + offers.Count;
                var watch = Stopwatch.StartNew();
                using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(options.CircuitStepBudgetSeconds));
                var (failures, firstError) = await OpenAsync(circuits, "/", step, tabs, serverOf, server, options, budget.Token);
                if (offerPath is not null)
                {
                    var (offerFailures, offerError) = await OpenAsync(offers, offerPath, Math.Max(1, step / OfferShare), tabs, null, server, options, budget.Token);
                    failures += offerFailures;
                    firstError ??= offerError;
                }
                var openTime = watch.Elapsed;
                var open = circuits.Count + offers.Count;
                log.WriteLine($"  step {step}: {circuits.Count} dashboards + {offers.Count} /offre circuits open in {openTime.TotalSeconds:F1} s, {failures} failed{(firstError is null ? "" : ": " + firstError)}");
                await Task.Delay(TimeSpan.FromSeconds(options.Smoke ? 0.2 : 3));
                gcForced &= await server.ForceGcAsync();
                var rss = server.WorkingSet();
                memory.Add((open, rss));
                await HoldAsync(options, server, open, log);
                report.Add(Part, $"step {step}: circuits open", open, "circuits",
                    $"{circuits.Count} dashboards + {offers.Count} `/offre`, opened in {openTime.TotalSeconds:F1} s ({open - before} added, {(open - before) / Math.Max(openTime.TotalSeconds, 1e-3):F0}/s), {failures} failed{(firstError is null ? "" : $" (first error: {firstError})")}; server VmRSS {rss / 1048576.0:N0} MB"
                    + (server.Servers.Count > 1 ? $" ({string.Join(", ", server.Servers.Select(s => $"{s.Name} {s.WorkingSet() / 1048576.0:N0} MB"))})" : ""));
                if (open == 0) break;

                // The OF's changes (--updates, 1 s apart), and each circuit's first batch carrying the session's new figure.
                var onDashboards = new List<Change>();
                var onOffers = new List<Change>();
                for (var u = 0; u < options.UpdatesPerStep; u++)
                {
                    if (u > 0) await Task.Delay(TimeSpan.FromSeconds(options.Smoke ? 0.2 : 1));
                    NextFigure();
                    var dashboards = circuits.Select(c => c.Await(DashboardFigure(places, capacity))).ToList();
                    var offerTabs = offers.Select(c => c.Await(OfferFigure(places, capacity))).ToList();
                    var t0 = Stopwatch.GetTimestamp();
                    await PutPlacesAsync();
                    await Task.WhenAny(Task.WhenAll(dashboards.Concat(offerTabs)), Task.Delay(TimeSpan.FromSeconds(60)));
                    onDashboards.Add(new(t0, dashboards));
                    onOffers.Add(new(t0, offerTabs));
                }
                var (p95, missed) = Latencies(report, log, $"step {step}: live update p50 / p95 / max", "dashboards", onDashboards);
                if (tabs.Count > 1)
                {
                    // Issue #16: the dashboards on the OF's server, and those on the other one (through the PostgreSQL backplane).
                    List<Change> On(bool first) => [.. onDashboards.Select(c => c with
                    {
                        Seen = [.. c.Seen.Where((_, i) => serverOf.GetValueOrDefault(circuits[i]) == 0 == first)],
                    })];
                    Latencies(report, log, $"step {step}: live update on the OF's server (A), p50 / p95 / max", "dashboards on A", On(true));
                    Latencies(report, log, $"step {step}: live update on the other server (B, LISTEN/NOTIFY), p50 / p95 / max", "dashboards on B", On(false));
                }
                if (offers.Count > 0) Latencies(report, log, $"step {step}: live update on `/offre` p50 / p95 / max", "`/offre` circuits", onOffers);
                if (missed == 0 && p95 < 250) largestUnder250 = circuits.Count;
                // After the step's live update (a dump stops the process for seconds: not just before a timed change), and
                // after a full GC, as at 0.
                if (heapAtZero is not null && heapOpen is null && (open >= HeapDumpCircuits || step == options.CircuitSteps[^1])
                    && await server.ForceGcAsync()
                    && await HeapDump.TakeAsync(heapTool!, server.Servers[0].Pid, Path.Combine(options.WorkDirectory, $"heap-{open}.txt"), log) is { } heap)
                    heapOpen = (open, heap);
                if (circuits.Count < step || missed > 0) break;
            }
        }
        finally
        {
            var closing = Stopwatch.StartNew();
            await Task.WhenAll(circuits.Concat(offers).Select(c => c.DisposeAsync().AsTask()));
            foreach (var (tabHttp, _) in tabs) tabHttp.Dispose();
            log.WriteLine($"  {circuits.Count + offers.Count} circuits closed in {closing.Elapsed.TotalSeconds:F1} s");
        }
        if (memory.Count >= 2 && memory.Select(m => m.Circuits).Distinct().Count() >= 2)
        {
            var mx = memory.Average(m => (double)m.Circuits);
            var my = memory.Average(m => (double)m.Bytes);
            var slope = memory.Sum(m => (m.Circuits - mx) * (m.Bytes - my)) / memory.Sum(m => (m.Circuits - mx) * (m.Circuits - mx));
            report.Add(Part, "server memory per circuit", slope / 1024, "KB", $"least-squares slope of VmRSS over {string.Join(", ", memory.Select(m => $"{m.Circuits} → {m.Bytes / 1048576.0:N0} MB"))} ({(gcForced ? "after a forced full GC at each point" : "forcing the GC failed: not forced")})");
        }
        else report.Add(Part, "server memory per circuit", null, "KB", "not measured (fewer than two steps held)");
        ReportHeap(report, options, server, heapTool, heapAtZero, heapOpen);
        report.Add(Part, "largest N held with p95 < 250 ms", largestUnder250, "circuits", largestUnder250 is null ? "no step met it" : "largest step with every circuit updated and p95 under 250 ms");
    }

    /// <summary>The heap is dumped a second time at the first step holding at least this many circuits (or at the last step).</summary>
    public const int HeapDumpCircuits = 300;

    /// <summary>How many of the types that grew most are listed.</summary>
    public const int HeapTypesListed = 15;

    /// <summary>
    /// Issue #12 (3): the live heap per circuit and the types that grew most between the dump at 0 and the one with circuits
    /// open, per circuit; the components per circuit are the renderer's <c>ComponentState</c> objects that appeared.
    /// </summary>
    private static void ReportHeap(Report report, BenchmarkOptions options, PortalFarm server, string? tool,
        HeapDump.Snapshot? atZero, (int Circuits, HeapDump.Snapshot Heap)? open)
    {
        if (atZero is null || open is not { } o || o.Circuits == 0)
        {
            var why = !options.TakesHeapDumps ? "off (--smoke or --no-heap)"
                : server.Servers.Count > 1 ? "not taken behind the gateway (the circuits are spread over the servers)"
                : tool is null ? "dotnet-dump could not be found or installed"
                : "a dump failed (see the log)";
            report.Add(Part, "heap per circuit (dotnet-dump)", null, "KB", $"not measured: {why}");
            return;
        }
        var perCircuit = (o.Heap.Bytes - atZero.Bytes) / 1024.0 / o.Circuits;
        static long Components(HeapDump.Snapshot s) => s.Types
            .Where(t => t.Key.EndsWith("ComponentState", StringComparison.Ordinal) && !t.Key.Contains("Persistent", StringComparison.Ordinal))
            .Sum(t => t.Value.Count);
        report.Add(Part, "heap per circuit (dotnet-dump)", perCircuit, "KB",
            $"GC heap {atZero.Bytes / 1048576.0:N1} MB with no circuit, {o.Heap.Bytes / 1048576.0:N1} MB with {o.Circuits} open "
            + $"(each after a forced full GC, free space left out); the difference / {o.Circuits}; objects per circuit {(o.Heap.Objects - atZero.Objects) / (double)o.Circuits:N0}; "
            + $"`dumpheap -stat` kept as `{Path.GetFileName(atZero.File)}`, `{Path.GetFileName(o.Heap.File)}` in the work directory");
        report.Add(Part, "components per circuit", (Components(o.Heap) - Components(atZero)) / (double)o.Circuits, "components",
            "the renderer's `ComponentState` objects (one per live component) that appeared, / circuits");
        foreach (var g in HeapDump.Grown(atZero, o.Heap, o.Circuits, HeapTypesListed))
            report.Add(Part, $"heap per circuit: `{g.Type}`", g.BytesPerCircuit / 1024, "KB",
                $"{g.CountPerCircuit:N1} objects per circuit");
    }

    /// <summary>
    /// Issue #12 (circuit memory): with <c>--hold S</c>, says which server processes hold the circuits and waits S seconds,
    /// time for <c>dotnet-gcdump collect -p PID</c> from another shell at this point (the GC has just been forced).
    /// </summary>
    private static async Task HoldAsync(BenchmarkOptions options, PortalFarm server, int open, TextWriter log)
    {
        if (options.HoldSeconds <= 0) return;
        log.WriteLine($"  HOLD {open} circuits open for {options.HoldSeconds} s: server PID(s) {string.Join(", ", server.Servers.Select(s => s.Pid))}");
        await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds));
    }

    /// <summary>One <c>/offre</c> circuit per this many dashboards (at least one per step).</summary>
    public const int OfferShare = 10;

    /// <summary>
    /// What the dashboard's open-places component renders for a session (issue #12: the live change is detected by this
    /// figure, no longer by the screen-reader announcement). It must be one text node for a render batch to carry it whole.
    /// </summary>
    public static string DashboardFigure(int openPlaces, int capacity) => $"{openPlaces} place(s) ouverte(s) sur {capacity}";

    /// <summary>What <c>/offre</c> renders for a session: the catalogue's wording (<c>CatalogueResults.PlacesText</c> in Portal.Web, kept in step by hand).</summary>
    public static string OfferFigure(int openPlaces, int capacity) => openPlaces switch
    {
        0 => $"complet ({capacity} places)",
        1 => $"1 place ouverte sur {capacity}",
        _ => $"{openPlaces} places ouvertes sur {capacity}",
    };

    /// <summary>Opens circuits on <paramref name="path"/> until <paramref name="into"/> holds <paramref name="count"/>; returns the failures.</summary>
    /// <param name="tabs">The logins to open with, in turn (one per server behind the gateway).</param>
    /// <param name="serverOf">Where to note the login (server) each circuit was opened with, if anywhere.</param>
    private static async Task<(int Failures, string? FirstError)> OpenAsync(List<HeadlessCircuit> into, string path, int count,
        List<(HttpClient Http, System.Net.CookieContainer Cookies)> tabs, Dictionary<HeadlessCircuit, int>? serverOf, PortalFarm server, BenchmarkOptions options, CancellationToken budget)
    {
        var next = into.Count;
        var failures = 0;
        string? firstError = null;
        using var gate = new SemaphoreSlim(options.CircuitOpenParallelism);
        var opening = Enumerable.Range(0, Math.Max(0, count - into.Count)).Select(async _ =>
        {
            try { await gate.WaitAsync(budget); }
            catch (OperationCanceledException) { return; }
            var tab = Interlocked.Increment(ref next) % tabs.Count;
            var circuit = new HeadlessCircuit(new Uri(server.BaseUrl), tabs[tab].Cookies);
            try
            {
                await circuit.StartAsync(tabs[tab].Http, path, budget);
                lock (into)
                {
                    into.Add(circuit);
                    serverOf?.Add(circuit, tab);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.Increment(ref failures);
                firstError ??= e.Message;
                await circuit.DisposeAsync();
            }
            finally { gate.Release(); }
        }).ToList();
        await Task.WhenAll(opening);
        return (failures, firstError);
    }

    /// <summary>One place change: the instant just before its PUT, and each circuit's instant of the batch showing it.</summary>
    private sealed record Change(long T0, List<Task<long>> Seen);

    /// <summary>
    /// Reports p50 (value), p95, max and the missed circuits of one screen, over every change of the step pooled, with each
    /// change's own p95; returns the pooled p95 and the missed count.
    /// </summary>
    private static (double P95, int Missed) Latencies(Report report, TextWriter log, string name, string what, List<Change> changes)
    {
        static List<double> Of(Change c) => [.. c.Seen.Where(t => t.IsCompletedSuccessfully).Select(t => Stopwatch.GetElapsedTime(c.T0, t.Result).TotalMilliseconds).Order()];
        var each = changes.Select(Of).ToList();
        var latencies = each.SelectMany(l => l).Order().ToList();
        var missed = changes.Sum(c => c.Seen.Count) - latencies.Count;
        var p50 = PagesBenchmark.Percentile(latencies, 0.5);
        var p95 = PagesBenchmark.Percentile(latencies, 0.95);
        var perChange = string.Join(", ", each.Select(l => $"{PagesBenchmark.Percentile(l, 0.95):F0}"));
        var circuitsSeen = changes.Count == 0 ? 0 : changes[0].Seen.Count;
        report.Add(Part, name, p50, "ms", $"p95 {p95:F0} ms, max {latencies.LastOrDefault():F0} ms over {changes.Count} change(s) × {circuitsSeen} {what} "
            + $"(p95 of each change in turn: {perChange} ms), {missed} missed (no batch within 60 s)");
        log.WriteLine($"  {name} ({what}): p50 {p50:F0} ms, p95 {p95:F0} ms, max {latencies.LastOrDefault():F0} ms, per change p95 {perChange} ms, {missed} missed");
        return (p95, missed);
    }
}
