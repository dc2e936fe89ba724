using Portal.Benchmarks;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #7: the benchmark harness in smoke mode (tiny sizes), so that it does not rot. Asserts only that
/// every part ran and produced figures: never a time.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task Benchmark_SmokeMode_EveryPartRunsAndProducesFigures()
    {
        var work = Path.Combine(Path.GetTempPath(), $"portal-bench-smoke-{Guid.NewGuid():N}");
        string[] args = ["all", "--smoke", "--no-pin", "--work", work];
        var markdown = new StringWriter();
        try
        {
            var report = await BenchmarkCommand.ExecuteAsync(args, BenchmarkOptions.Parse(args), markdown, TextWriter.Null);

            foreach (var part in new[] { GeneratorReport.Part, JobsBenchmark.Part, PagesBenchmark.Part, CircuitsBenchmark.Part })
                report.Figures.Where(f => f.Part == part && f.Value is not null).ShouldNotBeEmpty($"{part} produced no figure");
            report.Figures.Select(f => f.Part).ShouldContain(BrowserBenchmark.Part);
            File.Exists(Path.Combine(work, "report.json")).ShouldBeTrue();
            markdown.ToString().ShouldContain("## " + PagesBenchmark.Part);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { }
        }
    }
}
