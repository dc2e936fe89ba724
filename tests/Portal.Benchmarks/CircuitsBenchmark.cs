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

    public static async Task RunAsync(Report report, BenchmarkOptions options, string database, PortalProcess server, TextWriter log)
    {
        var (sessionId, capacity, ofEmail) = await ChangeTarget.FindAsync(database);
        report.Note(Part, "Headless Blazor Server clients (`Microsoft.AspNetCore.SignalR.Client` + the MessagePack protocol under the name `blazorpack`): "
            + "each GETs `/` with camille.durand's login cookie (one OIDC login shared by all tabs), reads the `<!--Blazor:...-->` markers, opens `/_blazor` (WebSockets), "
            + "`StartCircuit`, `UpdateRootComponents`, acknowledges every render batch with `OnRenderCompleted` and answers JS interop calls. "
            + $"Circuits are added in steps ({string.Join(", ", options.CircuitSteps)}), {options.CircuitOpenParallelism} opening at a time, within {options.CircuitStepBudgetSeconds:N0} s per step. "
            + $"Then the session's OF ({ofEmail}, logged in through the same OIDC flow) changes the open places with `PUT /api/sessions/{{id}}/open-places` (the real endpoint and handler); "
            + "latency = from just before the PUT to the first render batch containing the dashboard's announcement `Places ouvertes mises à jour : N sur C.` (searched as UTF-8 in the batch bytes), per circuit; circuits silent after 60 s count as missed. "
            + "Memory per circuit: slope (least squares) of the server's VmRSS against the number of circuits, read 3 s after each step and after a full GC forced from outside "
            + "(an EventPipe session enabling the runtime's GCHeapCollect keyword, as dotnet-gcdump does). "
            + (server.Pinning is { } pinning ? $"Pinning: {pinning}. " : "Client and server not pinned (taskset unavailable or --no-pin). ")
            + "The OF recording a decision: **not measured** (no decision handler reachable over HTTP in this build; decisions come with issue #5).");

        var (http, cookies) = await Login.ClientWithCookiesAsync(server.BaseUrl, "camille.durand", connections: 64);
        using var _ = http;
        using var of = await Login.ClientAsync(server.BaseUrl, ofEmail);
        var circuits = new List<HeadlessCircuit>();
        var memory = new List<(int Circuits, long Bytes)>();
        await Task.Delay(TimeSpan.FromSeconds(options.Smoke ? 0.2 : 3));
        var gcForced = await server.ForceGcAsync();
        memory.Add((0, server.WorkingSet()));
        int? largestUnder250 = null;
        var places = 0;
        try
        {
            foreach (var step in options.CircuitSteps)
            {
                var watch = Stopwatch.StartNew();
                var failures = 0;
                string? firstError = null;
                using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(options.CircuitStepBudgetSeconds));
                using var gate = new SemaphoreSlim(options.CircuitOpenParallelism);
                var opening = Enumerable.Range(0, Math.Max(0, step - circuits.Count)).Select(async _ =>
                {
                    try { await gate.WaitAsync(budget.Token); }
                    catch (OperationCanceledException) { return; }
                    var circuit = new HeadlessCircuit(new Uri(server.BaseUrl), cookies);
                    try
                    {
                        await circuit.StartAsync(http, "/", budget.Token);
                        lock (circuits) circuits.Add(circuit);
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
                var openTime = watch.Elapsed;
                log.WriteLine($"  step {step}: {circuits.Count} circuits open in {openTime.TotalSeconds:F1} s, {failures} failed{(firstError is null ? "" : ": " + firstError)}");
                await Task.Delay(TimeSpan.FromSeconds(options.Smoke ? 0.2 : 3));
                gcForced &= await server.ForceGcAsync();
                var rss = server.WorkingSet();
                memory.Add((circuits.Count, rss));
                report.Add(Part, $"step {step}: circuits open", circuits.Count, "circuits",
                    $"opened in {openTime.TotalSeconds:F1} s ({circuits.Count / Math.Max(openTime.TotalSeconds, 1e-3):F0}/s), {failures} failed{(firstError is null ? "" : $" (first error: {firstError})")}; server VmRSS {rss / 1048576.0:N0} MB");
                if (circuits.Count == 0) break;

                // The OF's change, and each circuit's first batch carrying it.
                places = places == capacity ? capacity - 1 : capacity;
                var announcement = $"Places ouvertes mises à jour : {places} sur {capacity}.";
                var seen = circuits.Select(c => c.Await(announcement)).ToList();
                var t0 = Stopwatch.GetTimestamp();
                var put = await of.PutAsJsonAsync($"/api/sessions/{sessionId}/open-places", new { openPlaces = places });
                if (!put.IsSuccessStatusCode) throw new InvalidOperationException($"PUT open-places answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
                var all = Task.WhenAll(seen);
                await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60)));
                var latencies = seen.Where(t => t.IsCompletedSuccessfully).Select(t => Stopwatch.GetElapsedTime(t0, t.Result).TotalMilliseconds).Order().ToList();
                var missed = seen.Count - latencies.Count;
                var p95 = PagesBenchmark.Percentile(latencies, 0.95);
                report.Add(Part, $"step {step}: live update p50 / p95 / max", PagesBenchmark.Percentile(latencies, 0.5), "ms",
                    $"p95 {p95:F0} ms, max {latencies.LastOrDefault():F0} ms over {latencies.Count} circuits, {missed} missed (no batch within 60 s)");
                log.WriteLine($"  step {step}: live update p50 {PagesBenchmark.Percentile(latencies, 0.5):F0} ms, p95 {p95:F0} ms, max {latencies.LastOrDefault():F0} ms, {missed} missed");
                if (missed == 0 && p95 < 250) largestUnder250 = circuits.Count;
                if (circuits.Count < step || missed > 0) break;
            }
        }
        finally
        {
            var closing = Stopwatch.StartNew();
            await Task.WhenAll(circuits.Select(c => c.DisposeAsync().AsTask()));
            log.WriteLine($"  {circuits.Count} circuits closed in {closing.Elapsed.TotalSeconds:F1} s");
        }
        if (memory.Count >= 2 && memory.Select(m => m.Circuits).Distinct().Count() >= 2)
        {
            var mx = memory.Average(m => (double)m.Circuits);
            var my = memory.Average(m => (double)m.Bytes);
            var slope = memory.Sum(m => (m.Circuits - mx) * (m.Bytes - my)) / memory.Sum(m => (m.Circuits - mx) * (m.Circuits - mx));
            report.Add(Part, "server memory per circuit", slope / 1024, "KB", $"least-squares slope of VmRSS over {string.Join(", ", memory.Select(m => $"{m.Circuits} → {m.Bytes / 1048576.0:N0} MB"))} ({(gcForced ? "after a forced full GC at each point" : "forcing the GC failed: not forced")})");
        }
        else report.Add(Part, "server memory per circuit", null, "KB", "not measured (fewer than two steps held)");
        report.Add(Part, "largest N held with p95 < 250 ms", largestUnder250, "circuits", largestUnder250 is null ? "no step met it" : "largest step with every circuit updated and p95 under 250 ms");
    }
}
