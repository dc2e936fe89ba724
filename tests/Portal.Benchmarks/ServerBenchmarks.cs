namespace Portal.Benchmarks;

/// <summary>The parts that need the portal running: pages, live circuits, the browser.</summary>
public static class ServerBenchmarks
{
    public static async Task RunAsync(Report report, BenchmarkOptions options, string database, TextWriter log)
    {
        await using var server = await PortalProcess.StartAsync(database, options.WorkDirectory, log);
        if (options.Parts.Contains("pages")) await PagesBenchmark.RunAsync(report, options, database, server, log);
        if (options.Parts.Contains("circuits")) await CircuitsBenchmark.RunAsync(report, options, database, server, log);
        if (options.Parts.Contains("browser")) await BrowserBenchmark.RunAsync(report, options, server, log);
    }
}

public static class CircuitsBenchmark
{
    public const string Part = "4. Live circuits";

    public static Task RunAsync(Report report, BenchmarkOptions options, string database, PortalProcess server, TextWriter log)
    {
        report.Note(Part, "**Not measured** yet.");
        report.Add(Part, "p95 live update", null, "ms", "not measured");
        return Task.CompletedTask;
    }
}

public static class BrowserBenchmark
{
    public const string Part = "5. A real browser";

    public static Task RunAsync(Report report, BenchmarkOptions options, PortalProcess server, TextWriter log)
    {
        report.Note(Part, "**Not measured**: the Playwright part is not built yet.");
        report.Add(Part, "time from the OF's change to the DOM update", null, "ms", "not measured");
        return Task.CompletedTask;
    }
}
