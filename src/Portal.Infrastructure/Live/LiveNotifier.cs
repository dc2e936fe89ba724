using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Live;

/// <summary>
/// The singleton notifier: dispatches each event to this server's subscribers and hands it to the
/// backplane for the other servers; events arriving from the backplane are dispatched locally.
/// Subscriptions are keyed by (event type, topic): an event reaches the subscriptions of the ids it names
/// (<see cref="ILiveEvent.Topics"/>) and those made on the whole type, and no other one is looked at.
/// The publisher does not wait for the subscribers: they are served by <see cref="Lanes"/> lanes running in
/// parallel (a subscriber's InvokeAsync renders on the calling thread when its circuit is idle, so one thread
/// serving 1,000 screens in turn would add their render times up). A subscription always goes to the same lane,
/// and a lane serves its events in order: each subscriber sees the events in the order they were published
/// (an import's steps, two quick changes of one session). A lane starts each handler and moves on; it never
/// waits for a screen's reload. A failing subscriber never stops the others.
/// </summary>
public sealed class LiveNotifier : ILiveNotifier, IDisposable
{
    /// <summary>Lanes serving the subscribers in parallel: one per core, at least two.</summary>
    public static readonly int Lanes = Math.Max(2, Environment.ProcessorCount);

    /// <summary>The live events by type name, as envelopes name them.</summary>
    internal static readonly Dictionary<string, Type> KnownEvents = typeof(ILiveEvent).Assembly.GetTypes()
        .Where(t => typeof(ILiveEvent).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
        .ToDictionary(t => t.Name);

    private readonly ConcurrentDictionary<(Type Type, Guid Topic), ConcurrentDictionary<long, Func<ILiveEvent, Task>>> _handlers = new();
    private readonly Channel<(Type Type, ILiveEvent Event, List<Func<ILiveEvent, Task>> Handlers)>[] _lanes;
    private long _pending;
    private readonly ILiveBackplane _backplane;
    private readonly ILogger<LiveNotifier> _logger;
    private readonly IDisposable _remote;
    private long _nextId;

    public LiveNotifier(ILiveBackplane backplane, ILogger<LiveNotifier> logger)
    {
        _backplane = backplane;
        _logger = logger;
        _lanes = [.. Enumerable.Range(0, Lanes).Select(_ => Channel.CreateUnbounded<(Type, ILiveEvent, List<Func<ILiveEvent, Task>>)>(new() { SingleReader = true }))];
        foreach (var lane in _lanes) _ = Task.Run(() => ServeAsync(lane.Reader));
        _remote = backplane.Receive(OnRemoteAsync);
    }

    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    public async Task PublishAsync<TEvent>(TEvent liveEvent, CancellationToken cancellationToken = default) where TEvent : ILiveEvent
    {
        // The runtime type, so that an event published as ILiveEvent still reaches its subscribers.
        var type = liveEvent.GetType();
        Dispatch(type, liveEvent);
        await _backplane.SendAsync(new LiveEnvelope(type.Name, JsonSerializer.Serialize(liveEvent, type), NodeId), cancellationToken);
    }

    public IDisposable Subscribe<TEvent>(Func<TEvent, Task> handler) where TEvent : ILiveEvent => Add(typeof(TEvent), Guid.Empty, e => handler((TEvent)e));

    public IDisposable Subscribe<TEvent>(Guid topic, Func<TEvent, Task> handler) where TEvent : ILiveEvent
    {
        // Guid.Empty is the key of the whole-type subscriptions: a topic never is.
        if (topic == Guid.Empty) throw new ArgumentException("A live topic is the id of what the screen shows.", nameof(topic));
        return Add(typeof(TEvent), topic, e => handler((TEvent)e));
    }

    /// <summary>Every subscription to <typeparamref name="TEvent"/>, keyed or not.</summary>
    public int SubscriberCount<TEvent>() => _handlers.Where(h => h.Key.Type == typeof(TEvent)).Sum(h => h.Value.Count);

    /// <summary>The subscriptions to <typeparamref name="TEvent"/> made on <paramref name="topic"/>.</summary>
    public int SubscriberCount<TEvent>(Guid topic) => _handlers.TryGetValue((typeof(TEvent), topic), out var h) ? h.Count : 0;

    /// <summary>Completes once every event published so far has been served to its subscribers (tests, shutdown).</summary>
    public async Task DrainAsync()
    {
        while (Interlocked.Read(ref _pending) > 0) await Task.Delay(1);
    }

    public void Dispose()
    {
        _remote.Dispose();
        foreach (var lane in _lanes) lane.Writer.TryComplete();
    }

    private Subscription Add(Type type, Guid topic, Func<ILiveEvent, Task> handler)
    {
        var id = Interlocked.Increment(ref _nextId);
        var key = (type, topic);
        // Adding and removing take a lock (so that a topic dropped when empty never swallows a new subscriber);
        // dispatching reads the concurrent dictionaries without one.
        lock (_handlers)
        {
            _handlers.GetOrAdd(key, _ => new())[id] = handler;
        }
        return new Subscription(() =>
        {
            lock (_handlers)
            {
                // An empty topic is dropped, so that closed screens leave nothing behind.
                if (_handlers.TryGetValue(key, out var handlers) && handlers.TryRemove(id, out _) && handlers.IsEmpty) _handlers.TryRemove(key, out _);
            }
        });
    }

    private Task OnRemoteAsync(LiveEnvelope envelope)
    {
        if (envelope.OriginNode == NodeId || !KnownEvents.TryGetValue(envelope.EventType, out var type)) return Task.CompletedTask;
        ILiveEvent? liveEvent;
        try
        {
            liveEvent = JsonSerializer.Deserialize(envelope.Json, type) as ILiveEvent;
        }
        catch (JsonException ex)
        {
            _logger.LogWarning(ex, "Malformed live envelope {Event} from {Node}", envelope.EventType, envelope.OriginNode);
            return Task.CompletedTask;
        }
        if (liveEvent is not null) Dispatch(type, liveEvent);
        return Task.CompletedTask;
    }

    private void Dispatch(Type type, ILiveEvent liveEvent)
    {
        List<Func<ILiveEvent, Task>>?[] byLane = new List<Func<ILiveEvent, Task>>?[_lanes.Length];
        void Collect(ConcurrentDictionary<long, Func<ILiveEvent, Task>> handlers)
        {
            foreach (var (id, handler) in handlers) (byLane[id % _lanes.Length] ??= []).Add(handler);
        }
        if (_handlers.TryGetValue((type, Guid.Empty), out var everyone)) Collect(everyone);
        foreach (var topic in liveEvent.Topics())
            if (topic != Guid.Empty && _handlers.TryGetValue((type, topic), out var keyed)) Collect(keyed);
        for (var lane = 0; lane < byLane.Length; lane++)
        {
            if (byLane[lane] is not { } handlers) continue;
            Interlocked.Increment(ref _pending);
            if (!_lanes[lane].Writer.TryWrite((type, liveEvent, handlers))) Interlocked.Decrement(ref _pending);
        }
    }

    private async Task ServeAsync(ChannelReader<(Type Type, ILiveEvent Event, List<Func<ILiveEvent, Task>> Handlers)> lane)
    {
        await foreach (var (type, liveEvent, handlers) in lane.ReadAllAsync())
        {
            foreach (var handler in handlers)
            {
                try
                {
                    var task = handler(liveEvent);
                    if (task.IsCompleted)
                    {
                        if (task.IsFaulted) Log(type, task.Exception?.GetBaseException());
                        continue;
                    }
                    // Counted until the screen has finished with it, so that DrainAsync means "every subscriber served".
                    Interlocked.Increment(ref _pending);
                    _ = task.ContinueWith(t =>
                    {
                        if (t.IsFaulted) Log(type, t.Exception?.GetBaseException());
                        Interlocked.Decrement(ref _pending);
                    }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
                catch (Exception ex)
                {
                    Log(type, ex);
                }
            }
            Interlocked.Decrement(ref _pending);
        }
    }

    private void Log(Type type, Exception? ex) => _logger.LogWarning(ex, "A live subscriber failed on {Event}", type.Name);

    private sealed class Subscription(Action onDispose) : IDisposable
    {
        private Action? _onDispose = onDispose;

        public void Dispose() => Interlocked.Exchange(ref _onDispose, null)?.Invoke();
    }
}

/// <summary>One server: nothing to carry. Several servers on PostgreSQL: <see cref="PostgresBackplane"/> (ADR 0023).</summary>
public sealed class InProcessBackplane : ILiveBackplane
{
    public Task SendAsync(LiveEnvelope envelope, CancellationToken cancellationToken) => Task.CompletedTask;

    public IDisposable Receive(Func<LiveEnvelope, Task> handler) => new NoSubscription();

    private sealed class NoSubscription : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
