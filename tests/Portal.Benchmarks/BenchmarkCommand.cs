using System.Globalization;

namespace Portal.Benchmarks;

public static class BenchmarkCommand
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/Portal.Benchmarks -- <part>... [options]
          parts: all | generate | jobs | pages | circuits | browser   (jobs/pages/circuits/browser generate first unless --db is given)
          --smoke                 tiny sizes and short runs (under a minute; what CI runs)
          --prescriptions N       default 1000000      --candidates N       default 300000
          --sessions N            default 20000        --fiches N           default 3000
          --ofs N                 default 200          --prescriber-orgs N  default 60
          --db PATH               reuse an already generated database (else generated under --work)
          --work DIR              working folder (default: $TMPDIR/portal-bench)
          --out PATH              JSON report (default: <work>/report.json); the Markdown goes to stdout
          --duration S            seconds per page x concurrency measurement (default 5)
          --circuits N,N,...      live-circuit steps (default 100,1000,5000)
          --circuit-budget S      seconds allowed to open each step's circuits (default 120)
          --updates K             circuits part: place changes per step, 1 s apart, their latencies pooled (default 3)
          --hold S                circuits part: after the memory reading at 0 circuits and after each step, print the
                                  server PIDs and keep the circuits open S seconds (time to take a dotnet-gcdump)
          --no-pin                do not pin server and harness to different cores with taskset
          --job-timeout S         a job still running after S seconds is cancelled and reported so (default 60)
          --calls N               handlers part: calls per handler, after as many of warm-up (default 200; each
                                  handler's warm-up and measurement also stop after 20 s each, for large data)
          --provider P            sqlite (default) | postgresql: the server parts run on a PostgreSQL copy of the
                                  generated file (the run's throwaway PostgreSQL 15 cluster, or --pg)
          --servers N             1 (default) | 2: two portal servers behind Portal.Gateway (postgresql only)
          --pg CONNECTION         an EMPTY PostgreSQL database to copy into instead of the throwaway cluster
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        BenchmarkOptions options;
        try { options = BenchmarkOptions.Parse(args); }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + Usage);
            return 2;
        }
        try
        {
            await ExecuteAsync(args, options, output, Console.Error);
            return 0;
        }
        catch (Exception e)
        {
            // An exception left unhandled ends the process without ProcessExit, and the throwaway PostgreSQL cluster it
            // stops (PostgreSqlCluster) would keep running: the run ends here, with its error and exit code 1.
            await Console.Error.WriteLineAsync($"The benchmark stopped: {e}");
            return 1;
        }
    }

    /// <summary>Runs the parts named in the options; the Markdown goes to <paramref name="output"/>, the JSON to the --out file.</summary>
    public static async Task<Report> ExecuteAsync(string[] args, BenchmarkOptions options, TextWriter output, TextWriter log)
    {
        var report = new Report
        {
            Command = "dotnet run -c Release --project tests/Portal.Benchmarks -- " + string.Join(' ', args),
            Sizes = options.Sizes,
            SizeLabel = options.SizeLabel,
            StartedAt = TimeProvider.System.GetUtcNow(),
            LoadAverageAtStart = Report.LoadAverage(),
        };
        Directory.CreateDirectory(options.WorkDirectory);
        var total = System.Diagnostics.Stopwatch.StartNew();
        var json = options.Out ?? Path.Combine(options.WorkDirectory, "report.json");
        // Issue #12: the report is written after every part (JSON at --out, Markdown beside it as *.partial.md), so that a
        // crash keeps what was measured; the Markdown goes to stdout once the run is over.
        var partial = Path.ChangeExtension(json, ".partial.md");
        async Task CheckpointAsync(string part)
        {
            report.Completed.Add(part);
            report.LoadAverageAtEnd = Report.LoadAverage();
            await File.WriteAllTextAsync(json, report.ToJson());
            await File.WriteAllTextAsync(partial, report.ToMarkdown());
            log.WriteLine($"[{total.Elapsed.TotalSeconds:F0} s] {part}: report written ({json}, {partial})");
        }
        var database = options.Database ?? Path.Combine(options.WorkDirectory, "portal.db");
        try
        {
            if (options.Database is null)
            {
                log.WriteLine($"Generating {options.SizeLabel} dataset into {database}");
                var generator = new Generator(options.Sizes, database, log);
                await generator.RunAsync();
                GeneratorReport.Add(report, generator, database);
                await GeneratorReport.VerifyAsync(report, database);
                await CheckpointAsync("generate");
            }
            log.WriteLine($"[{total.Elapsed.TotalSeconds:F0} s] data ready");
            // Issue #16: with --provider postgresql, the file is copied once into PostgreSQL and cloned for each use.
            var copies = options.Provider == "postgresql" ? new PostgreSqlCopies(report, options, database, log) : null;
            if (options.Parts.Contains("jobs"))
            {
                await JobsBenchmark.RunAsync(report, options, database, log, copies);
                await CheckpointAsync("jobs");
            }
            log.WriteLine($"[{total.Elapsed.TotalSeconds:F0} s] jobs done");
            if (options.Parts.Contains("handlers"))
            {
                await HandlersBenchmark.RunAsync(report, options, database, log);
                await CheckpointAsync("handlers");
            }
            if (options.Parts.Contains("pages") || options.Parts.Contains("circuits") || options.Parts.Contains("browser"))
                await ServerBenchmarks.RunAsync(report, options, database, log, CheckpointAsync, copies);
            log.WriteLine($"[{total.Elapsed.TotalSeconds:F0} s] all done");
            report.Note("Run", $"Whole run: {total.Elapsed.TotalMinutes:F1} min.");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Keep what was measured, say where it stopped, and fail as before.
            report.Note("Run", $"**The run stopped** after {total.Elapsed.TotalMinutes:F1} min: {e.GetType().Name}: {e.Message}");
            await CheckpointAsync("stopped");
            throw;
        }
        report.LoadAverageAtEnd = Report.LoadAverage();

        var markdown = report.ToMarkdown();
        await output.WriteAsync(markdown);
        await File.WriteAllTextAsync(json, report.ToJson());
        File.Delete(partial);
        log.WriteLine($"JSON report: {json}");
        return report;
    }
}

