namespace Portal.Benchmarks;

/// <summary>Issue #7: `dotnet run -c Release --project tests/Portal.Benchmarks -- all` (see the README's Benchmark section).</summary>
internal static class Entry
{
    // Not top-level statements: their generated public Program would clash with Portal.Web's in the tests that reference both.
    public static Task<int> Main(string[] args) => BenchmarkCommand.RunAsync(args, Console.Out);
}
