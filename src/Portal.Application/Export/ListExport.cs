using System.Runtime.CompilerServices;
using System.Text.Json;
using Portal.Application.Security;
using Portal.Domain.Common;

namespace Portal.Application.Export;

/// <summary>
/// One exportable list (Q3, Q4: every list to CSV and XLSX). Each list declares its export next to its own query:
/// <see cref="OpenAsync"/> checks the user's scope exactly as the screen's handler does (another organisation's ids
/// answer <see cref="NotFoundException"/>), counts the rows, and gives a page reader on a stable order.
/// </summary>
public interface IListExport
{
    /// <summary>The list's key in URLs, e.g. <c>mes-candidats</c>.</summary>
    string Key { get; }

    Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken);
}

/// <summary>Reads one page of an export's rows (cells as the screen shows them).</summary>
public delegate Task<IReadOnlyList<IReadOnlyList<string>>> ExportPageReader(int skip, int take, CancellationToken cancellationToken);

/// <summary>What a list export writes: its title, its French headers, how many rows, and the rows page by page.</summary>
public sealed record ExportSource(string Title, string FileName, IReadOnlyList<string> Columns, int Total, ExportPageReader ReadPage)
{
    /// <summary>A list its handler returns whole (a session's prescriptions, the arbitrations): paged in memory.</summary>
    public static ExportSource FromRows(string title, string fileName, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows) =>
        new(title, fileName, columns, rows.Count,
            (skip, take, _) => Task.FromResult<IReadOnlyList<IReadOnlyList<string>>>([.. rows.Skip(skip).Take(take)]));

    /// <summary>The rows, one page at a time (never the whole list in memory); <paramref name="afterPage"/> gets the rows written so far.</summary>
    public async IAsyncEnumerable<IReadOnlyList<string>> RowsAsync(int pageSize, Func<int, Task>? afterPage = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        pageSize = Math.Max(1, pageSize);
        var written = 0;
        for (var skip = 0; ; skip += pageSize)
        {
            var page = await ReadPage(skip, pageSize, cancellationToken);
            foreach (var row in page) yield return row;
            written += page.Count;
            if (afterPage is not null) await afterPage(written);
            if (page.Count < pageSize) yield break;
        }
    }
}

/// <summary>The parameters of a list export (the screen's filters), kept as JSON with a background export.</summary>
public sealed class ExportParameters
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly SortedDictionary<string, string> _values;

    public ExportParameters(IEnumerable<KeyValuePair<string, string>>? values = null)
    {
        _values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values ?? [])
            if (!string.IsNullOrWhiteSpace(value)) _values[key] = value.Trim();
    }

    public static ExportParameters Empty { get; } = new();

    public IReadOnlyDictionary<string, string> Values => _values;

    public string? Text(string name) => _values.GetValueOrDefault(name);

    /// <summary>A required identifier; a missing or malformed one is a French refusal (422), never a 500.</summary>
    public Guid RequiredGuid(string name, string what) =>
        Guid.TryParse(Text(name), out var id) ? id : throw new DomainException($"Indiquez {what} à exporter (paramètre « {name} »).", "Q3");

    public bool Flag(string name) => Text(name) is "1" or "true" or "oui";

    public TEnum Enum<TEnum>(string name, TEnum fallback) where TEnum : struct, System.Enum =>
        Text(name) is { } text
            ? (System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !int.TryParse(text, out _)
                ? value
                : throw new DomainException($"Valeur inconnue pour le paramètre « {name} » : « {text} ».", "Q3"))
            : fallback;

    public string ToJson() => JsonSerializer.Serialize(_values, Json);

    public static ExportParameters FromJson(string? json) =>
        new(string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json));

    /// <summary>The query string of the export URL (same parameters as the screen's).</summary>
    public string ToQueryString() =>
        _values.Count == 0 ? "" : "?" + string.Join('&', _values.Select(v => $"{Uri.EscapeDataString(v.Key)}={Uri.EscapeDataString(v.Value)}"));
}

/// <summary>Exports' settings (section <c>Exports</c>): above the threshold a list is exported as a background job.</summary>
public sealed record ExportSettings(int BackgroundRowThreshold = ExportSettings.DefaultThreshold, int PageSize = 500, int RetentionHours = 24)
{
    public const int DefaultThreshold = 5000;

    public TimeSpan Retention => TimeSpan.FromHours(RetentionHours);
}

/// <summary>Cells as the screens write them: Paris dates, French labels.</summary>
public static class ExportCells
{
    public static string Day(DateTimeOffset instant) => FrenchTime.ToFrance(instant).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public static string DayTime(DateTimeOffset instant) => FrenchTime.ToFrance(instant).ToString("dd/MM/yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A file name without accents or spaces, stamped with today's date in Paris, e.g. <c>mes-candidats-2026-11-27</c>.</summary>
    public static string FileName(string prefix, TimeProvider clock) =>
        $"{prefix}-{FrenchTime.ToFrance(clock.GetUtcNow()):yyyy-MM-dd}";
}
