using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.Application.Abstractions;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Live;
using Portal.Testing;

namespace Portal.Application.Tests.Live;

/// <summary>
/// Issue #16 (4), ADR 0023: live events between two portal servers over PostgreSQL LISTEN/NOTIFY, on the run's throwaway
/// cluster (skipped with the reason without PostgreSQL 15). Each "server" is a <see cref="LiveNotifier"/> on its own
/// <see cref="PostgresBackplane"/>, as two processes would hold them; each test listens on a channel of its own.
/// </summary>
public sealed class PostgresBackplaneTests : IAsyncLifetime
{
    internal static readonly Guid SessionId = Guid.Parse("0197c000-0000-7000-8000-0000000000a1");
    internal static readonly Guid TrainingBodyId = Guid.Parse("0197c000-0000-7000-8000-0000000000a2");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly List<IAsyncDisposable> _backplanes = [];
    private readonly List<IDisposable> _disposables = [];
    private readonly string _channel = $"portal_live_test_{Guid.NewGuid():N}"[..40];
    private PostgreSqlCluster _cluster = null!;
    private string _connectionString = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await PostgreSqlCluster.GetAsync();
        // An empty database: the backplane needs no table.
        _connectionString = await _cluster.CreateDatabaseAsync("backplane-empty", _ => Task.CompletedTask);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in _disposables) disposable.Dispose();
        foreach (var backplane in _backplanes) await backplane.DisposeAsync();
        if (_connectionString is not null) await _cluster.DropDatabaseAsync(_connectionString);
    }

    private async Task<(PostgresBackplane Backplane, LiveNotifier Notifier)> ServerAsync()
    {
        var backplane = new PostgresBackplane(_connectionString,
            new LiveBackplaneOptions { Channel = _channel, ReconnectMinDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromSeconds(1) },
            TimeProvider.System, NullLogger<PostgresBackplane>.Instance);
        _backplanes.Add(backplane);
        var notifier = new LiveNotifier(backplane, NullLogger<LiveNotifier>.Instance);
        _disposables.Add(notifier);
        await backplane.Listening.WaitAsync(Patience, Ct);
        return (backplane, notifier);
    }

    private ConcurrentQueue<TEvent> Record<TEvent>(ILiveNotifier notifier, Guid? topic = null) where TEvent : ILiveEvent
    {
        var into = new ConcurrentQueue<TEvent>();
        Task Add(TEvent e)
        {
            into.Enqueue(e);
            return Task.CompletedTask;
        }
        _disposables.Add(topic is { } t ? notifier.Subscribe<TEvent>(t, Add) : notifier.Subscribe<TEvent>(Add));
        return into;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > Patience) throw new TimeoutException($"Toujours pas : {what}");
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>Sends a marker from <paramref name="from"/> and waits until <paramref name="to"/> has it: NOTIFY keeps its order, so whatever was sent before has arrived.</summary>
    private async Task FlushAsync(ILiveNotifier from, ILiveNotifier to)
    {
        var marker = Guid.NewGuid();
        var seen = Record<ConvocationWarningsChanged>(to, marker);
        await from.PublishAsync(new ConvocationWarningsChanged(marker), Ct);
        await WaitUntilAsync(() => !seen.IsEmpty, "le marqueur de fin");
    }

    [Fact]
    public async Task AnEventPublishedOnServerA_ReachesServerBsTopicSubscriberOnce_AndServerAsOnce_O8()
    {
        var (_, a) = await ServerAsync();
        var (_, b) = await ServerAsync();
        var onA = Record<SessionPlacesChanged>(a, SessionId);
        var onB = Record<SessionPlacesChanged>(b, SessionId);
        var otherSessionOnB = Record<SessionPlacesChanged>(b, Guid.Parse("0197c000-0000-7000-8000-0000000000a9"));
        var change = new SessionPlacesChanged(SessionId, TrainingBodyId, 3, 12, Version: 7);

        await a.PublishAsync(change, Ct);
        await WaitUntilAsync(() => !onB.IsEmpty, "l'événement sur le serveur B");
        // Everything A sent has reached B, and everything B sent has reached A (A's own message came back to A before it).
        await FlushAsync(a, b);
        await FlushAsync(b, a);
        await a.DrainAsync();
        await b.DrainAsync();

        onB.ShouldHaveSingleItem().ShouldBe(change);
        onA.ShouldHaveSingleItem().ShouldBe(change);
        otherSessionOnB.ShouldBeEmpty();
    }

    [Fact]
    public async Task AKilledListeningConnection_Reconnects_PublishesLiveResyncLocally_AndCarriesEventsAgain()
    {
        var (_, a) = await ServerAsync();
        var (backplaneB, b) = await ServerAsync();
        var resyncOnB = Record<LiveResync>(b);
        var resyncOnA = Record<LiveResync>(a);
        var onB = Record<SessionPlacesChanged>(b, SessionId);

        await using (var admin = new NpgsqlConnection(_connectionString))
        {
            await admin.OpenAsync(Ct);
            await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", admin);
            kill.Parameters.Add(new NpgsqlParameter { Value = backplaneB.ApplicationName });
            ((long)(await kill.ExecuteScalarAsync(Ct))!).ShouldBe(1);
        }

        await WaitUntilAsync(() => !resyncOnB.IsEmpty, "le signal de resynchronisation sur B");
        backplaneB.Reconnections.ShouldBe(1);
        backplaneB.IsListening.ShouldBeTrue();
        var change = new SessionPlacesChanged(SessionId, TrainingBodyId, 2, 12, Version: 8);
        await a.PublishAsync(change, Ct);
        await WaitUntilAsync(() => !onB.IsEmpty, "l'événement sur B après la reconnexion");
        await FlushAsync(b, a);
        await a.DrainAsync();
        await b.DrainAsync();

        onB.ShouldHaveSingleItem().ShouldBe(change);
        resyncOnB.ShouldHaveSingleItem();
        // The other server lost nothing: no reload there.
        resyncOnA.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnEventTooLargeForOneNotify_ReachesServerBAsLiveResync_AndServerAItself()
    {
        var (_, a) = await ServerAsync();
        var (_, b) = await ServerAsync();
        var importId = Guid.NewGuid();
        var requester = Guid.NewGuid();
        var progressOnA = Record<LheoImportProgress>(a, importId);
        var progressOnB = Record<LheoImportProgress>(b, importId);
        var resyncOnA = Record<LiveResync>(a);
        var resyncOnB = Record<LiveResync>(b);
        // 9,000 characters of message alone: more than PostgreSQL's 8,000 bytes, and not a batch that could be split.
        var huge = new LheoImportProgress(importId, requester, new string('é', 4_500));

        await a.PublishAsync(huge, Ct);
        await WaitUntilAsync(() => !resyncOnB.IsEmpty, "le signal de resynchronisation sur B");
        await FlushAsync(a, b);
        await FlushAsync(b, a);
        await a.DrainAsync();
        await b.DrainAsync();

        progressOnA.ShouldHaveSingleItem().ShouldBe(huge);
        progressOnB.ShouldBeEmpty();
        resyncOnB.ShouldHaveSingleItem().Reason.ShouldContain(nameof(LheoImportProgress));
        resyncOnA.ShouldBeEmpty();
    }

    [Fact]
    public async Task ABatchTooLargeForOneNotify_ReachesServerBInPartsUnder8000Bytes_AllChangesInOrder_S6()
    {
        var (_, a) = await ServerAsync();
        var (_, b) = await ServerAsync();
        // An expiry chunk (S6): 200 prescriptions of one session moved at once.
        var changes = Enumerable.Range(1, 200)
            .Select(i => new PrescriptionStatusChanged(Guid.NewGuid(), SessionId, Guid.NewGuid(), Guid.NewGuid(), TrainingBodyId, PrescriptionStatus.Expired))
            .ToList();
        var batch = new PrescriptionsChanged(changes);
        var onB = Record<PrescriptionsChanged>(b, SessionId);
        var resyncOnB = Record<LiveResync>(b);

        await a.PublishAsync(batch, Ct);
        await WaitUntilAsync(() => onB.Sum(e => e.Changes.Count) >= 200, "les 200 changements sur B");
        await FlushAsync(a, b);
        await b.DrainAsync();

        onB.Count.ShouldBeGreaterThan(1);
        onB.SelectMany(e => e.Changes).ShouldBe(changes);
        resyncOnB.ShouldBeEmpty();
    }

    [Fact]
    public async Task ABackplaneThatCannotConnect_IsNotListening_AndSaysWhy_AndSendingDoesNotThrow()
    {
        // The cluster's port with a database that does not exist: every attempt is refused at once.
        var backplane = new PostgresBackplane(_cluster.ConnectionString("no_such_database_here"),
            new LiveBackplaneOptions { Channel = _channel, ReconnectMinDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200) },
            TimeProvider.System, NullLogger<PostgresBackplane>.Instance);
        _backplanes.Add(backplane);
        backplane.Start();

        await WaitUntilAsync(() => backplane.Problem is not null, "la raison de l'échec");
        backplane.IsListening.ShouldBeFalse();
        await Should.NotThrowAsync(() => backplane.SendAsync(new LiveEnvelope(nameof(ConvocationWarningsChanged), "{}", "node-x"), Ct));
        backplane.Problem.ShouldNotBeNull();
    }
}