public sealed class BenchmarkOptions
{
    public HashSet<string> Parts { get; } = [];

    public Sizes Sizes { get; private set; } = Sizes.Default;

    public bool Smoke { get; private set; }

    public string SizeLabel => Smoke ? "smoke" : Sizes == Sizes.Default ? "default (issue #7)" : "custom";

    public string? Database { get; private set; }

    public string WorkDirectory { get; private set; } = Path.Combine(Path.GetTempPath(), "portal-bench");

    public string? Out { get; private set; }

    public double DurationSeconds { get; private set; } = 5;

    public int[] CircuitSteps { get; private set; } = [100, 1000, 5000];

    public double JobTimeoutSeconds { get; private set; } = 60;

    /// <summary>Handlers part: measured calls per handler (as many of warm-up before them).</summary>
    public int HandlerCalls { get; private set; } = 200;

    public double CircuitStepBudgetSeconds { get; private set; } = 120;

    /// <summary>
    /// Circuits part: the OF's place changes per step, their latencies pooled (issue #12: one change per step gave 33 ms at one
    /// run and 413 ms at the next for the same 300 circuits; a pause of the server during that one change made the step).
    /// </summary>
    public int UpdatesPerStep { get; private set; } = 3;

    public int CircuitOpenParallelism { get; private set; } = 16;

    /// <summary>Issue #12 (circuit memory): seconds to hold each memory point of the circuits part (0: none).</summary>
    public int HoldSeconds { get; private set; }

    public bool Pin { get; private set; } = true;

    /// <summary>
    /// Issue #12 (3): circuits part, dump the server's heap (dotnet-gcdump) with no circuit and with some hundreds open,
    /// for the heap breakdown per circuit. On by default, off with <c>--smoke</c> (CI) unless <c>--heap</c>; <c>--no-heap</c> skips it.
    /// </summary>
    public bool? HeapDumps { get; private set; }

    public bool TakesHeapDumps => HeapDumps ?? !Smoke;

    /// <summary>Whether <paramref name="name"/> is run under <paramref name="filter"/> (<c>--pages</c>, <c>--jobs</c>): an empty filter runs everything.</summary>
    public static bool Selected(List<string> filter, string name) =>
        filter.Count == 0 || filter.Exists(f => name.Contains(f, StringComparison.OrdinalIgnoreCase));

    /// <summary>Jobs part: only the jobs whose name contains one of these (case-insensitive); empty: every job.</summary>
    public List<string> JobFilter { get; private set; } = [];

    /// <summary>Pages part: only the pages whose name contains one of these (case-insensitive); empty: every page.</summary>
    public List<string> PageFilter { get; private set; } = [];

