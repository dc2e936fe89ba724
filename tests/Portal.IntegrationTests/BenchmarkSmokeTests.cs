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
            // Two place changes per step with --smoke (--updates), pooled: 2 × the step's 3 dashboards, each seen.
            report.Figures.ShouldContain(f => f.Part == CircuitsBenchmark.Part && f.Name == "step 3: live update p50 / p95 / max"
                && f.Method.Contains("over 2 change(s) × 3 dashboards", StringComparison.Ordinal) && f.Method.Contains("0 missed", StringComparison.Ordinal));
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
    /// Issue #12 (3): SOS's <c>dumpheap -stat</c> read back: bytes and objects by type (thousands separators, a generic
    /// type's name with its spaces kept), the free space left out of the types and the totals; then what grew per circuit.
    /// </summary>
    [Fact]
    public void HeapDump_StatisticsAreRead_AndTheGrowthPerCircuitComputed()
    {
        const string atZero = """
            Loading core dump: /tmp/heap-0.dmp ...
            Statistics:
                      MT  Count TotalSize Class Name
            7fe0d6af1570      1        24 System.Collections.Generic.StringEqualityComparer
            7fe0dc6d71d0      2     4,000 System.Collections.Generic.Dictionary<System.String, System.Int32>+Entry[]
            7fe0d6a4dd58  1,000    30,000 System.String
            7fe0d6b00000     30     2,880 Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState
            55d5c1a0c0f0     10   100,000 Free
            Total 1,043 objects, 136,904 bytes
            """;
        const string atTen = """
            Statistics:
                      MT  Count TotalSize Class Name
            7fe0d6af1570      1        24 System.Collections.Generic.StringEqualityComparer
            7fe0dc6d71d0      2     4,000 System.Collections.Generic.Dictionary<System.String, System.Int32>+Entry[]
            7fe0d6b00000  1,030    98,880 Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState
            7fe0d6a4dd58  2,054 1,510,000 System.String
            7fe0d6c00000  2,000 8,000,000 Microsoft.AspNetCore.Components.RenderTree.RenderTreeFrame[]
            55d5c1a0c0f0      4    50,000 Free
            Total 5,091 objects, 9,662,904 bytes
            """;

        var before = HeapDump.Parse(atZero, "heap-0.txt");
        var after = HeapDump.Parse(atTen, "heap-10.txt");

        // The totals without the free space: 1,043 − 10 objects, 136,904 − 100,000 bytes.
        before.Objects.ShouldBe(1_033);
        before.Bytes.ShouldBe(36_904);
        before.Types.ContainsKey("Free").ShouldBeFalse();
        before.Types["System.Collections.Generic.Dictionary<System.String, System.Int32>+Entry[]"].ShouldBe(new HeapDump.TypeTotal(4_000, 2));
        after.Bytes.ShouldBe(9_612_904);
        // Ten circuits: frames 8,000,000 / 10; strings (1,510,000 − 30,000) / 10 and (2,054 − 1,000) / 10; states
        // (98,880 − 2,880) / 10. The dictionary and the comparer did not grow: not listed.
        HeapDump.Grown(before, after, circuits: 10, top: 5).ShouldBe(
        [
            new HeapDump.Growth("Microsoft.AspNetCore.Components.RenderTree.RenderTreeFrame[]", 800_000, 200),
            new HeapDump.Growth("System.String", 148_000, 105.4),
            new HeapDump.Growth("Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState", 9_600, 100),
        ]);
    }
}