/// <summary>ADR 0023: the backplane's messages and settings, without a server.</summary>
public sealed class PostgresBackplanePayloadTests
{
    private static readonly Guid SessionId = PostgresBackplaneTests.SessionId;
    private static readonly Guid TrainingBodyId = PostgresBackplaneTests.TrainingBodyId;

    [Fact]
    public void Payloads_OfABatchOf200_AreEachUnder8000Bytes_AndTheirChangesAreTheBatchInOrder()
    {
        var changes = Enumerable.Range(1, 200)
            .Select(_ => new PrescriptionStatusChanged(Guid.NewGuid(), SessionId, Guid.NewGuid(), Guid.NewGuid(), TrainingBodyId, PrescriptionStatus.Expired))
            .ToList();
        var envelope = new LiveEnvelope(nameof(PrescriptionsChanged), System.Text.Json.JsonSerializer.Serialize(new PrescriptionsChanged(changes)), "node-a");

        var payloads = PostgresBackplane.Payloads(envelope);

        payloads.ShouldAllBe(p => Encoding.UTF8.GetByteCount(p) < 8_000);
        payloads.SelectMany(p => System.Text.Json.JsonDocument.Parse(p).RootElement.GetProperty("e").GetProperty("Changes").EnumerateArray()
                .Select(c => c.GetProperty("PrescriptionId").GetGuid()))
            .ShouldBe(changes.Select(c => c.PrescriptionId));
    }

    [Fact]
    public void Payloads_OfASmallEvent_AreOneMessage_WithTheEventInline()
    {
        var envelope = new LiveEnvelope(nameof(ConvocationWarningsChanged), $"{{\"TrainingBodyId\":\"{TrainingBodyId}\"}}", "node-a");

        PostgresBackplane.Payloads(envelope).ShouldHaveSingleItem()
            .ShouldBe($"{{\"n\":\"node-a\",\"t\":\"ConvocationWarningsChanged\",\"e\":{{\"TrainingBodyId\":\"{TrainingBodyId}\"}}}}");
    }

    [Theory]
    [InlineData("Portal_Live")]
    [InlineData("portal-live")]
    [InlineData("1portal")]
    [InlineData("")]
    public void AChannelThatIsNotAPlainLowerCaseName_StopsTheStart_WithAFrenchMessage(string channel)
    {
        var ex = Should.Throw<InvalidOperationException>(() => new PostgresBackplane("Host=127.0.0.1",
            new LiveBackplaneOptions { Channel = channel }, TimeProvider.System, NullLogger<PostgresBackplane>.Instance));
        ex.Message.ShouldContain("LiveBackplane:Channel");
    }
}
