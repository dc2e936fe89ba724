using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Live;

/// <summary>
/// The singleton notifier: dispatches each event to this server's subscribers and hands it to the
/// backplane for the other servers; events arriving from the backplane are dispatched locally.
/// A failing subscriber never stops the others.
/// </summary>
public sealed class LiveNotifier : ILiveNotifier, IDisposable
{
    private static readonly Dictionary<string, Type> KnownEvents = typeof(ILiveEvent).Assembly.GetTypes()
        .Where(t => typeof(ILiveEvent).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
        .ToDictionary(t => t.Name);

    private readonly ConcurrentDictionary<Type, ConcurrentDictionary<Guid, Func<ILiveEvent, Task>>> _handlers = new();
    private readonly ILiveBackplane _backplane;
    private readonly ILogger<LiveNotifier> _logger;
    private readonly IDisposable _remote;

    public LiveNotifier(ILiveBackplane backplane, ILogger<LiveNotifier> logger)
    {
        _backplane = backplane;
        _logger = logger;
        _remote = backplane.Receive(OnRemoteAsync);
    }

    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    public async Task PublishAsync<TEvent>(TEvent liveEvent, CancellationToken cancellationToken = default) where TEvent : ILiveEvent
    {
        // The runtime type, so that an event published as ILiveEvent still reaches its subscribers.
        var type = liveEvent.GetType();
        await DispatchAsync(type, liveEvent);
        await _backplane.SendAsync(new LiveEnvelope(type.Name, JsonSerializer.Serialize(liveEvent, type), NodeId), cancellationToken);
    }

    public IDisposable Subscribe<TEvent>(Func<TEvent, Task> handler) where TEvent : ILiveEvent
    {
        var id = Guid.NewGuid();
        var handlers = _handlers.GetOrAdd(typeof(TEvent), _ => new());
        handlers[id] = e => handler((TEvent)e);
        return new Subscription(() => handlers.TryRemove(id, out _));
    }

    public int SubscriberCount<TEvent>() => _handlers.TryGetValue(typeof(TEvent), out var h) ? h.Count : 0;

    public void Dispose() => _remote.Dispose();

    private async Task OnRemoteAsync(LiveEnvelope envelope)
    {
        if (envelope.OriginNode == NodeId || !KnownEvents.TryGetValue(envelope.EventType, out var type)) return;
        ILiveEvent? liveEvent;
        try
        {
            liveEvent = JsonSerializer.Deserialize(envelope.Json, type) as ILiveEvent;
        }
        catch (JsonException ex)
        {
            _logger.LogWarning(ex, "Malformed live envelope {Event} from {Node}", envelope.EventType, envelope.OriginNode);
            return;
        }
        if (liveEvent is not null) await DispatchAsync(type, liveEvent);
    }

    private async Task DispatchAsync(Type type, ILiveEvent liveEvent)
    {
        if (!_handlers.TryGetValue(type, out var handlers)) return;
        foreach (var handler in handlers.Values)
        {
            try
            {
                await handler(liveEvent);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "A live subscriber failed on {Event}", type.Name);
            }
        }
    }

    private sealed class Subscription(Action onDispose) : IDisposable
    {
        private Action? _onDispose = onDispose;

        public void Dispose() => Interlocked.Exchange(ref _onDispose, null)?.Invoke();
    }
}

/// <summary>One server: nothing to carry. Redis or PostgreSQL LISTEN/NOTIFY implement the same interface.</summary>
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
