using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Benchmarks;

/// <summary>
/// Issue #12 (3): the heap breakdown a full run reports beside the VmRSS slope. The server's live objects are counted by
/// <c>dotnet-gcdump</c> (the .NET diagnostics tool: it induces a full GC and walks the heap through EventPipe), once with
/// no circuit open and once with some hundreds; the difference, divided by the circuits, is what a circuit holds, by type.
/// </summary>
public static partial class HeapDump
{
    /// <summary>The version the NuGet mirror serves (the <c>env</c> entry's package list).</summary>
    public const string ToolVersion = "10.0.750501";

    /// <summary>The live objects of one type in a heap dump.</summary>
    public sealed record TypeTotal(long Bytes, long Count);

    /// <summary>One heap dump: the GC heap's live bytes and objects, by type (the size buckets of arrays merged).</summary>
    public sealed record Snapshot(long Bytes, long Objects, IReadOnlyDictionary<string, TypeTotal> Types, string File);

    /// <summary>What a circuit holds: a type's growth between two dumps, divided by the circuits opened between them.</summary>
    public sealed record Growth(string Type, double BytesPerCircuit, double CountPerCircuit);

    /// <summary>
    /// The tool's path: <c>dotnet-gcdump</c> on the PATH or in <c>~/.dotnet/tools</c>, else installed once with
    /// <c>dotnet tool install --tool-path WORK/tools</c>. Null (with the reason logged) when it cannot be had.
    /// </summary>
    public static async Task<string?> ToolAsync(string workDirectory, TextWriter log)
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"))
            .Append(Path.Combine(workDirectory, "tools"))
            .Select(d => Path.Combine(d, "dotnet-gcdump"));
        if (candidates.FirstOrDefault(File.Exists) is { } found) return found;

        var toolPath = Path.Combine(workDirectory, "tools");
        var (code, output) = await RunAsync("dotnet", ["tool", "install", "--tool-path", toolPath, "dotnet-gcdump", "--version", ToolVersion], TimeSpan.FromMinutes(3));
        var installed = Path.Combine(toolPath, "dotnet-gcdump");
        if (code == 0 && File.Exists(installed)) return installed;
        log.WriteLine($"  dotnet-gcdump could not be installed (exit {code}): {output.Trim()}");
        return null;
    }

    /// <summary>Dumps the heap of process <paramref name="pid"/> into <paramref name="file"/> and reads it back; null when it failed.</summary>
    public static async Task<Snapshot?> TakeAsync(string tool, int pid, string file, TextWriter log)
    {
        var watch = Stopwatch.StartNew();
        var (code, output) = await RunAsync(tool, ["collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file], TimeSpan.FromMinutes(10));
        if (code != 0 || !File.Exists(file))
        {
            log.WriteLine($"  heap dump of {pid} failed (exit {code}): {output.Trim()}");
            return null;
        }
        (code, output) = await RunAsync(tool, ["report", file], TimeSpan.FromMinutes(5));
        if (code != 0)
        {
            log.WriteLine($"  heap dump report of {file} failed (exit {code})");
            return null;
        }
        var snapshot = Parse(output, file);
        log.WriteLine($"  heap dump {Path.GetFileName(file)}: {snapshot.Bytes / 1048576.0:N1} MB, {snapshot.Objects:N0} objects, {snapshot.Types.Count} types, in {watch.Elapsed.TotalSeconds:F0} s");
        return snapshot;
    }

    /// <summary>
    /// Reads <c>dotnet-gcdump report</c>'s text: two totals (<c>N  GC Heap bytes</c>, <c>N  GC Heap objects</c>), then one
    /// line per type and size bucket (<c>size  count  Type (Bytes &gt; 10K)  [module]</c>), where size is the bucket's
    /// average object size (rounded down by the tool: size × count adds up to about 90 % of the total). A type's bytes are
    /// size × count, its buckets added up.
    /// </summary>
    public static Snapshot Parse(string report, string file)
    {
        long bytes = 0, objects = 0;
        var types = new Dictionary<string, TypeTotal>(StringComparer.Ordinal);
        foreach (var line in report.Split('\n'))
        {
            if (TotalLine().Match(line) is { Success: true } total)
            {
                var value = Number(total.Groups[1].Value);
                if (total.Groups[2].Value == "bytes") bytes = value;
                else objects = value;
                continue;
            }
            if (TypeLine().Match(line) is not { Success: true } row) continue;
            var name = row.Groups[3].Value.Trim();
            var had = types.GetValueOrDefault(name, new TypeTotal(0, 0));
            var count = Number(row.Groups[2].Value);
            types[name] = new TypeTotal(had.Bytes + Number(row.Groups[1].Value) * count, had.Count + count);
        }
        return new Snapshot(bytes, objects, types, file);
    }

    /// <summary>The types that grew most between <paramref name="before"/> and <paramref name="after"/>, per circuit.</summary>
    public static IReadOnlyList<Growth> Grown(Snapshot before, Snapshot after, int circuits, int top) =>
        [.. after.Types
            .Select(t => (t.Key, Bytes: t.Value.Bytes - before.Types.GetValueOrDefault(t.Key, new TypeTotal(0, 0)).Bytes,
                Count: t.Value.Count - before.Types.GetValueOrDefault(t.Key, new TypeTotal(0, 0)).Count))
            .Where(t => t.Bytes > 0)
            .OrderByDescending(t => t.Bytes)
            .Take(top)
            .Select(t => new Growth(t.Key, (double)t.Bytes / circuits, (double)t.Count / circuits))];

    private static long Number(string digits) => long.Parse(digits.Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture);

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try { await process.WaitForExitAsync(cancel.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"timed out after {timeout.TotalSeconds:N0} s");
            }
            return (process.ExitCode, await stdout + await stderr);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    [GeneratedRegex(@"^\s*([\d,]+)\s+GC Heap (bytes|objects)\s*$")]
    private static partial Regex TotalLine();

    // The type name may itself hold spaces and brackets (generic arguments); the module is the last [...] of the line,
    // and a size bucket, when there is one, is the "(Bytes > 10K)" just before it.
    [GeneratedRegex(@"^\s*([\d,]+)\s+([\d,]+)\s+(.+?)(?:\s+\(Bytes > [\d,]+K\))?\s+\[[^\[\]]+\]\s*$")]
    private static partial Regex TypeLine();
}
