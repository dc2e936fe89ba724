using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Live;

/// <summary>The "LiveBackplane" section (ADR 0023, see appsettings.sample.json).</summary>
public sealed class LiveBackplaneOptions
{
    /// <summary>With <c>Database:Provider=PostgreSql</c>, carry live events between servers over LISTEN/NOTIFY (false: this server only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The NOTIFY channel: every portal server of one deployment uses the same (lower case letters, digits, '_').</summary>
    public string Channel { get; set; } = PostgresBackplane.DefaultChannel;

    /// <summary>The first wait before reconnecting a dropped listening connection; doubled at each failure.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two reconnection attempts.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Issue #16 (4), ADR 0023: live events between portal servers over PostgreSQL's LISTEN/NOTIFY, no other server to run.
/// Each server holds one dedicated connection that LISTENs on the channel; an event is sent with <c>pg_notify</c> on a
/// pooled connection, after its command has committed. A message must stay under PostgreSQL's 8,000 bytes: a batch
/// (<see cref="ISplittableLiveEvent"/>) goes as several messages, and an event that still does not fit goes as a
/// <see cref="LiveResync"/>, so that the other servers' screens reload instead of missing it. The listening connection
/// reconnects with a growing delay when it drops, LISTENs again, and then publishes a <see cref="LiveResync"/> locally:
/// what was notified while it was away is lost, so the open screens reload. A server's own messages come back to it and
/// are dropped (the notifier already dispatched them locally).
/// </summary>
public sealed partial class PostgresBackplane : ILiveBackplane, IAsyncDisposable
{
    public const string DefaultChannel = "portal_live";

    /// <summary>PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more.</summary>
    public const int MaxPayloadBytes = 7_999;

    /// <summary>The envelope's origin for the signals this backplane raises itself (never a notifier's node id).</summary>
    public const string LocalOrigin = "backplane";

    private readonly NpgsqlDataSource _sender;
    private readonly string _listenConnectionString;
    private readonly string _channel;
    private readonly LiveBackplaneOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<PostgresBackplane> _logger;
    private readonly ConcurrentDictionary<long, Func<LiveEnvelope, Task>> _receivers = new();
    private readonly ConcurrentDictionary<string, byte> _ownNodes = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _startLock = new();
    private Task? _loop;
    private long _nextReceiver;
    private volatile bool _connected;
    private volatile string? _problem;
    private long _reconnections;

    public PostgresBackplane(string connectionString, LiveBackplaneOptions options, TimeProvider clock, ILogger<PostgresBackplane> logger)
    {
        if (!ChannelName().IsMatch(options.Channel))
            throw new InvalidOperationException($"LiveBackplane:Channel « {options.Channel} » : lettres minuscules, chiffres et '_' seulement (63 au plus, sans chiffre en tête).");
        if (options.ReconnectMinDelay <= TimeSpan.Zero || options.ReconnectMaxDelay < options.ReconnectMinDelay)
            throw new InvalidOperationException("LiveBackplane:ReconnectMinDelay doit être positif et LiveBackplane:ReconnectMaxDelay au moins égal.");
        _options = options;
        _channel = options.Channel;
        _clock = clock;
        _logger = logger;
        _sender = NpgsqlDataSource.Create(connectionString);
        ApplicationName = $"portal_live_{Guid.NewGuid():N}"[..30];
        // Its own connection, outside the pool, named so that an operator (or a test) can find it in pg_stat_activity;
        // Keepalive makes a silent network loss end WaitAsync instead of leaving the server deaf.
        _listenConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = ApplicationName,
            KeepAlive = 15,
        }.ConnectionString;
    }

    /// <summary>The <c>application_name</c> of this server's listening connection.</summary>
    public string ApplicationName { get; }

    public string Channel => _channel;

    /// <summary>Completes when the first LISTEN is in place.</summary>
    public Task Listening => _listening.Task;

    /// <summary>Whether the listening connection is up now.</summary>
    public bool IsListening => _connected;

    /// <summary>How many times the listening connection came back after a loss.</summary>
    public long Reconnections => Interlocked.Read(ref _reconnections);

    /// <summary>Why the backplane is not fully working (null when it is): the listening connection lost, a send that failed.</summary>
    public string? Problem => _problem;

    /// <summary>Starts listening (idempotent): the notifier's subscription does it; a host may call it to listen from start-up.</summary>
    public void Start()
    {
        lock (_startLock)
        {
            _loop ??= Task.Run(() => ListenAsync(_stopping.Token));
        }
    }

    public async Task SendAsync(LiveEnvelope envelope, CancellationToken cancellationToken)
    {
        _ownNodes.TryAdd(envelope.OriginNode, 0);
        // The command has committed: its event goes out even if the request that made it is being aborted.
        foreach (var payload in Payloads(envelope))
        {
            try
            {
                await using var command = _sender.CreateCommand("SELECT pg_notify($1, $2)");
                command.Parameters.Add(new NpgsqlParameter { Value = _channel });
                command.Parameters.Add(new NpgsqlParameter { Value = payload });
                await command.ExecuteNonQueryAsync(CancellationToken.None);
                if (_connected) _problem = null;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The change is committed; only the other servers' screens miss it. Never fail the command for that.
                _problem = "Envoi d'un événement en direct aux autres serveurs impossible : " + ex.Message;
                _logger.LogWarning(ex, "Live event {Event} not sent to the other servers", envelope.EventType);
                return;
            }
        }
    }

