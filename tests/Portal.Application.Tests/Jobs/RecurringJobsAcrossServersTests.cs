using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Sessions;
using Portal.Application.Tests.Support;
using Portal.Domain.Offer;
using Portal.Infrastructure.Jobs;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.Application.Tests.Jobs;

/// <summary>
/// Issue #16 (3), ADR 0022: a recurring job runs at most once at a time across the servers sharing the jobs storage.
/// Two "servers" are two storage instances over the same storage (the PostgreSQL schema of the portal's database, or
/// the SQLite jobs file), each running the O4 publication job through <see cref="RecurringJobRunner{TJob}"/>. Server A's
/// run holds the lock and is held before it touches the database; server B's run of the same job either waits for it and
/// then finds nothing left (the session is published once: its version goes up by one, one live event), or gives up
/// when its wait is shorter than A's run and touches nothing.
/// </summary>
public abstract class RecurringJobsAcrossServersTests : IAsyncLifetime
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateOnly Today = new(2027, 3, 10);
    private readonly FakeTimeProvider _clock = new(OfferBuilder.NoonUtc(Today));
    private TestDatabase _db = null!;

    protected abstract DatabaseProvider Provider { get; }

    /// <summary>One server's job locks over the shared database (or jobs file) of <paramref name="db"/>.</summary>
    protected abstract IRecurringJobLocks Locks(TestDatabase db, string sqliteJobsFile);

    private string _jobsFile = "";

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(Provider);
        _jobsFile = Path.Combine(Path.GetTempPath(), $"portal-jobs-{Guid.NewGuid():N}.db");
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try { File.Delete(_jobsFile + suffix); }
            catch (IOException) { }
        }
    }

    private async Task<TrainingSession> PlannedSessionAsync()
    {
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        return await OfferBuilder.AddSessionAsync(_db, julie.OrganisationId, Today.AddDays(30));
    }

    /// <summary>A run of the job on a server of its own, on a thread of its own as a Hangfire worker (taking the lock blocks it).</summary>
    private Task RunOnAServerAsync(IAppDbContextFactory factory, ILiveNotifier notifier, TimeSpan wait)
    {
        var runner = new RecurringJobRunner<PublishSessionsJob>(new PublishSessionsJob(factory, _clock, notifier), Locks(_db, _jobsFile),
            NullLogger<RecurringJobRunner<PublishSessionsJob>>.Instance) { Wait = wait };
        return Task.Run(() => runner.RunAsync(Ct), Ct);
    }

    [Fact]
    public async Task ASecondServersRun_WaitsForTheFirst_ThenFindsNothingLeft_TheSessionIsPublishedOnce_O4()
    {
        var session = await PlannedSessionAsync();
        using var events = new RecordingNotifier<SessionPlacesChanged>();
        var held = new HeldFactory(_db);

        var onA = RunOnAServerAsync(held, events.Notifier, TimeSpan.FromSeconds(30));
        await held.Entered.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var onB = RunOnAServerAsync(_db, events.Notifier, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);

        onB.IsCompleted.ShouldBeFalse("B waits for A's lock");
        (await OfferBuilder.ReloadSessionAsync(_db, session.Id)).Status.ShouldBe(SessionStatus.Planned);
        held.Release();
        await Task.WhenAll(onA, onB).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var stored = await OfferBuilder.ReloadSessionAsync(_db, session.Id);
        stored.Status.ShouldBe(SessionStatus.Open);
        stored.Version.ShouldBe(session.Version + 1, "published by one run only");
        events.Published.Count(e => e.SessionId == session.Id).ShouldBe(1);
    }

    [Fact]
    public async Task ASecondServersRun_GivesUpWhenTheFirstOutlastsItsWait_AndTouchesNothing_O4()
    {
        var session = await PlannedSessionAsync();
        using var events = new RecordingNotifier<SessionPlacesChanged>();
        var held = new HeldFactory(_db);

        var onA = RunOnAServerAsync(held, events.Notifier, TimeSpan.FromSeconds(30));
        await held.Entered.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await RunOnAServerAsync(_db, events.Notifier, TimeSpan.FromMilliseconds(300)).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        (await OfferBuilder.ReloadSessionAsync(_db, session.Id)).Status.ShouldBe(SessionStatus.Planned, "B skipped: it did not publish");
        events.Published.ShouldNotContain(e => e.SessionId == session.Id);
        held.Release();
        await onA.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var stored = await OfferBuilder.ReloadSessionAsync(_db, session.Id);
        (stored.Status, stored.Version).ShouldBe((SessionStatus.Open, session.Version + 1));
        events.Published.Count(e => e.SessionId == session.Id).ShouldBe(1);
    }

    [Fact]
    public async Task TheLockIsReleased_AfterARun_AndAfterAFailedRun_O4()
    {
        var failing = new HeldFactory(_db, fail: true);
        failing.Release();
        using var events = new RecordingNotifier<SessionPlacesChanged>();
        await Should.ThrowAsync<InvalidOperationException>(() => RunOnAServerAsync(failing, events.Notifier, TimeSpan.FromSeconds(5)));

        var session = await PlannedSessionAsync();
        // A short wait: a lock left behind by the failed run would make this run give up.
        await RunOnAServerAsync(_db, events.Notifier, TimeSpan.FromMilliseconds(300));
        (await OfferBuilder.ReloadSessionAsync(_db, session.Id)).Status.ShouldBe(SessionStatus.Open);
    }

    /// <summary>The job's contexts, handed out only once the test releases them (and, with <c>fail</c>, a failure instead).</summary>
    private sealed class HeldFactory(TestDatabase db, bool fail = false) : IAppDbContextFactory
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public async Task<IAppDbContext> CreateAsync(CancellationToken cancellationToken = default)
        {
            _entered.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            if (fail) throw new InvalidOperationException("Injected failure of the job.");
            return db.CreateDbContext();
        }
    }
}

