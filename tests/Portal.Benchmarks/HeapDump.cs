using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Benchmarks;

/// <summary>
/// Issue #12 (3): the heap breakdown a full run reports beside the VmRSS slope. The server's heap is dumped by
/// <c>dotnet-dump collect --type Heap</c> (the .NET diagnostics tool) right after a forced full GC, once with no circuit
/// open and once with some hundreds, and read with SOS's <c>dumpheap -stat</c> (bytes and objects by type, exact); the
/// difference, divided by the circuits, is what a circuit holds, by type. (<c>dotnet-gcdump report</c> was tried first: its
/// byte column is one object's size per type, not the type's total, so arrays and strings cannot be added up from it.)
/// </summary>
public static partial class HeapDump
{
    /// <summary>The version the NuGet mirror serves (the <c>env</c> entry's package list).</summary>
    public const string ToolVersion = "10.0.750501";

    /// <summary>The objects of one type in a heap dump.</summary>
    public sealed record TypeTotal(long Bytes, long Count);

    /// <summary>One heap dump: the GC heap's bytes and objects (free space left out), by type.</summary>
    public sealed record Snapshot(long Bytes, long Objects, IReadOnlyDictionary<string, TypeTotal> Types, string File);

    /// <summary>What a circuit holds: a type's growth between two dumps, divided by the circuits opened between them.</summary>
    public sealed record Growth(string Type, double BytesPerCircuit, double CountPerCircuit);

    /// <summary>
    /// The tool's path: <c>dotnet-dump</c> on the PATH or in <c>~/.dotnet/tools</c>, else installed once with
    /// <c>dotnet tool install --tool-path WORK/tools</c>. Null (with the reason logged) when it cannot be had.
    /// </summary>
    public static async Task<string?> ToolAsync(string workDirectory, TextWriter log)
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"))
            .Append(Path.Combine(workDirectory, "tools"))
            .Select(d => Path.Combine(d, "dotnet-dump"));
        if (candidates.FirstOrDefault(File.Exists) is { } found) return found;

        var toolPath = Path.Combine(workDirectory, "tools");
        var (code, output) = await RunAsync("dotnet", ["tool", "install", "--tool-path", toolPath, "dotnet-dump", "--version", ToolVersion], TimeSpan.FromMinutes(3));
        var installed = Path.Combine(toolPath, "dotnet-dump");
        if (code == 0 && File.Exists(installed)) return installed;
        log.WriteLine($"  dotnet-dump could not be installed (exit {code}): {output.Trim()}");
        return null;
    }

    /// <summary>
    /// Dumps the heap of process <paramref name="pid"/> (the caller has just forced a full GC), keeps SOS's statistics as
    /// <paramref name="statistics"/> and deletes the dump itself (hundreds of MB); null when it failed.
    /// </summary>
    public static async Task<Snapshot?> TakeAsync(string tool, int pid, string statistics, TextWriter log)
    {
        var watch = Stopwatch.StartNew();
        var dump = Path.ChangeExtension(statistics, ".dmp");
        try
        {
            var (code, output) = await RunAsync(tool, ["collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--type", "Heap", "-o", dump], TimeSpan.FromMinutes(10));
            if (code != 0 || !File.Exists(dump))
            {
                log.WriteLine($"  heap dump of {pid} failed (exit {code}): {output.Trim()}");
                return null;
            }
            (code, output) = await RunAsync(tool, ["analyze", dump, "-c", "dumpheap -stat", "-c", "exit"], TimeSpan.FromMinutes(10));
            if (code != 0)
            {
                log.WriteLine($"  dumpheap -stat on {dump} failed (exit {code})");
                return null;
            }
            await File.WriteAllTextAsync(statistics, output);
            var snapshot = Parse(output, statistics);
            log.WriteLine($"  heap dump {Path.GetFileName(statistics)}: {snapshot.Bytes / 1048576.0:N1} MB, {snapshot.Objects:N0} objects, {snapshot.Types.Count} types, in {watch.Elapsed.TotalSeconds:F0} s");
            return snapshot;
        }
        finally
        {
            File.Delete(dump);
        }
    }

    /// <summary>
    /// Reads SOS's <c>dumpheap -stat</c>: one line per type (<c>MT  count  total-size  name</c>, with thousands separators),
    /// then <c>Total N objects, B bytes</c>. The free space (type <c>Free</c>) is left out of the types and the totals.
    /// </summary>
    public static Snapshot Parse(string statistics, string file)
    {
        long bytes = 0, objects = 0;
        var types = new Dictionary<string, TypeTotal>(StringComparer.Ordinal);
        foreach (var line in statistics.Split('\n'))
        {
            if (TotalLine().Match(line) is { Success: true } total)
            {
                objects = Number(total.Groups[1].Value);
                bytes = Number(total.Groups[2].Value);
                continue;
            }
            if (TypeLine().Match(line) is not { Success: true } row) continue;
            var name = row.Groups[3].Value.Trim();
            var had = types.GetValueOrDefault(name, new TypeTotal(0, 0));
            types[name] = new TypeTotal(had.Bytes + Number(row.Groups[2].Value), had.Count + Number(row.Groups[1].Value));
        }
        if (types.Remove("Free", out var free))
        {
            bytes -= free.Bytes;
            objects -= free.Count;
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

    [GeneratedRegex(@"^\s*Total\s+([\d,]+)\s+objects,\s+([\d,]+)\s+bytes\s*$")]
    private static partial Regex TotalLine();

    // MT (hexadecimal), count, total size, then the type's name (it may hold spaces: generic arguments are separated by ", ").
    [GeneratedRegex(@"^\s*[0-9a-fA-F]{8,16}\s+([\d,]+)\s+([\d,]+)\s+(\S.*?)\s*$")]
    private static partial Regex TypeLine();
}
