using Portal.Benchmarks;
using Portal.Testing;

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
            // Issue #12: the live change is found on both screens, the keep-alive catalogue figure exists, the load average is noted.
            report.Figures.ShouldContain(f => f.Part == CircuitsBenchmark.Part && f.Name.Contains("/offre", StringComparison.Ordinal) && f.Value != null);
            report.Figures.ShouldContain(f => f.Part == PagesBenchmark.Part && f.Name.Contains("keep-alive", StringComparison.Ordinal) && f.Value != null);
            report.Completed.ShouldBe(["generate", "jobs", "pages", "circuits", "browser"]);
            markdown.ToString().ShouldContain("Load average at the start");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>
    /// Issue #16: the jobs on PostgreSQL clones, and the server parts on PostgreSQL with two servers behind Portal.Gateway (the generated file copied by
    /// <c>copy-to-postgresql</c>, which must verify): the live change reaches the dashboards on both servers. Skipped with
    /// the reason where PostgreSQL 15 is missing.
    /// </summary>
    [Fact]
    public async Task Benchmark_SmokeMode_OnPostgreSql_TwoServersBehindTheGateway_CopiesAndMeasuresTheLiveChangeOnBoth()
    {
        PostgreSqlCluster.SkipUnlessAvailable();
        var work = Path.Combine(Path.GetTempPath(), $"portal-bench-smoke-pg-{Guid.NewGuid():N}");
        string[] args = ["jobs", "circuits", "--smoke", "--no-pin", "--provider", "postgresql", "--servers", "2", "--work", work];
        try
        {
            var report = await BenchmarkCommand.ExecuteAsync(args, BenchmarkOptions.Parse(args), TextWriter.Null, TextWriter.Null);

            report.Deployment.ShouldNotBeNull().ShouldStartWith("2 portal servers on PostgreSQL 15 behind Portal.Gateway (http://127.0.0.1:");
            report.Figures.ShouldContain(f => f.Part == GeneratorReport.Part && f.Name.Contains("copy-to-postgresql", StringComparison.Ordinal) && f.Value != null);
            // Both servers' dashboards got the OF's change: the one it was made on, and the other through LISTEN/NOTIFY.
            report.Figures.ShouldContain(f => f.Part == CircuitsBenchmark.Part && f.Name.Contains("on the OF's server (A)", StringComparison.Ordinal) && f.Value != null && f.Method.Contains(" 0 missed", StringComparison.Ordinal));
            report.Figures.ShouldContain(f => f.Part == CircuitsBenchmark.Part && f.Name.Contains("other server (B", StringComparison.Ordinal) && f.Value != null && f.Method.Contains(" 0 missed", StringComparison.Ordinal));
            // The jobs ran on PostgreSQL clones: the expiry job handled every prescription made due (O5: 100 % in smoke mode).
            report.Figures.ShouldContain(f => f.Part == JobsBenchmark.Part && f.Name.StartsWith("expiry, grouped entries (O5)", StringComparison.Ordinal) && f.Unit == "s" && f.Method.Contains("(done)", StringComparison.Ordinal));
            report.Completed.ShouldBe(["generate", "jobs", "circuits"]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { }
        }
    }

    [Theory]
    [InlineData("--servers", "2")]
    [InlineData("--pg", "Host=127.0.0.1")]
    public void Benchmark_Options_TwoServersOrAPostgreSqlDatabase_NeedThePostgreSqlProvider(string option, string value) =>
        Should.Throw<ArgumentException>(() => BenchmarkOptions.Parse(["circuits", option, value])).Message.ShouldContain("--provider postgresql");

    /// <summary>Issue #12: above 9.5 GB the kernel writes the digits right after the tab (the old parser, splitting on ' ', crashed).</summary>
    [Theory]
    [InlineData("VmRSS:\t  204800 kB", 204800L * 1024)]
    [InlineData("VmRSS:\t10485760 kB", 10485760L * 1024)]
    [InlineData("VmRSS:\t123456789 kB", 123456789L * 1024)]
    public void WorkingSet_ParsesVmRss_WhateverTheWhitespace(string line, long bytes) =>
        PortalProcess.VmRssBytes(["Name:\tdotnet", "VmPeak:\t99999999999 kB", line, "VmSwap:\t       0 kB"]).ShouldBe(bytes);
}
