namespace Portal.Benchmarks;

/// <summary>The parts that need the portal running: pages, live circuits, the browser.</summary>
public static class ServerBenchmarks
{
    /// <param name="checkpoint">Writes the report so far; called after each part.</param>
    public static async Task RunAsync(Report report, BenchmarkOptions options, string database, TextWriter log, Func<string, Task> checkpoint, PostgreSqlCopies? copies = null)
    {
        await using var server = await PortalFarm.StartAsync(report, options, database, log, copies);
        report.Deployment = server.Description;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        if (options.Parts.Contains("pages"))
        {
            await PagesBenchmark.RunAsync(report, options, database, server, log);
            await checkpoint("pages");
        }
        log.WriteLine($"  pages: {watch.Elapsed.TotalSeconds:F0} s");
        watch.Restart();
        if (options.Parts.Contains("circuits"))
        {
            await CircuitsBenchmark.RunAsync(report, options, database, server, log);
            await checkpoint("circuits");
        }
        log.WriteLine($"  circuits: {watch.Elapsed.TotalSeconds:F0} s");
        if (options.Parts.Contains("browser"))
        {
            await BrowserBenchmark.RunAsync(report, options, database, server, log);
            await checkpoint("browser");
        }
    }
}