    public IDisposable Receive(Func<LiveEnvelope, Task> handler)
    {
        var id = Interlocked.Increment(ref _nextReceiver);
        _receivers[id] = handler;
        Start();
        return new Receiver(() => _receivers.TryRemove(id, out _));
    }

    /// <summary>
    /// The NOTIFY payloads of an envelope, each under <see cref="MaxPayloadBytes"/>: one in the usual case, the halves of
    /// a batch too large (recursively), or a <see cref="LiveResync"/> signal for an event that cannot be made to fit.
    /// </summary>
    public static IReadOnlyList<string> Payloads(LiveEnvelope envelope)
    {
        var payloads = new List<string>();
        AddPayloads(envelope, payloads);
        return payloads;
    }

    private static void AddPayloads(LiveEnvelope envelope, List<string> payloads)
    {
        var payload = Encode(envelope);
        if (Encoding.UTF8.GetByteCount(payload) <= MaxPayloadBytes)
        {
            payloads.Add(payload);
            return;
        }
        if (LiveNotifier.KnownEvents.TryGetValue(envelope.EventType, out var type)
            && JsonSerializer.Deserialize(envelope.Json, type) is ISplittableLiveEvent batch
            && batch.Split() is { Count: > 0 } parts)
        {
            foreach (var part in parts)
                AddPayloads(new LiveEnvelope(part.GetType().Name, JsonSerializer.Serialize(part, part.GetType()), envelope.OriginNode), payloads);
            return;
        }
        var resync = new LiveResync($"Événement {envelope.EventType} trop volumineux pour être transmis entre serveurs.");
        payloads.Add(Encode(new LiveEnvelope(nameof(LiveResync), JsonSerializer.Serialize(resync), envelope.OriginNode)));
    }

    /// <summary><c>{"n":node,"t":type,"e":event}</c>, the event's JSON inline (not escaped into a string: fewer bytes).</summary>
    private static string Encode(LiveEnvelope envelope)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("n", envelope.OriginNode);
            writer.WriteString("t", envelope.EventType);
            writer.WritePropertyName("e");
            writer.WriteRawValue(envelope.Json);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static LiveEnvelope? Decode(string payload)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            var root = json.RootElement;
            return new LiveEnvelope(root.GetProperty("t").GetString()!, root.GetProperty("e").GetRawText(), root.GetProperty("n").GetString()!);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        var everConnected = false;
        var delay = _options.ReconnectMinDelay;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                await connection.OpenAsync(stopping);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_channel}\"", connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                _connected = true;
                _problem = null;
                delay = _options.ReconnectMinDelay;
                _listening.TrySetResult();
                if (everConnected)
                {
                    // What was notified while this server was not listening is lost: the open screens reload.
                    Interlocked.Increment(ref _reconnections);
                    _logger.LogInformation("Live backplane listening again on {Channel}: open screens resynchronised", _channel);
                    Deliver(new LiveEnvelope(nameof(LiveResync),
                        JsonSerializer.Serialize(new LiveResync("Connexion aux mises à jour en direct rétablie.")), LocalOrigin));
                }
                everConnected = true;
                while (true) await connection.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _connected = false;
                _problem = "Écoute des mises à jour en direct interrompue (reconnexion en cours) : " + ex.Message;
                _logger.LogWarning(ex, "Live backplane connection lost; reconnecting in {Delay}", delay);
            }
            try
            {
                await Task.Delay(delay, _clock, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
        }
        _connected = false;
    }

    private void OnNotification(string payload)
    {
        if (Decode(payload) is not { } envelope)
        {
            _logger.LogWarning("Malformed live backplane message ignored");
            return;
        }
        // This server's own messages: its notifier has already dispatched them.
        if (_ownNodes.ContainsKey(envelope.OriginNode)) return;
        Deliver(envelope);
    }

    private void Deliver(LiveEnvelope envelope)
    {
        foreach (var receiver in _receivers.Values)
        {
            try
            {
                var task = receiver(envelope);
                if (!task.IsCompleted)
                    _ = task.ContinueWith(t => _logger.LogWarning(t.Exception, "A live backplane receiver failed"),
                        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                else if (task.IsFaulted) _logger.LogWarning(task.Exception, "A live backplane receiver failed");
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "A live backplane receiver failed");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is { } loop)
        {
            try { await loop; }
            catch (OperationCanceledException) { }
        }
        await _sender.DisposeAsync();
        _stopping.Dispose();
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex ChannelName();

    private sealed class Receiver(Action onDispose) : IDisposable
    {
        private Action? _onDispose = onDispose;

        public void Dispose() => Interlocked.Exchange(ref _onDispose, null)?.Invoke();
    }
}
