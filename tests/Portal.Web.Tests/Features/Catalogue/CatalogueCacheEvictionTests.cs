using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Application.Abstractions;
using Portal.Web.Features.Catalogue;

namespace Portal.Web.Tests.Features.Catalogue;

/// <summary>The catalogue's output-cache eviction (issue #12, O8) as a hosted service: started and stopped by the host.</summary>
public sealed class CatalogueCacheEvictionTests
{
    /// <summary>
    /// The host may stop a service again while it is stopping (the E2E server, WebApplicationFactory on Kestrel, stops
    /// its host twice at once when disposed: the second stop threw "Collection was modified" and failed the test run).
    /// </summary>
    [Fact]
    public async Task StopAsync_CalledAgainWhileStopping_DisposesEachSubscriptionOnce_AndThrowsNothing()
    {
        var notifier = new CountingNotifier();
        using var eviction = new CatalogueCacheEviction(notifier, new NoStore(), TimeProvider.System, NullLogger<CatalogueCacheEviction>.Instance);
        await eviction.StartAsync(TestContext.Current.CancellationToken);
        Task? second = null;
        notifier.OnFirstDispose = () => second = eviction.StopAsync(TestContext.Current.CancellationToken);

        await eviction.StopAsync(TestContext.Current.CancellationToken);
        await second!;

        notifier.Subscriptions.Count.ShouldBe(4);
        notifier.Subscriptions.ShouldAllBe(s => s.Disposals == 1);
    }

    /// <summary>
    /// A host stopped after its services were disposed (seen disposing two portal hosts in one test, issue #16): the stop
    /// has nothing left to cancel and throws nothing.
    /// </summary>
    [Fact]
    public async Task StopAsync_AfterDispose_ThrowsNothing()
    {
        var notifier = new CountingNotifier();
        var eviction = new CatalogueCacheEviction(notifier, new NoStore(), TimeProvider.System, NullLogger<CatalogueCacheEviction>.Instance);
        await eviction.StartAsync(TestContext.Current.CancellationToken);
        eviction.Dispose();

        await Should.NotThrowAsync(() => eviction.StopAsync(TestContext.Current.CancellationToken));

        notifier.Subscriptions.ShouldAllBe(s => s.Disposals == 1);
    }

    private sealed class CountingNotifier : ILiveNotifier
    {
        public List<Subscription> Subscriptions { get; } = [];

        public Action? OnFirstDispose { get; set; }

        public Task PublishAsync<TEvent>(TEvent liveEvent, CancellationToken cancellationToken = default) where TEvent : ILiveEvent => Task.CompletedTask;

        public IDisposable Subscribe<TEvent>(Func<TEvent, Task> handler) where TEvent : ILiveEvent => Add();

        public IDisposable Subscribe<TEvent>(Guid topic, Func<TEvent, Task> handler) where TEvent : ILiveEvent => Add();

        private Subscription Add()
        {
            var subscription = new Subscription(this);
            Subscriptions.Add(subscription);
            return subscription;
        }

        public sealed class Subscription(CountingNotifier owner) : IDisposable
        {
            public int Disposals { get; private set; }

            public void Dispose()
            {
                Disposals++;
                var first = owner.OnFirstDispose;
                owner.OnFirstDispose = null;
                first?.Invoke();
            }
        }
    }

    private sealed class NoStore : IOutputCacheStore
    {
        public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult<byte[]?>(null);

        public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
