using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Application.Abstractions;
using Portal.Infrastructure.Live;

namespace Portal.Testing;

/// <summary>The real live notifier (one server, no backplane), recording every <typeparamref name="TEvent"/> it publishes.</summary>
public sealed class RecordingNotifier<TEvent> : IDisposable where TEvent : ILiveEvent
{
    private readonly IDisposable _subscription;
    private readonly ConcurrentQueue<TEvent> _published = new();

    public RecordingNotifier()
    {
        _subscription = Notifier.Subscribe<TEvent>(e =>
        {
            _published.Enqueue(e);
            return Task.CompletedTask;
        });
    }

    public LiveNotifier Notifier { get; } = new(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);

    /// <summary>What was published so far (read once every event published has reached its subscribers).</summary>
    public ConcurrentQueue<TEvent> Published
    {
        get
        {
            Notifier.DrainAsync().GetAwaiter().GetResult();
            return _published;
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        Notifier.Dispose();
    }
}

/// <summary>The real live notifier, recording the prescriptions' changes it publishes (S6), batch by batch and flattened.</summary>
public sealed class RecordingPrescriptionChanges : IDisposable
{
    private readonly RecordingNotifier<PrescriptionsChanged> _batches = new();
    private readonly ConcurrentQueue<SessionPlacesChanged> _places = new();
    private readonly IDisposable _placesSubscription;

    public RecordingPrescriptionChanges() =>
        _placesSubscription = _batches.Notifier.Subscribe<SessionPlacesChanged>(e =>
        {
            _places.Enqueue(e);
            return Task.CompletedTask;
        });

    /// <summary>Every session's new open places published so far (O8), in order.</summary>
    public IReadOnlyList<SessionPlacesChanged> Places
    {
        get
        {
            Notifier.DrainAsync().GetAwaiter().GetResult();
            return [.. _places];
        }
    }

    public LiveNotifier Notifier => _batches.Notifier;

    /// <summary>Every batch published so far (one per command or job chunk).</summary>
    public IReadOnlyList<PrescriptionsChanged> Batches => [.. _batches.Published];

    /// <summary>Every prescription's change published so far, in order.</summary>
    public IReadOnlyList<PrescriptionStatusChanged> Published => [.. _batches.Published.SelectMany(b => b.Changes)];

    public void Dispose()
    {
        _placesSubscription.Dispose();
        _batches.Dispose();
    }
}
