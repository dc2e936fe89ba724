using Xunit.Sdk;
using Xunit.v3;

[assembly: TestCollectionOrderer(typeof(Portal.IntegrationTests.LongestFirst))]

namespace Portal.IntegrationTests;

/// <summary>
/// CI time (test.sh): the collections that last longest start first, the others keep xunit's order. The project runs
/// three tests at once (xunit.runner.json); the two-server jobs test mostly waits three minutes for minute boundaries,
/// and started last it alone made the project's end (a clean-clone run: it started 150 s in and ended 223 s later).
/// Longest first (durations of a clean-clone run, 4 December 2026), so that the waits overlap the work of the others.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    /// <summary>Parts of the collections' display names, longest first.</summary>
    private static readonly string[] Longest =
    [
        PortalProcessesCollection.Name,        // ~190 s, waits for three minute boundaries
        nameof(BenchmarkSmokeTests),           // ~100 s
        nameof(TwoServersLiveTests),           // ~40-120 s, two hosts on PostgreSQL
        nameof(BenchmarkPostgreSqlSmokeTests), // ~50-100 s
        nameof(SharedStateTests),              // ~40 s
        nameof(CopyToPostgreSqlTests),         // ~30 s
        nameof(GatewayTests),                  // ~25 s
    ];

    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection =>
        [.. testCollections.Select((collection, index) => (collection, index))
            .OrderBy(x => Rank(x.collection.TestCollectionDisplayName))
            .ThenBy(x => x.index)
            .Select(x => x.collection)];

    private static int Rank(string displayName)
    {
        for (var i = 0; i < Longest.Length; i++)
            if (displayName.Contains(Longest[i], StringComparison.Ordinal)) return i;
        return Longest.Length;
    }
}
