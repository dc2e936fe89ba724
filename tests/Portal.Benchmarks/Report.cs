using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Portal.Benchmarks;

/// <summary>One measured (or honestly not measured) figure, with how it was obtained.</summary>
public sealed record Figure(string Part, string Name, double? Value, string Unit, string Method)
{
    public string Shown => Value is { } v ? $"{v.ToString(v >= 100 ? "N0" : "0.##", CultureInfo.InvariantCulture)} {Unit}".Trim() : "not measured";
}

/// <summary>The report: Markdown on stdout, the same figures as JSON in a file.</summary>
public sealed class Report
{
    private readonly List<Figure> _figures = [];
    private readonly Dictionary<string, List<string>> _notes = [];
    private readonly List<string> _parts = [];

    public required string Command { get; init; }

    public required Sizes Sizes { get; init; }

    public required string SizeLabel { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The machine's load average (<c>/proc/loadavg</c>: 1, 5 and 15 minutes) when the run started.</summary>
    public string? LoadAverageAtStart { get; init; }

    /// <summary>The same at the end of the run (or of the last part written, while it runs).</summary>
    public string? LoadAverageAtEnd { get; set; }

    /// <summary>The parts finished so far, in order (the report is written after each).</summary>
    public List<string> Completed { get; } = [];

    /// <summary>The 1-, 5- and 15-minute load averages and the running/total tasks, as <c>/proc/loadavg</c> gives them; null elsewhere.</summary>
    public static string? LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 4 ? $"{fields[0]} / {fields[1]} / {fields[2]} (1 / 5 / 15 min; {fields[3]} tasks running/total)" : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public IReadOnlyList<Figure> Figures => _figures;

    public void Part(string part)
    {
        if (!_parts.Contains(part)) _parts.Add(part);
    }

    public void Add(string part, string name, double? value, string unit, string method)
    {
        Part(part);
        if (value is { } v && (double.IsNaN(v) || double.IsInfinity(v))) value = null;
        _figures.Add(new Figure(part, name, value, unit, method));
    }

    /// <summary>Issue #16: which portal the server parts measured (SQLite, PostgreSQL, two servers behind the gateway).</summary>
    public string? Deployment { get; set; }

    public void Note(string part, string text)
    {
        Part(part);
        if (!_notes.TryGetValue(part, out var list)) _notes[part] = list = [];
        list.Add(text);
    }

    public static string Machine()
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {memory:F1} GB memory, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }

    public static string Build()
    {
#if DEBUG
        return "Debug (figures not representative: use -c Release)";
#else
        return "Release";
#endif
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Portal benchmark – {StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{Command}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine()}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Build: {Build()}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Portal under test (server parts): {Deployment ?? "not started (no server part)"}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Sizes ({SizeLabel}): {Sizes.Prescriptions:N0} prescriptions, {Sizes.Candidates:N0} candidates, {Sizes.Sessions:N0} sessions, {Sizes.Fiches:N0} fiches action, {Sizes.TrainingBodies:N0} OFs, {Sizes.PrescriberOrganisations:N0} prescriber organisations (demo organisations included)");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Load average at the start: {LoadAverageAtStart ?? "unknown"}; at the end: {LoadAverageAtEnd ?? "unknown"} (`/proc/loadavg`; {Environment.ProcessorCount} cores: a load above that means something else was competing)");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Parts completed: {(Completed.Count == 0 ? "none yet" : string.Join(", ", Completed))}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Data laid out around {Sizes.Now:yyyy-MM-dd HH:mm} UTC (fixed, so that every run builds the same rows)");
        foreach (var part in _parts)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## {part}");
            md.AppendLine();
            foreach (var note in _notes.GetValueOrDefault(part) ?? []) md.AppendLine(CultureInfo.InvariantCulture, $"{note}");
            var figures = _figures.Where(f => f.Part == part).ToList();
            if (figures.Count == 0) continue;
            if (_notes.ContainsKey(part)) md.AppendLine();
            md.AppendLine("| figure | value | how it was obtained |");
            md.AppendLine("|---|---:|---|");
            foreach (var f in figures) md.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {f.Shown} | {f.Method} |");
        }
        return md.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        startedAt = StartedAt,
        command = Command,
        machine = Machine(),
        build = Build(),
        deployment = Deployment,
        sizeLabel = SizeLabel,
        sizes = Sizes,
        loadAverageAtStart = LoadAverageAtStart,
        loadAverageAtEnd = LoadAverageAtEnd,
        completed = Completed,
        parts = _parts,
        notes = _notes,
        figures = _figures,
    }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
}
