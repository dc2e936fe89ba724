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
        await notifier.DrainAsync();

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
        await notifier.DrainAsync();

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
        await notifier.DrainAsync();

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
        await notifier.DrainAsync();

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
        await notifier.DrainAsync();

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
        var received = new ConcurrentQueue<PrescriptionsChanged>();
        using var s = Record(notifier, received);
        var remote = PrescriptionsChanged.Of(new PrescriptionStatusChanged(PrescriptionId, SessionId, Guid.CreateVersion7(), PrescriberOrganisationId, TrainingBodyId, PrescriptionStatus.Selected));

        await backplane.DeliverAsync(new LiveEnvelope(nameof(PrescriptionsChanged), JsonSerializer.Serialize(remote), "another-node"));
        await notifier.DrainAsync();

        received.ShouldHaveSingleItem().Changes.ShouldBe(remote.Changes);
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
        await notifier.DrainAsync();

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
        await notifier.DrainAsync();

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
        await nodeA.DrainAsync();
        await nodeB.DrainAsync();

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
        await notifier.DrainAsync();

        backplane.Receivers.ShouldBe(0);
        received.ShouldBeEmpty();
    }

    [Fact]
    public async Task KeyedSubscription_ReceivesOnlyTheEventsNamingItsTopic_AWholeTypeOneReceivesAll()
    {
        using var notifier = Notifier();
        var otherSession = Guid.Parse("0197c000-0000-7000-8000-000000000009");
        var onSession = new ConcurrentQueue<SessionPlacesChanged>();
        var onTrainingBody = new ConcurrentQueue<SessionPlacesChanged>();
        var onOther = new ConcurrentQueue<SessionPlacesChanged>();
        var onAll = new ConcurrentQueue<SessionPlacesChanged>();
        using var a = notifier.Subscribe<SessionPlacesChanged>(SessionId, e => { onSession.Enqueue(e); return Task.CompletedTask; });
        using var b = notifier.Subscribe<SessionPlacesChanged>(TrainingBodyId, e => { onTrainingBody.Enqueue(e); return Task.CompletedTask; });
        using var c = notifier.Subscribe<SessionPlacesChanged>(otherSession, e => { onOther.Enqueue(e); return Task.CompletedTask; });
        using var d = Record(notifier, onAll);

        await notifier.PublishAsync(Places, Ct);
        await notifier.DrainAsync();

        onSession.ShouldHaveSingleItem().ShouldBe(Places);
        onTrainingBody.ShouldHaveSingleItem().ShouldBe(Places);
        onAll.ShouldHaveSingleItem().ShouldBe(Places);
        onOther.ShouldBeEmpty();
        notifier.SubscriberCount<SessionPlacesChanged>(SessionId).ShouldBe(1);
        notifier.SubscriberCount<SessionPlacesChanged>().ShouldBe(4);
    }

    [Fact]
    public async Task BatchOfPrescriptions_ReachesASubscriberOfAnyIdItNames_Once()
    {
        using var notifier = Notifier();
        var candidate = Guid.Parse("0197c000-0000-7000-8000-00000000000a");
        var batch = PrescriptionsChanged.Of(
            new PrescriptionStatusChanged(PrescriptionId, SessionId, candidate, PrescriberOrganisationId, TrainingBodyId, PrescriptionStatus.Selected),
            new PrescriptionStatusChanged(Guid.Parse("0197c000-0000-7000-8000-00000000000b"), SessionId, candidate, PrescriberOrganisationId, TrainingBodyId, PrescriptionStatus.Waitlisted));
        var onOrganisation = new ConcurrentQueue<PrescriptionsChanged>();
        var onOtherOrganisation = new ConcurrentQueue<PrescriptionsChanged>();
        using var a = notifier.Subscribe<PrescriptionsChanged>(PrescriberOrganisationId, e => { onOrganisation.Enqueue(e); return Task.CompletedTask; });
        using var b = notifier.Subscribe<PrescriptionsChanged>(Guid.Parse("0197c000-0000-7000-8000-00000000000c"), e => { onOtherOrganisation.Enqueue(e); return Task.CompletedTask; });

        await notifier.PublishAsync(batch, Ct);
        await notifier.DrainAsync();

        // Two prescriptions of the organisation, one event: a screen reloads once for a bulk decision.
        onOrganisation.ShouldHaveSingleItem().Changes.Count.ShouldBe(2);
        onOtherOrganisation.ShouldBeEmpty();
    }

    [Fact]
    public async Task Publisher_DoesNotWaitForASlowSubscriber()
    {
        using var notifier = Notifier();
        using var gate = new ManualResetEventSlim();
        var served = 0;
        // A subscriber that blocks its thread (a long render): the publisher returns all the same.
        using var slow = notifier.Subscribe<SessionPlacesChanged>(SessionId, _ =>
        {
            gate.Wait(TimeSpan.FromSeconds(30));
            Interlocked.Increment(ref served);
            return Task.CompletedTask;
        });

        var publish = notifier.PublishAsync(Places, Ct);
        var finished = await Task.WhenAny(publish, Task.Delay(TimeSpan.FromSeconds(10), Ct));

        finished.ShouldBe(publish);
        Volatile.Read(ref served).ShouldBe(0);
        gate.Set();
        await notifier.DrainAsync();
        served.ShouldBe(1);
    }

    [Fact]
    public async Task EachSubscriber_SeesTheEventsInTheOrderTheyWerePublished()
    {
        using var notifier = Notifier();
        var subscribers = Enumerable.Range(0, 7).Select(_ => new ConcurrentQueue<int>()).ToList();
        var subscriptions = subscribers.Select(q => notifier.Subscribe<SessionPlacesChanged>(SessionId, e => { q.Enqueue(e.OpenPlaces); return Task.CompletedTask; })).ToList();

        for (var places = 0; places < 200; places++)
            await notifier.PublishAsync(Places with { OpenPlaces = places, Version = places }, Ct);
        await notifier.DrainAsync();

        foreach (var received in subscribers) received.ShouldBe(Enumerable.Range(0, 200));
        subscriptions.ForEach(s => s.Dispose());
    }

    [Fact]
    public void DisposingTheLastSubscriptionOfATopic_LeavesNothingBehind_AndANewOneStillReceives()
    {
        using var notifier = Notifier();
        var first = notifier.Subscribe<SessionPlacesChanged>(SessionId, _ => Task.CompletedTask);
        first.Dispose();
        notifier.SubscriberCount<SessionPlacesChanged>(SessionId).ShouldBe(0);
        notifier.SubscriberCount<SessionPlacesChanged>().ShouldBe(0);

        using var second = notifier.Subscribe<SessionPlacesChanged>(SessionId, _ => Task.CompletedTask);
        notifier.SubscriberCount<SessionPlacesChanged>(SessionId).ShouldBe(1);
        Should.Throw<ArgumentException>(() => notifier.Subscribe<SessionPlacesChanged>(Guid.Empty, _ => Task.CompletedTask));
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
