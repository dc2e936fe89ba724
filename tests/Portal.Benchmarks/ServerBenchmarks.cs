namespace Portal.Benchmarks;

public static class ServerBenchmarks
{
    public static Task RunAsync(Report report, BenchmarkOptions options, string database, TextWriter log) => Task.CompletedTask;
}
