using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Application.Abstractions;
using Portal.Infrastructure.Live;

namespace Portal.Testing;

/// <summary>The real live notifier (one server, no backplane), recording every <typeparamref name="TEvent"/> it publishes.</summary>
public sealed class RecordingNotifier<TEvent> : IDisposable where TEvent : ILiveEvent
{
    private readonly IDisposable _subscription;

    public RecordingNotifier()
    {
        _subscription = Notifier.Subscribe<TEvent>(e =>
        {
            Published.Enqueue(e);
            return Task.CompletedTask;
        });
    }

    public LiveNotifier Notifier { get; } = new(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);

    public ConcurrentQueue<TEvent> Published { get; } = new();

    public void Dispose()
    {
        _subscription.Dispose();
        Notifier.Dispose();
    }
}
