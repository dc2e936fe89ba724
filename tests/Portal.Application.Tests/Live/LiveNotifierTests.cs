using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Application.Abstractions;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Live;

namespace Portal.Application.Tests.Live;

/// <summary>
/// The singleton notifier behind live screens (ARCHITECTURE rule 7): typed, disposable subscriptions; a
/// failing subscriber never stops the others; events cross servers through a backplane, once.
/// </summary>
public sealed class LiveNotifierTests
{
    private static readonly Guid SessionId = Guid.Parse("0197c000-0000-7000-8000-000000000001");
    private static readonly Guid TrainingBodyId = Guid.Parse("0197c000-0000-7000-8000-000000000002");
    private static readonly Guid PrescriptionId = Guid.Parse("0197c000-0000-7000-8000-000000000003");
    private static readonly Guid PrescriberOrganisationId = Guid.Parse("0197c000-0000-7000-8000-000000000004");

    private static readonly SessionPlacesChanged Places = new(SessionId, TrainingBodyId, 4, 12);
    private static readonly MessageAdded Message = new(PrescriptionId, Guid.Parse("0197c000-0000-7000-8000-000000000005"), PrescriberOrganisationId, TrainingBodyId);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LiveNotifier Notifier(ILiveBackplane? backplane = null, ILogger<LiveNotifier>? logger = null) =>
        new(backplane ?? new InProcessBackplane(), logger ?? NullLogger<LiveNotifier>.Instance);

    private static IDisposable Record<TEvent>(ILiveNotifier notifier, ConcurrentQueue<TEvent> into) where TEvent : ILiveEvent =>
        notifier.Subscribe<TEvent>(e =>
        {
            into.Enqueue(e);
            return Task.CompletedTask;
        });

    [Fact]
    public async Task Subscriber_ReceivesTheEventsOfItsTypeOnly()
    {
        using var notifier = Notifier();
        var places = new ConcurrentQueue<SessionPlacesChanged>();
        var messages = new ConcurrentQueue<MessageAdded>();
        using var s1 = Record(notifier, places);
        using var s2 = Record(notifier, messages);

        await notifier.PublishAsync(Message, Ct);

        messages.ShouldHaveSingleItem().ShouldBe(Message);
        places.ShouldBeEmpty();
    }

    [Fact]
    public async Task Subscribers_OfTheSameType_AllReceiveTheEvent()
    {
        using var notifier = Notifier();
        var first = new ConcurrentQueue<SessionPlacesChanged>();
        var second = new ConcurrentQueue<SessionPlacesChanged>();
        using var s1 = Record(notifier, first);
        using var s2 = Record(notifier, second);

        await notifier.PublishAsync(Places, Ct);

        first.ShouldHaveSingleItem().ShouldBe(Places);
        second.ShouldHaveSingleItem().ShouldBe(Places);
    }

    [Fact]
    public async Task DisposingASubscription_StopsItsDelivery_AndOnlyIts()
    {
        using var notifier = Notifier();
        var kept = new ConcurrentQueue<SessionPlacesChanged>();
        var dropped = new ConcurrentQueue<SessionPlacesChanged>();
        using var keep = Record(notifier, kept);
        var drop = Record(notifier, dropped);

        drop.Dispose();
        drop.Dispose(); // idempotent
        await notifier.PublishAsync(Places, Ct);

        dropped.ShouldBeEmpty();
        kept.ShouldHaveSingleItem();
        notifier.SubscriberCount<SessionPlacesChanged>().ShouldBe(1);
    }

    [Fact]
    public async Task ThrowingSubscribers_DoNotStopTheOthers_NorThePublisher_AndAreLogged()
    {
        var logger = new RecordingLogger();
        using var notifier = Notifier(logger: logger);
        var received = new ConcurrentQueue<SessionPlacesChanged>();
        // Subscribers are not called in a guaranteed order: surround the healthy ones with failing ones.
        using var t1 = notifier.Subscribe<SessionPlacesChanged>(_ => throw new InvalidOperationException("synchronous failure"));
        using var r1 = Record(notifier, received);
        using var t2 = notifier.Subscribe<SessionPlacesChanged>(async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("asynchronous failure");
        });
        using var r2 = Record(notifier, received);
        using var t3 = notifier.Subscribe<SessionPlacesChanged>(_ => Task.FromException(new InvalidOperationException("faulted task")));

        await Should.NotThrowAsync(() => notifier.PublishAsync(Places, Ct));

