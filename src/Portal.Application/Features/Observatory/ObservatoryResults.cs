using System.Globalization;
using Portal.Application.Security;

namespace Portal.Application.Features.Observatory;

/// <summary>`Portal:ObservatoryCacheSeconds`: how long an observatory's figures are shared by its readers (0: never).</summary>
public sealed record ObservatoryCacheSettings(TimeSpan Lifetime)
{
    public const int DefaultSeconds = 60;

    public static ObservatoryCacheSettings Default { get; } = new(TimeSpan.FromSeconds(DefaultSeconds));
}

/// <summary>
/// Issue #12 (item 5), ADR 0011 amended: the observatories' figures, computed once and shared by the readers who ask for
/// the same figures (same screen, period, territory filter, scope) within <see cref="ObservatoryCacheSettings.Lifetime"/>.
/// At a million prescriptions one computation takes one to two seconds of the server's time; without this, sixteen
/// readers opening the same observatory together each ran it (33 s for the last one) and 64 made requests time out.
/// </summary>
/// <remarks>
/// - One computation at a time per key: the readers who ask while it runs wait for it (single flight).
/// - A computation that failed is not kept: the next reader computes again.
/// - The computation runs to its end even if the reader who started it leaves (the others may be waiting for it); a
///   reader who leaves stops waiting.
/// - Per server (each server of a farm computes its own); the screens say when their figures were computed.
/// - Authorization and validation stay in the handlers, before this is asked: a key is only reached by a reader entitled
///   to its figures, and the key names the reader's scope (<see cref="ObservatoryScope.Key"/>).
/// </remarks>
public sealed class ObservatoryResults(TimeProvider clock, ObservatoryCacheSettings settings)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public Task<object> Value { get; set; } = null!;

        /// <summary>When the computation ended; null while it runs.</summary>
        public DateTimeOffset? ComputedAt { get; set; }
    }

    /// <summary>The figures of <paramref name="key"/>: shared if computed less than the lifetime ago or being computed, else computed now.</summary>
    public async Task<T> GetOrComputeAsync<T>(string key, Func<CancellationToken, Task<T>> compute, CancellationToken cancellationToken = default)
        where T : class
    {
        if (settings.Lifetime <= TimeSpan.Zero) return await compute(cancellationToken);
        Entry entry;
        lock (_entries)
        {
            var now = clock.GetUtcNow();
            if (!_entries.TryGetValue(key, out entry!) || IsSpent(entry, now))
            {
                RemoveSpent(now);
                entry = new Entry();
                // On the thread pool, not on the asking circuit's synchronisation context: other readers wait for it, and the
                // circuit that started it may close before it ends.
                entry.Value = Task.Run(() => ComputeAsync(entry, compute));
                _entries[key] = entry;
            }
        }
        return (T)await entry.Value.WaitAsync(cancellationToken);
    }

    /// <summary>How many computations are kept or running (tests, diagnostics).</summary>
    public int Count
    {
        get { lock (_entries) return _entries.Count; }
    }

    private async Task<object> ComputeAsync<T>(Entry entry, Func<CancellationToken, Task<T>> compute) where T : class
    {
        var value = await compute(CancellationToken.None);
        entry.ComputedAt = clock.GetUtcNow();
        return value;
    }

    private bool IsSpent(Entry entry, DateTimeOffset now) =>
        entry.Value.IsFaulted || entry.Value.IsCanceled || (entry.ComputedAt is { } at && now - at >= settings.Lifetime);

    /// <summary>Drops the expired and failed entries (called under the lock when an entry is added: the dictionary stays small).</summary>
    private void RemoveSpent(DateTimeOffset now)
    {
        foreach (var key in _entries.Where(e => IsSpent(e.Value, now)).Select(e => e.Key).ToList())
            _entries.Remove(key);
    }
}

/// <summary>The handlers' use of <see cref="ObservatoryResults"/>, which is optional (a handler built without it computes every time).</summary>
public static class ObservatoryResultsExtensions
{
    public static Task<T> SharedAsync<T>(this ObservatoryResults? results, string key, Func<CancellationToken, Task<T>> compute, CancellationToken cancellationToken)
        where T : class =>
        results is null ? compute(cancellationToken) : results.GetOrComputeAsync(key, compute, cancellationToken);

    /// <summary>The key of a screen's figures for a reader: the screen, the reader's scope, then the query's values (invariant culture).</summary>
    public static string Key(string screen, CurrentUser user, params object?[] parts) =>
        string.Join('|', new[] { screen, ObservatoryScope.Key(user) }.Concat(parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture) ?? "")));
}