/// <summary>SQLite: the jobs file shared by two storage instances (one server in production; a restart overlapping a run).</summary>
public sealed class RecurringJobsAcrossServersOnSqliteTests : RecurringJobsAcrossServersTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override IRecurringJobLocks Locks(TestDatabase db, string sqliteJobsFile) =>
        new HangfireStorageJobLocks(new SQLiteStorage(sqliteJobsFile, new SQLiteStorageOptions()));
}

/// <summary>PostgreSQL: Hangfire.PostgreSql in the portal's database, schema "hangfire", as two servers share it (skipped without PostgreSQL 15).</summary>
public sealed class RecurringJobsAcrossServersOnPostgreSqlTests : RecurringJobsAcrossServersTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override IRecurringJobLocks Locks(TestDatabase db, string sqliteJobsFile) => new PostgreSqlAdvisoryJobLocks(db.ConnectionString);

    [Fact]
    public async Task ALockHeldByAServerThatDies_IsFreeAtOnce_ForTheOtherServers()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, seedDemo: false);
        var onA = new PostgreSqlAdvisoryJobLocks(db.ConnectionString);
        var onB = new PostgreSqlAdvisoryJobLocks(db.ConnectionString);
        var held = (await onA.TryAcquireAsync("portal:recurring:test", TimeSpan.Zero, Ct)).ShouldNotBeNull();
        (await onB.TryAcquireAsync("portal:recurring:test", TimeSpan.FromMilliseconds(600), Ct)).ShouldBeNull("A holds it");

        // Server A dies: PostgreSQL ends its session (here by pg_terminate_backend, as when its connection drops).
        await using (var admin = new Npgsql.NpgsqlConnection(db.ConnectionString))
        {
            await admin.OpenAsync(Ct);
            await using var kill = new Npgsql.NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'portal_job_lock'", admin);
            (await kill.ExecuteScalarAsync(Ct)).ShouldBe(1L);
        }

        var taken = await onB.TryAcquireAsync("portal:recurring:test", TimeSpan.FromSeconds(10), Ct);
        taken.ShouldNotBeNull("the dead session's lock is gone: no lock row waits for a timeout");
        await taken.DisposeAsync();
        // A's handle, on a dead session, only closes its connection (the runner logs a failed release).
        try { await held.DisposeAsync(); }
        catch (Npgsql.NpgsqlException) { }
    }

    [Fact]
    public async Task TwoJobsLocks_AreIndependent_AndAReleasedLockIsFree()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, seedDemo: false);
        var locks = new PostgreSqlAdvisoryJobLocks(db.ConnectionString);
        await using (var first = (await locks.TryAcquireAsync("portal:recurring:a", TimeSpan.Zero, Ct)).ShouldNotBeNull())
        await using (var other = (await locks.TryAcquireAsync("portal:recurring:b", TimeSpan.Zero, Ct)).ShouldNotBeNull())
        {
        }
        await using var again = (await locks.TryAcquireAsync("portal:recurring:a", TimeSpan.Zero, Ct)).ShouldNotBeNull();
    }

    /// <summary>
    /// ADR 0022: a server killed while holding one of Hangfire's own lock rows (its scheduler's) left it for
    /// Hangfire.PostgreSql's default 10 minutes, stalling every other server's scheduling. With <c>Portal:JobsLockTimeout</c>
    /// (here 10 s) a row as old as that is taken over; a younger one is still respected.
    /// </summary>
    [Fact]
    public async Task AHangfireLockRowLeftByAKilledServer_IsTakenOverAfterJobsLockTimeout_NotBefore()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, seedDemo: false);
        var storage = JobsStorage.CreatePostgreSql(db.ConnectionString, "hangfire_mort", TimeSpan.FromSeconds(10));
        async Task LeaveRowAsync(string resource, TimeSpan age)
        {
            await using var connection = new Npgsql.NpgsqlConnection(db.ConnectionString);
            await connection.OpenAsync(Ct);
            // As a server killed in the middle leaves it: acquired `age` ago, never deleted (Hangfire.PostgreSql names the
            // row after its schema and the resource).
            // (updatecount 1: held, in either of Hangfire.PostgreSql's locking modes; the instant written as it writes it.)
            await using var insert = new Npgsql.NpgsqlCommand("INSERT INTO hangfire_mort.lock (resource, updatecount, acquired) VALUES (@r, 1, @acquired)", connection);
            insert.Parameters.AddWithValue("r", "hangfire_mort:" + resource);
            insert.Parameters.AddWithValue("acquired", TimeProvider.System.GetUtcNow().UtcDateTime - age); // Hangfire reads the real clock
            (await insert.ExecuteNonQueryAsync(Ct)).ShouldBe(1);
        }
        await LeaveRowAsync("recurring-jobs:lock", TimeSpan.FromSeconds(11));
        await LeaveRowAsync("locks:schedulepoller", TimeSpan.FromSeconds(2));

        using var connection = storage.GetConnection();
        using (connection.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.FromSeconds(2)))
        {
            // Taken over: 11 s is older than the 10 s timeout.
        }
        Should.Throw<Hangfire.PostgreSql.PostgreSqlDistributedLockException>(() => connection.AcquireDistributedLock("locks:schedulepoller", TimeSpan.FromSeconds(2)));

        Should.Throw<InvalidOperationException>(() => JobsStorage.CreatePostgreSql(db.ConnectionString, "hangfire_mort", TimeSpan.FromSeconds(5)))
            .Message.ShouldBe("Portal:JobsLockTimeout (00:00:05) doit valoir au moins 10 secondes.");
    }

    [Fact]
    public async Task ServersStartingTogetherOnAnEmptyDatabase_CreateTheJobsSchemaOnce_AndEachWorks()
    {
        await using var empty = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, seedDemo: false);
        var starts = Enumerable.Range(0, 3).Select(_ => Task.Run(() => JobsStorage.CreatePostgreSql(empty.ConnectionString, "hangfire_depart"), Ct)).ToList();
        var storages = await Task.WhenAll(starts).WaitAsync(TimeSpan.FromSeconds(120), Ct);

        foreach (var storage in storages)
        {
            using var connection = storage.GetConnection();
            using var held = connection.AcquireDistributedLock("portal:test", TimeSpan.FromSeconds(5));
            storage.GetMonitoringApi().Servers().ShouldBeEmpty();
        }
    }
}