        received.Count.ShouldBe(2);
        logger.Warnings.Count.ShouldBe(3);
        logger.Warnings.ShouldAllBe(w => w.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Publish_SendsTheEventToTheBackplane_TaggedWithThisNode()
    {
        var backplane = new FakeBackplane();
        using var notifier = Notifier(backplane);

        await notifier.PublishAsync(Places, Ct);

        var envelope = backplane.Sent.ShouldHaveSingleItem();
        envelope.EventType.ShouldBe(nameof(SessionPlacesChanged));
        envelope.OriginNode.ShouldBe(notifier.NodeId);
        JsonSerializer.Deserialize<SessionPlacesChanged>(envelope.Json).ShouldBe(Places);
    }

    [Fact]
    public async Task EnvelopeFromAnotherNode_IsDispatchedLocally()
    {
        var backplane = new FakeBackplane();
        using var notifier = Notifier(backplane);
        var received = new ConcurrentQueue<PrescriptionStatusChanged>();
        using var s = Record(notifier, received);
        var remote = new PrescriptionStatusChanged(PrescriptionId, SessionId, Guid.CreateVersion7(), PrescriberOrganisationId, TrainingBodyId, PrescriptionStatus.Selected);

        await backplane.DeliverAsync(new LiveEnvelope(nameof(PrescriptionStatusChanged), JsonSerializer.Serialize(remote), "another-node"));

        received.ShouldHaveSingleItem().ShouldBe(remote);
        backplane.Sent.ShouldBeEmpty(); // not sent back out
    }

    [Fact]
    public async Task EnvelopeFromThisNode_IsIgnored()
    {
        var backplane = new FakeBackplane();
        using var notifier = Notifier(backplane);
        var received = new ConcurrentQueue<SessionPlacesChanged>();
        using var s = Record(notifier, received);

        await backplane.DeliverAsync(new LiveEnvelope(nameof(SessionPlacesChanged), JsonSerializer.Serialize(Places), notifier.NodeId));

        received.ShouldBeEmpty();
    }

    [Fact]
    public async Task EnvelopeOfAnUnknownType_IsIgnored()
    {
        var backplane = new FakeBackplane();
        using var notifier = Notifier(backplane);
        var received = new ConcurrentQueue<SessionPlacesChanged>();
        using var s = Record(notifier, received);

        await Should.NotThrowAsync(() => backplane.DeliverAsync(new LiveEnvelope("SomethingElse", JsonSerializer.Serialize(Places), "another-node")));

        received.ShouldBeEmpty();
    }

    [Fact]
    public async Task TwoServersOnOneBackplane_EachSubscriberReceivesTheEventExactlyOnce()
    {
        // The bus echoes every envelope to every node, the publisher included (as Redis pub/sub does).
        var bus = new FakeBackplane();
        using var nodeA = Notifier(bus);
        using var nodeB = Notifier(bus);
        var onA = new ConcurrentQueue<SessionPlacesChanged>();
        var onB = new ConcurrentQueue<SessionPlacesChanged>();
        using var sa = Record(nodeA, onA);
        using var sb = Record(nodeB, onB);

        await nodeA.PublishAsync(Places, Ct);

        onA.ShouldHaveSingleItem().ShouldBe(Places);
        onB.ShouldHaveSingleItem().ShouldBe(Places);
    }

    [Fact]
    public async Task DisposingTheNotifier_StopsListeningToTheBackplane()
    {
        var backplane = new FakeBackplane();
        var notifier = Notifier(backplane);
        var received = new ConcurrentQueue<SessionPlacesChanged>();
        using var s = Record(notifier, received);
        backplane.Receivers.ShouldBe(1);

        notifier.Dispose();
        await backplane.DeliverAsync(new LiveEnvelope(nameof(SessionPlacesChanged), JsonSerializer.Serialize(Places), "another-node"));

        backplane.Receivers.ShouldBe(0);
        received.ShouldBeEmpty();
    }

    /// <summary>A backplane in memory: records what is sent and delivers it to every receiver (the sender's node included).</summary>
    private sealed class FakeBackplane : ILiveBackplane
    {
        private readonly ConcurrentDictionary<Guid, Func<LiveEnvelope, Task>> _receivers = new();

        public ConcurrentQueue<LiveEnvelope> Sent { get; } = new();

        public int Receivers => _receivers.Count;

        public async Task SendAsync(LiveEnvelope envelope, CancellationToken cancellationToken)
        {
            Sent.Enqueue(envelope);
            await DeliverAsync(envelope);
        }

        public IDisposable Receive(Func<LiveEnvelope, Task> handler)
        {
            var id = Guid.NewGuid();
            _receivers[id] = handler;
            return new Unsubscribe(() => _receivers.TryRemove(id, out _));
        }

        public async Task DeliverAsync(LiveEnvelope envelope)
        {
            foreach (var receiver in _receivers.Values) await receiver(envelope);
        }

        private sealed class Unsubscribe(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }

    private sealed class RecordingLogger : ILogger<LiveNotifier>
    {
        public ConcurrentQueue<(LogLevel Level, Exception? Exception)> Entries { get; } = new();

        public List<(LogLevel Level, Exception? Exception)> Warnings => [.. Entries.Where(e => e.Level == LogLevel.Warning)];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, exception));
    }
}
