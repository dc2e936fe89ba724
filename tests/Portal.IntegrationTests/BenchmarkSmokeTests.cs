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

            foreach (var part in new[] { GeneratorReport.Part, JobsBenchmark.Part, HandlersBenchmark.Part, PagesBenchmark.Part, CircuitsBenchmark.Part })
                report.Figures.Where(f => f.Part == part && f.Value is not null).ShouldNotBeEmpty($"{part} produced no figure");
            report.Figures.Select(f => f.Part).ShouldContain(BrowserBenchmark.Part);
            File.Exists(Path.Combine(work, "report.json")).ShouldBeTrue();
            markdown.ToString().ShouldContain("## " + PagesBenchmark.Part);
            // Issue #12: the live change is found on both screens, the keep-alive catalogue figure exists, the load average is noted.
            report.Figures.ShouldContain(f => f.Part == CircuitsBenchmark.Part && f.Name.Contains("/offre", StringComparison.Ordinal) && f.Value != null);
            report.Figures.ShouldContain(f => f.Part == PagesBenchmark.Part && f.Name.Contains("keep-alive", StringComparison.Ordinal) && f.Value != null);
            report.Completed.ShouldBe(["generate", "jobs", "handlers", "pages", "circuits", "browser"]);
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
    /// A run that fails ends with exit code 1 and its error, not with an unhandled exception: the latter skips ProcessExit,
    /// where the throwaway PostgreSQL cluster is stopped (one was left running after a crash).
    /// </summary>
    [Fact]
    public async Task Benchmark_ARunThatFails_ReturnsExitCode1_InsteadOfCrashing()
    {
        var work = Path.Combine(Path.GetTempPath(), $"portal-bench-fail-{Guid.NewGuid():N}");
        try
        {
            var code = await BenchmarkCommand.RunAsync(["jobs", "--db", Path.Combine(work, "missing.db"), "--work", work], TextWriter.Null);
            code.ShouldBe(1);
        }
        finally
        {
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

    /// <summary>
    /// Issue #12 (3): dotnet-gcdump's report read back: the totals; each line's average size × count; the size buckets of
    /// one type added up; a generic type's name with its brackets kept. Then what grew per circuit between two dumps.
    /// </summary>
    [Fact]
    public void HeapDump_ReportIsRead_AndTheGrowthPerCircuitComputed()
    {
        const string atZero = """
                 10,000,000  GC Heap bytes
                    100,000  GC Heap objects

               Object Bytes     Count  Type
                    100,000         2  System.String (Bytes > 10K)  [System.Private.CoreLib.dll]
                      5,000        10  System.String (Bytes > 1K)  [System.Private.CoreLib.dll]
                      4,000         1  Entry<System.String,System.Int32>[] (Bytes > 1K)  [System.Private.CoreLib.dll]
                         96        30  Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState  [Microsoft.AspNetCore.Components.Server.dll]
                         30     1,000  System.String  [System.Private.CoreLib.dll]
            """;
        const string atTen = """
                 30,000,000  GC Heap bytes
                    300,000  GC Heap objects

               Object Bytes     Count  Type
                    300,000         4  System.String (Bytes > 10K)  [System.Private.CoreLib.dll]
                      5,000        50  System.String (Bytes > 1K)  [System.Private.CoreLib.dll]
                      4,000     2,000  Microsoft.AspNetCore.Components.RenderTree.RenderTreeFrame[] (Bytes > 1K)  [Microsoft.AspNetCore.Components.dll]
                      4,000         1  Entry<System.String,System.Int32>[] (Bytes > 1K)  [System.Private.CoreLib.dll]
                         96     1,030  Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState  [Microsoft.AspNetCore.Components.Server.dll]
                         30     2,000  System.String  [System.Private.CoreLib.dll]
            """;

        var before = HeapDump.Parse(atZero, "a.gcdump");
        var after = HeapDump.Parse(atTen, "b.gcdump");

        before.Bytes.ShouldBe(10_000_000);
        before.Objects.ShouldBe(100_000);
        // 100,000 × 2 + 5,000 × 10 + 30 × 1,000.
        before.Types["System.String"].ShouldBe(new HeapDump.TypeTotal(280_000, 1_012));
        before.Types["Entry<System.String,System.Int32>[]"].ShouldBe(new HeapDump.TypeTotal(4_000, 1));
        // Ten circuits: frames 4,000 × 2,000 / 10; strings (1,200,000 + 250,000 + 60,000 − 280,000) / 10 and
        // (2,054 − 1,012) / 10; states 96 × (1,030 − 30) / 10. The dictionary did not grow: not listed.
        HeapDump.Grown(before, after, circuits: 10, top: 5).ShouldBe(
        [
            new HeapDump.Growth("Microsoft.AspNetCore.Components.RenderTree.RenderTreeFrame[]", 800_000, 200),
            new HeapDump.Growth("System.String", 123_000, 104.2),
            new HeapDump.Growth("Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState", 9_600, 100),
        ]);
    }
}
