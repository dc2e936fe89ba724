using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Prescriptions;

/// <summary>
/// O5/O6 expiry, issue #12: a chunk's status update and history rows commit together, and its live events go out only
/// after the commit. Each test has its own database: three due grouped sessions A, B, C of its own, each with
/// 2 pending prescriptions (6 in all), and a chunk limit of 2 rows, so that each of them is a chunk of its own.
/// </summary>
public sealed class ExpirePreRegistrationsChunkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateOnly Start = new(2027, 2, 1);
    private static readonly DateOnly LateEntry = new(2027, 2, 15);

    /// <summary>00:01 in Paris the day after the late-entry date (CET: UTC+1).</summary>
    private static readonly DateTimeOffset DayAfter = FrenchTime.StartOfDay(LateEntry.AddDays(1)).AddMinutes(1);

    private const int PerSession = 2;

    private static async Task<Guid[]> ThreeDueSessionsAsync(TestDatabase database)
    {
        var julie = await TestUsers.ForAsync(database, TestUsers.Julie);
        var camille = await TestUsers.ForAsync(database, TestUsers.Camille);
        await using var db = database.CreateDbContext();
        var ids = new Guid[3];
        for (var s = 0; s < ids.Length; s++)
        {
            var fiche = OfferBuilder.ValidatedFiche(julie.OrganisationId);
            var session = new TrainingSession(fiche, Start, Start.AddDays(200), Start.AddDays(-7), 10, "33063", LateEntry);
            session.Publish(DemoDatabase.SeededAt);
            db.AddRange(fiche, session);
            for (var i = 0; i < PerSession; i++)
            {
                var c = new Candidate(camille.OrganisationId, camille.UserId, "Lot", $"Candidat{s}{i}", new DateOnly(1990, 1, 1), "33063", DemoDatabase.SeededAt);
                db.AllCandidates.Add(c);
                db.AllPrescriptions.Add(new Prescription(c.Id, session.Id, julie.OrganisationId, camille.OrganisationId, camille.UserId, 1, PrescribeTests.Form, DemoDatabase.SeededAt));
            }
            ids[s] = session.Id;
        }
        await db.SaveChangesAsync(Ct);
        return ids;
    }

    private sealed record Row(Guid Id, Guid SessionId, PrescriptionStatus Status, int Version, int ExpiredHistory);

    private static async Task<List<Row>> RowsAsync(TestDatabase database, Guid[] sessions)
    {
        await using var db = database.CreateDbContext();
        return await db.AllPrescriptions.Where(p => sessions.Contains(p.SessionId))
            .Select(p => new Row(p.Id, p.SessionId, p.Status, p.Version,
                db.AllPrescriptionTransitions.Count(t => t.PrescriptionId == p.Id && t.To == PrescriptionStatus.Expired)))
            .ToListAsync(Ct);
    }

    private static ExpirePreRegistrationsJob Job(IAppDbContextFactory factory, ILiveNotifier notifier) =>
        new(factory, new FakeTimeProvider(DayAfter), notifier) { ChunkRows = PerSession };

    [Fact]
    public async Task ExceptionInsideAChunk_AfterItsHistoryInsert_LeavesNeitherStatusNorHistoryOfThatChunk_O5()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: true);
        var sessions = await ThreeDueSessionsAsync(database);
        var b = sessions[1];
        using var recorder = new RecordingPrescriptionChanges();
        // The fault hits the UPDATE of B's chunk, after its INSERT of history rows ran in the same transaction.
        var faulty = new FaultInjection(b, cancel: null);

        await Should.ThrowAsync<InvalidOperationException>(() => Job(new InterceptedFactory(database, faulty), recorder.Notifier).RunAsync(Ct));

        faulty.Hits.ShouldBe(1);
        var rows = await RowsAsync(database, sessions);
        rows.Count.ShouldBe(6);
        // B: 2 prescriptions, still "Envoyée" (Submitted) at version 0, with no expiry in their history, and never announced.
        var ofB = rows.Where(r => r.SessionId == b).ToList();
        ofB.Count.ShouldBe(PerSession);
        ofB.ShouldAllBe(r => r.Status == PrescriptionStatus.Submitted && r.Version == 0 && r.ExpiredHistory == 0);
        recorder.Published.ShouldNotContain(e => e.SessionId == b);
        // Whatever chunk committed before the fault (A, C, or both, by the sessions' order) is whole: expired, one history row each, announced.
        foreach (var r in rows.Where(r => r.Status == PrescriptionStatus.Expired))
        {
            r.ExpiredHistory.ShouldBe(1);
            recorder.Published.Count(e => e.PrescriptionId == r.Id).ShouldBe(1);
        }
        rows.Where(r => r.Status != PrescriptionStatus.Expired).ShouldAllBe(r => r.ExpiredHistory == 0);

        // Without the fault, the next run finishes: 6 expired, 6 history rows (one each), 6 events in all for them.
        await Job(database, recorder.Notifier).RunAsync(Ct);
        rows = await RowsAsync(database, sessions);
        rows.ShouldAllBe(r => r.Status == PrescriptionStatus.Expired && r.Version == 1 && r.ExpiredHistory == 1);
        recorder.Published.Count(e => sessions.Contains(e.SessionId)).ShouldBe(6);
    }

    [Fact]
    public async Task CancellationInsideAChunk_LeavesNeitherStatusNorHistoryOfThatChunk_O5()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: true);
        var sessions = await ThreeDueSessionsAsync(database);
        var b = sessions[1];
        using var recorder = new RecordingPrescriptionChanges();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var faulty = new FaultInjection(b, cancel);

        await Should.ThrowAsync<OperationCanceledException>(() => Job(new InterceptedFactory(database, faulty), recorder.Notifier).RunAsync(cancel.Token));

        faulty.Hits.ShouldBe(1);
        var ofB = (await RowsAsync(database, sessions)).Where(r => r.SessionId == b).ToList();
        ofB.Count.ShouldBe(PerSession);
        ofB.ShouldAllBe(r => r.Status == PrescriptionStatus.Submitted && r.Version == 0 && r.ExpiredHistory == 0);
        recorder.Published.ShouldNotContain(e => e.SessionId == b);
    }

    [Fact]
    public async Task SeveralChunks_EveryExpiredPrescriptionHasItsHistory_AndIsAnnouncedAfterItsCommit_O5()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: true);
        var sessions = await ThreeDueSessionsAsync(database);
        var counter = new FaultInjection(Guid.Empty, cancel: null);
        var seenUncommitted = 0;
        var announced = new List<Guid>();
        using var recorder = new RecordingPrescriptionChanges();
        using var check = recorder.Notifier.Subscribe<PrescriptionsChanged>(async batch =>
        {
            foreach (var e in batch.Changes.Where(c => sessions.Contains(c.SessionId)))
            {
                announced.Add(e.PrescriptionId);
                // Read on another connection: the status is visible there only once the chunk committed.
                await using var db = database.CreateDbContext();
                if (await db.AllPrescriptions.Where(p => p.Id == e.PrescriptionId).Select(p => p.Status).SingleAsync() != PrescriptionStatus.Expired)
                    seenUncommitted++;
            }
        });

        await Job(new InterceptedFactory(database, counter), recorder.Notifier).RunAsync(Ct);

        // 3 sessions of 2 rows with a limit of 2 rows: 3 chunks (3 UPDATEs) for them, each its own transaction.
        counter.UpdatesPerSession.Where(kv => sessions.Contains(kv.Key)).Sum(kv => kv.Value).ShouldBe(3);
        counter.Commits.ShouldBeGreaterThanOrEqualTo(3);
        var rows = await RowsAsync(database, sessions);
        rows.Count.ShouldBe(6);
        rows.ShouldAllBe(r => r.Status == PrescriptionStatus.Expired && r.Version == 1 && r.ExpiredHistory == 1);
        await recorder.Notifier.DrainAsync();
        announced.Count.ShouldBe(6);
        // One batched live event per chunk (issue #12): 3 chunks, 3 events for these sessions, not 6.
        recorder.Batches.Count(b => b.Changes.Any(c => sessions.Contains(c.SessionId))).ShouldBe(3);
        announced.ShouldBe(rows.Select(r => r.Id), ignoreOrder: true);
        seenUncommitted.ShouldBe(0);
    }

    /// <summary>Hands out contexts of the test database whose commands go through <paramref name="interceptor"/>.</summary>
    private sealed class InterceptedFactory(TestDatabase database, IInterceptor interceptor) : IAppDbContextFactory
    {
        public Task<IAppDbContext> CreateAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IAppDbContext>(database.CreateDbContext(interceptor));
    }

    /// <summary>
    /// Watches the job's commands: counts the UPDATEs of prescriptions per session and the commits; on the UPDATE of the
    /// chunk holding <paramref name="failOn"/>, throws (or, given <paramref name="cancel"/>, cancels the job's token).
    /// </summary>
    private sealed class FaultInjection(Guid failOn, CancellationTokenSource? cancel) : DbCommandInterceptor, IDbTransactionInterceptor
    {
        public int Hits { get; private set; }

        public int Commits { get; private set; }

        public Dictionary<Guid, int> UpdatesPerSession { get; } = [];

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.TrimStart().StartsWith("UPDATE \"Prescriptions\"", StringComparison.Ordinal))
            {
                var text = string.Join("|", command.Parameters.Cast<DbParameter>().Select(p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)));
                foreach (var session in SessionsIn(text)) UpdatesPerSession[session] = UpdatesPerSession.GetValueOrDefault(session) + 1;
                if (failOn != Guid.Empty && text.Contains(failOn.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    Hits++;
                    if (cancel is null) throw new InvalidOperationException("Injected fault inside the chunk.");
                    cancel.Cancel();
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            return ValueTask.FromResult(result);
        }

        private static IEnumerable<Guid> SessionsIn(string text) =>
            text.Split(['|', '"', '[', ']', ','], StringSplitOptions.RemoveEmptyEntries).Select(t => Guid.TryParse(t, out var g) ? g : Guid.Empty)
                .Where(g => g != Guid.Empty).Distinct();

        public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            Commits++;
            return ValueTask.FromResult(result);
        }
    }
}