    /// <summary>Issue #16: "sqlite" or "postgresql" for the server parts (the generator and the jobs part use the SQLite file).</summary>
    public string Provider { get; private set; } = "sqlite";

    public int Servers { get; private set; } = 1;

    public string? PostgreSql { get; private set; }

    public static BenchmarkOptions Parse(string[] args)
    {
        var o = new BenchmarkOptions();
        var sizes = new Dictionary<string, int>();
        var stepsGiven = false;
        var callsGiven = false;
        var updatesGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            List<string> Words() => [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            int Int() => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{args[i - 1]} needs a positive number");
            switch (args[i])
            {
                case "all": o.Parts.UnionWith(["generate", "jobs", "handlers", "pages", "circuits", "browser"]); break;
                case "generate" or "jobs" or "handlers" or "pages" or "circuits" or "browser": o.Parts.Add(args[i]); break;
                case "--smoke": o.Smoke = true; break;
                case "--no-pin": o.Pin = false; break;
                case "--prescriptions" or "--candidates" or "--sessions" or "--fiches" or "--ofs" or "--prescriber-orgs":
                    var key = args[i]; sizes[key] = Int(); break;
                case "--db": o.Database = Path.GetFullPath(Next()); break;
                case "--work": o.WorkDirectory = Path.GetFullPath(Next()); break;
                case "--out": o.Out = Path.GetFullPath(Next()); break;
                case "--duration":
                    o.DurationSeconds = double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : throw new ArgumentException("--duration needs seconds");
                    break;
                case "--circuit-budget":
                    o.CircuitStepBudgetSeconds = Int(); break;
                case "--hold":
                    o.HoldSeconds = Int(); break;
                case "--updates":
                    o.UpdatesPerStep = Int();
                    updatesGiven = true;
                    break;
                case "--job-timeout":
                    o.JobTimeoutSeconds = Int(); break;
                case "--calls":
                    o.HandlerCalls = Int(); callsGiven = true; break;
                case "--circuits":
                    o.CircuitSteps = [.. Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                    stepsGiven = true;
                    break;
                case "--provider":
                    o.Provider = Next().ToLowerInvariant() switch
                    {
                        "sqlite" => "sqlite",
                        "postgresql" or "postgres" => "postgresql",
                        _ => throw new ArgumentException("--provider is sqlite or postgresql"),
                    };
                    break;
                case "--servers":
                    var servers = Int();
                    o.Servers = servers is 1 or 2 ? servers : throw new ArgumentException("--servers is 1 or 2");
                    break;
                case "--pg": o.PostgreSql = Next(); break;
                case "--heap": o.HeapDumps = true; break;
                case "--no-heap": o.HeapDumps = false; break;
                case "--jobs": o.JobFilter = Words(); break;
                case "--pages": o.PageFilter = Words(); break;
                default: throw new ArgumentException($"Unknown argument {args[i]}");
            }
        }
        if (o.Servers > 1 && o.Provider != "postgresql") throw new ArgumentException("--servers 2 needs --provider postgresql (SQLite is one server's file).");
        if (o.PostgreSql is not null && o.Provider != "postgresql") throw new ArgumentException("--pg needs --provider postgresql.");
        if (o.Parts.Count == 0) throw new ArgumentException("Name a part (all, generate, jobs, handlers, pages, circuits, browser).");
        var baseSizes = o.Smoke ? Sizes.Smoke : Sizes.Default;
        o.Sizes = new Sizes(
            sizes.GetValueOrDefault("--prescriptions", baseSizes.Prescriptions), sizes.GetValueOrDefault("--candidates", baseSizes.Candidates),
            sizes.GetValueOrDefault("--sessions", baseSizes.Sessions), sizes.GetValueOrDefault("--fiches", baseSizes.Fiches),
            sizes.GetValueOrDefault("--ofs", baseSizes.TrainingBodies), sizes.GetValueOrDefault("--prescriber-orgs", baseSizes.PrescriberOrganisations));
        if (o.Smoke)
        {
            o.DurationSeconds = Math.Min(o.DurationSeconds, 0.3);
            o.JobTimeoutSeconds = Math.Min(o.JobTimeoutSeconds, 20);
            if (!stepsGiven) o.CircuitSteps = [3, 6];
            if (!callsGiven) o.HandlerCalls = 5;
            if (!updatesGiven) o.UpdatesPerStep = 2;
        }
        return o;
    }
}
