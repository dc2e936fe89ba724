using Portal.Benchmarks;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #16: the benchmark harness in smoke mode on PostgreSQL. A class of its own, so that xunit runs it beside the
/// SQLite smoke (<see cref="BenchmarkSmokeTests"/>) instead of after it: the two take about a minute each.
/// </summary>
public sealed class BenchmarkPostgreSqlSmokeTests
{
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
}
