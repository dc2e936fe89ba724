using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Observatory;

namespace Portal.Benchmarks;

/// <summary>
/// Issue #12 (4): what one call of each page's handler costs in process, without a server: time, bytes allocated, and the
/// methods the JIT compiled during the calls (after a warm-up, a method compiled on every call is code made per call:
/// the dynamic methods the dashboard's profile showed on the finalizer thread).
/// </summary>
public static class HandlersBenchmark
{
    public const string Part = "Handlers in process";

    /// <summary>Each handler's warm-up, and its measured calls, stop after this long (an observatory at 1M takes 1–2 s a call).</summary>
    private static readonly TimeSpan PhaseBudget = TimeSpan.FromSeconds(20);

    public static async Task RunAsync(Report report, BenchmarkOptions options, string database, TextWriter log)
    {
        var calls = options.HandlerCalls;
        report.Note(Part, $"Each page's handler called in process on the generated data ({Report.Build()}), one call at a time: {calls} calls (or as many as fit in "
            + $"{PhaseBudget.TotalSeconds:F0} s) after as many of warm-up (same limit) and a pause of 1 s. "
            + "Time: median of the calls. Allocated: GC.GetTotalAllocatedBytes(precise) over the calls / calls. JIT: System.Runtime.JitInfo.GetCompiledMethodCount over the calls / calls "
            + "(0 once warm unless the call makes code, such as an expression compiled per call; with fewer than about 30 warm-up calls, the JIT's second tier still compiles). "
            + "Observatories compute every time (sharing off).");
        await using var services = Generator.BuildServices(database, seedDemo: false, configure: s => s.AddSingleton(new ObservatoryCacheSettings(TimeSpan.Zero)));
        var (targets, users) = await PagesBenchmark.TargetsAsync(services);
        foreach (var target in targets)
        {
            var user = target.Account is null ? null : users[target.Account];
            // A warm-up as long as the measurement, then a pause: the JIT's second tier compiles the hot methods of the first calls in
            // the background (after 30 calls and a 100 ms delay); what it still compiles over the measured calls is code made per call.
            var warmUp = Stopwatch.StartNew();
            for (var i = 0; i < calls && warmUp.Elapsed < PhaseBudget; i++) await target.Handler(services, user);
            await Task.Delay(options.Smoke ? 100 : 1000);
            var times = new List<double>(calls);
            var compilations = new JitListener();
            var jitBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var measured = Stopwatch.StartNew();
            while (times.Count < calls && (times.Count == 0 || measured.Elapsed < PhaseBudget))
            {
                var watch = Stopwatch.StartNew();
                await target.Handler(services, user);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            // The listener hears the measured calls only: stopped here, before the figures are written.
            compilations.Dispose();
            var made = times.Count;
            var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)made / 1024;
            var jitted = (System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore) / (double)made;
            times.Sort();
            var median = times[made / 2];
            report.Add(Part, $"{target.HandlerName}: time", median, "ms", $"median of {made} calls, p95 {times[(int)(made * 0.95)]:F2} ms");
            report.Add(Part, $"{target.HandlerName}: allocated", allocated, "KB", $"per call, {made} calls");
            report.Add(Part, $"{target.HandlerName}: methods compiled", jitted, "per call", $"JIT compilations during {made} calls / {made}");
            log.WriteLine($"  {target.HandlerName}: {median:F2} ms, {allocated:F0} KB, {jitted:F2} methods compiled per call ({made} calls)");
            var top = compilations.Top(6);
            if (top.Length > 0)
            {
                report.Note(Part, $"{target.HandlerName}, methods the JIT compiled during the measured calls (most frequent first): {string.Join("; ", top)}");
                log.WriteLine("    " + string.Join("\n    ", top));
            }
        }
    }
}

/// <summary>The runtime's JIT events (MethodJittingStarted): which methods are compiled, by namespace and name.</summary>
internal sealed class JitListener : System.Diagnostics.Tracing.EventListener
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _methods = new();

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        // Keyword 0x10: JIT; verbose level for MethodJittingStarted.
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x10);
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName != "MethodJittingStarted_V1" || e.Payload is null || e.PayloadNames is null) return;
        var ns = e.Payload[e.PayloadNames.IndexOf("MethodNamespace")] as string;
        var name = e.Payload[e.PayloadNames.IndexOf("MethodName")] as string;
        _methods.AddOrUpdate($"{ns}::{name}", 1, (_, n) => n + 1);
    }

    /// <remarks>A snapshot first: the events go on arriving (the listener hears the whole process, other tests included).</remarks>
    public string[] Top(int count) =>
        [.. _methods.ToArray().OrderByDescending(m => m.Value).Take(count).Select(m => $"{m.Key} ×{m.Value}")];
}
