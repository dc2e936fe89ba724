using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Observatory;
using Portal.Application.Tests.Support;
using Portal.Testing;

namespace Portal.Application.Tests.Observatory;

/// <summary>
/// Issue #12 (item 5), Q1/Q3/Q4: an observatory's figures are computed once and shared by the readers who ask for the
/// same ones within the lifetime (60 s here); readers arriving while they are computed wait for that one computation.
/// </summary>
public sealed class ObservatoryResultsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 4, 15, 9, 0, 0, TimeSpan.Zero));

    private ObservatoryResults Results(int seconds = 60) => new(_clock, new ObservatoryCacheSettings(TimeSpan.FromSeconds(seconds)));

    private sealed class Figures(int computation)
    {
        public int Computation { get; } = computation;
    }

    [Fact]
    public async Task ReadersArrivingTogether_WaitForOneComputation_AndGetTheSameFigures_Issue12()
    {
        var results = Results();
        var computations = 0;
        var release = new TaskCompletionSource();
        async Task<Figures> Compute(CancellationToken _)
        {
            var n = Interlocked.Increment(ref computations);
            await release.Task;
            return new Figures(n);
        }

        var readers = Enumerable.Range(0, 16).Select(_ => results.GetOrComputeAsync("acces|region|2027", Compute, Ct)).ToList();
        await Task.Delay(50, Ct);
        release.SetResult();
        var figures = await Task.WhenAll(readers);

        computations.ShouldBe(1);
        figures.ShouldAllBe(f => ReferenceEquals(f, figures[0]));
    }

    [Fact]
    public async Task TheFigures_AreSharedForTheLifetime_ThenComputedAgain_Issue12()
    {
        var results = Results();
        var computations = 0;
        Task<Figures> Compute(CancellationToken _) => Task.FromResult(new Figures(++computations));

        (await results.GetOrComputeAsync("k", Compute, Ct)).Computation.ShouldBe(1);
        _clock.Advance(TimeSpan.FromSeconds(59));
        (await results.GetOrComputeAsync("k", Compute, Ct)).Computation.ShouldBe(1);
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await results.GetOrComputeAsync("k", Compute, Ct)).Computation.ShouldBe(2);
        // Another key is another computation.
        (await results.GetOrComputeAsync("other", Compute, Ct)).Computation.ShouldBe(3);
    }

    [Fact]
    public async Task AFailedComputation_IsNotKept_TheNextReaderComputesAgain_Issue12()
    {
        var results = Results();
        var calls = 0;
        Task<Figures> Compute(CancellationToken _) =>
            ++calls == 1 ? throw new InvalidOperationException("base indisponible") : Task.FromResult(new Figures(calls));

        (await Should.ThrowAsync<InvalidOperationException>(() => results.GetOrComputeAsync("k", Compute, Ct))).Message.ShouldBe("base indisponible");
        (await results.GetOrComputeAsync("k", Compute, Ct)).Computation.ShouldBe(2);
    }

    [Fact]
    public async Task AReaderWhoLeaves_StopsWaiting_AndTheOthersStillGetTheFigures_Issue12()
    {
        var results = Results();
        var release = new TaskCompletionSource();
        async Task<Figures> Compute(CancellationToken token)
        {
            await release.Task;
            token.IsCancellationRequested.ShouldBeFalse();
            return new Figures(1);
        }
        using var leaving = new CancellationTokenSource();

        var first = results.GetOrComputeAsync("k", Compute, leaving.Token);
        var second = results.GetOrComputeAsync("k", Compute, Ct);
        await leaving.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => first);
        release.SetResult();
        (await second).Computation.ShouldBe(1);
    }

    [Fact]
    public async Task ALifetimeOfZero_ComputesForEveryReader_Issue12()
    {
        var results = Results(seconds: 0);
        var computations = 0;
        Task<Figures> Compute(CancellationToken _) => Task.FromResult(new Figures(++computations));

        await results.GetOrComputeAsync("k", Compute, Ct);
        await results.GetOrComputeAsync("k", Compute, Ct);
        computations.ShouldBe(2);
        results.Count.ShouldBe(0);
    }

    [Fact]
    public async Task SpentFigures_AreDropped_WhenOthersAreAdded_Issue12()
    {
        var results = Results();
        Task<Figures> Compute(CancellationToken _) => Task.FromResult(new Figures(1));

        for (var i = 0; i < 10; i++) await results.GetOrComputeAsync($"k{i}", Compute, Ct);
        results.Count.ShouldBe(10);
        _clock.Advance(TimeSpan.FromSeconds(60));
        await results.GetOrComputeAsync("new", Compute, Ct);
        results.Count.ShouldBe(1);
    }

    /// <summary>Q1: the Région's thresholds are part of what is shared: a threshold changed shows at the next read, not a minute later.</summary>
    [Fact]
    public async Task QualityIndicators_AThresholdChanged_ShowsAtTheNextRead_Q1_Issue12()
    {
        await using var db = await TestDatabase.CreateAsync();
        var claire = await TestUsers.ForAsync(db, TestUsers.Claire);
        var handler = new GetQualityIndicators.Handler(db, _clock, Results());
        var query = new GetQualityIndicators(new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31));

        var before = await handler.HandleAsync(query, claire, Ct);
        var first = QualityIndicators.All[0];
        before.Thresholds[0].ShouldBe(first.DefaultThreshold);
        await new SetQualityThreshold.Handler(db, _clock).HandleAsync(new SetQualityThreshold(first.Key, 42), claire, Ct);

        var after = await handler.HandleAsync(query, claire, Ct);
        after.Thresholds[0].ShouldBe(42);
        // Nothing else changed and no time passed: the same query reads the shared figures.
        (await handler.HandleAsync(query, claire, Ct)).ShouldBeSameAs(after);
    }
}
