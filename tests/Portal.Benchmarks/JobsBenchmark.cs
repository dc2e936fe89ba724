using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Abstractions;
using Portal.Application.Features.Home;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Features.Sessions;
using Portal.Infrastructure.Persistence;

namespace Portal.Benchmarks;

/// <summary>
/// The real job classes over a copy of the generated database, after an (untimed) SQL arrangement that
/// makes 10 % or 100 % of the rows due, while a reader loop calls the prescriber's dashboard handler.
/// </summary>
public static class JobsBenchmark
{
    public const string Part = "3. Jobs at scale";

    /// <param name="ArrangePg">The same arrangement in PostgreSQL's dialect (issue #16), rows picked by a hash of their id.</param>
    private sealed record Scenario(string Name, string Rows, Type Job, Func<int, string> Arrange, string Due, Func<int, string> ArrangePg, string DuePg);

    // PostgreSQL (issue #16): dates are `date`, instants `timestamptz`; no rowid, so a row is picked by a hash of its id.
    private const string PgToday = "DATE '2026-11-27'";

    private static string Pick(string alias, int modulo) => $"abs(hashtext({alias}\"Id\"::text)) % {modulo} = 0";

    private static string PgInstant(DateTimeOffset t) => $"TIMESTAMPTZ '{t.UtcDateTime:yyyy-MM-dd HH:mm:ss}+00'";

    // Dates are stored as TEXT yyyy-MM-dd: SQLite's date() arithmetic applies. {0} = the modulo that picks the rows.
    private const string Today = "'2026-11-27'";

    private static readonly Scenario[] Scenarios =
    [
        new("publication (O4)", "sessions", typeof(PublishSessionsJob),
            m => $"UPDATE Sessions SET Status = 0, Start = date({Today}, '+60 days'), \"End\" = date({Today}, '+200 days'), RegistrationDeadline = date({Today}, '+50 days'), LateEntryDate = CASE WHEN EntryMode = 1 THEN date({Today}, '+60 days') END WHERE rowid % {m} = 0",
            $"SELECT COUNT(*) FROM Sessions s WHERE s.Status = 0 AND s.Start <= date({Today}, '+120 days') AND s.RegistrationDeadline >= {Today} AND EXISTS (SELECT 1 FROM FicheActions f WHERE f.Id = s.FicheActionId AND f.Status = 2)",
            m => $"UPDATE \"Sessions\" SET \"Status\" = 0, \"Start\" = {PgToday} + 60, \"End\" = {PgToday} + 200, \"RegistrationDeadline\" = {PgToday} + 50, \"LateEntryDate\" = CASE WHEN \"EntryMode\" = 1 THEN {PgToday} + 60 END WHERE {Pick("", m)}",
            $"SELECT COUNT(*) FROM \"Sessions\" s WHERE s.\"Status\" = 0 AND s.\"Start\" <= {PgToday} + 120 AND s.\"RegistrationDeadline\" >= {PgToday} AND EXISTS (SELECT 1 FROM \"FicheActions\" f WHERE f.\"Id\" = s.\"FicheActionId\" AND f.\"Status\" = 2)"),
        new("closure at deadline (O7)", "sessions", typeof(CloseRegistrationsJob),
            m => $"UPDATE Sessions SET Status = 1, RegistrationDeadline = date({Today}, '-1 day') WHERE rowid % {m} = 0",
            $"SELECT COUNT(*) FROM Sessions WHERE Status IN (1, 2) AND RegistrationDeadline < {Today}",
            m => $"UPDATE \"Sessions\" SET \"Status\" = 1, \"RegistrationDeadline\" = {PgToday} - 1 WHERE {Pick("", m)}",
            $"SELECT COUNT(*) FROM \"Sessions\" WHERE \"Status\" IN (1, 2) AND \"RegistrationDeadline\" < {PgToday}"),
        new("expiry, grouped entries (O5)", "prescriptions", typeof(ExpirePreRegistrationsJob),
            m => $"UPDATE Sessions SET EntryMode = 1, Status = 4, LateEntryDate = date({Today}, '-1 day') WHERE rowid % {m} = 0; "
                + $"UPDATE Prescriptions SET Status = 1 WHERE SessionId IN (SELECT Id FROM Sessions WHERE rowid % {m} = 0)",
            $"SELECT COUNT(*) FROM Prescriptions p WHERE p.Status IN (0, 1, 2, 3, 4, 6) AND EXISTS (SELECT 1 FROM Sessions s WHERE s.Id = p.SessionId AND s.EntryMode = 1 AND s.LateEntryDate < {Today})",
            m => $"UPDATE \"Sessions\" SET \"EntryMode\" = 1, \"Status\" = 4, \"LateEntryDate\" = {PgToday} - 1 WHERE {Pick("", m)}; "
                + $"UPDATE \"Prescriptions\" SET \"Status\" = 1 WHERE \"SessionId\" IN (SELECT \"Id\" FROM \"Sessions\" WHERE {Pick("", m)})",
            $"SELECT COUNT(*) FROM \"Prescriptions\" p WHERE p.\"Status\" IN (0, 1, 2, 3, 4, 6) AND EXISTS (SELECT 1 FROM \"Sessions\" s WHERE s.\"Id\" = p.\"SessionId\" AND s.\"EntryMode\" = 1 AND s.\"LateEntryDate\" < {PgToday})"),
        new("expiry, permanent entries (O6)", "prescriptions", typeof(ExpirePreRegistrationsJob),
            m => $"UPDATE Sessions SET EntryMode = 2, LateEntryDate = NULL WHERE rowid % {m} = 0; "
                + $"UPDATE Prescriptions SET Status = 1, ConvokedAt = {StoredInstant(Sizes.Now.AddMonths(-7))} WHERE SessionId IN (SELECT Id FROM Sessions WHERE rowid % {m} = 0)",
            $"SELECT COUNT(*) FROM Prescriptions p WHERE p.Status IN (0, 1, 2, 3, 4, 6) AND p.ConvokedAt < {StoredInstant(Sizes.Now.AddMonths(-6).AddDays(-1))} AND EXISTS (SELECT 1 FROM Sessions s WHERE s.Id = p.SessionId AND s.EntryMode = 2)",
            m => $"UPDATE \"Sessions\" SET \"EntryMode\" = 2, \"LateEntryDate\" = NULL WHERE {Pick("", m)}; "
                + $"UPDATE \"Prescriptions\" SET \"Status\" = 1, \"ConvokedAt\" = {PgInstant(Sizes.Now.AddMonths(-7))} WHERE \"SessionId\" IN (SELECT \"Id\" FROM \"Sessions\" WHERE {Pick("", m)})",
            $"SELECT COUNT(*) FROM \"Prescriptions\" p WHERE p.\"Status\" IN (0, 1, 2, 3, 4, 6) AND p.\"ConvokedAt\" < {PgInstant(Sizes.Now.AddMonths(-6).AddDays(-1))} AND EXISTS (SELECT 1 FROM \"Sessions\" s WHERE s.\"Id\" = p.\"SessionId\" AND s.\"EntryMode\" = 2)"),
        // Issue #14 (4), ADR 0025: 300,000 candidates at the default size; the arranged ones last acted 30 months ago and
        // every prescription of theirs ended then (withdrawn), with their messages and links as old.
        new("retention, pseudonymisation (issue #14 (4))", "candidates", typeof(Portal.Application.Features.PersonalData.PseudonymiseInactiveCandidatesJob),
            m => $"UPDATE Candidates SET CreatedAt = {StoredInstant(Sizes.Now.AddMonths(-30))}, LastActivityAt = {StoredInstant(Sizes.Now.AddMonths(-30))} WHERE rowid % {m} = 0; "
                + $"UPDATE Prescriptions SET Status = 10, StatusChangedAt = {StoredInstant(Sizes.Now.AddMonths(-30))} WHERE CandidateId IN (SELECT Id FROM Candidates WHERE rowid % {m} = 0); "
                + $"UPDATE ComplementMessages SET At = {StoredInstant(Sizes.Now.AddMonths(-30))} WHERE ThreadId IN (SELECT t.Id FROM ComplementThreads t JOIN Prescriptions p ON p.Id = t.PrescriptionId JOIN Candidates c ON c.Id = p.CandidateId WHERE c.rowid % {m} = 0); "
                + $"UPDATE CandidateLinks SET CreatedAt = {StoredInstant(Sizes.Now.AddMonths(-30))} WHERE CandidateId IN (SELECT Id FROM Candidates WHERE rowid % {m} = 0)",
            $"SELECT COUNT(*) FROM Candidates WHERE IsPseudonymised = 0 AND LastActivityAt < {StoredInstant(Sizes.Now.AddMonths(-24))}",
            m => $"UPDATE \"Candidates\" SET \"CreatedAt\" = {PgInstant(Sizes.Now.AddMonths(-30))}, \"LastActivityAt\" = {PgInstant(Sizes.Now.AddMonths(-30))} WHERE {Pick("", m)}; "
                + $"UPDATE \"Prescriptions\" SET \"Status\" = 10, \"StatusChangedAt\" = {PgInstant(Sizes.Now.AddMonths(-30))} WHERE \"CandidateId\" IN (SELECT \"Id\" FROM \"Candidates\" WHERE {Pick("", m)}); "
                + $"UPDATE \"ComplementMessages\" SET \"At\" = {PgInstant(Sizes.Now.AddMonths(-30))} WHERE \"ThreadId\" IN (SELECT t.\"Id\" FROM \"ComplementThreads\" t JOIN \"Prescriptions\" p ON p.\"Id\" = t.\"PrescriptionId\" JOIN \"Candidates\" c ON c.\"Id\" = p.\"CandidateId\" WHERE {Pick("c.", m)}); "
                + $"UPDATE \"CandidateLinks\" SET \"CreatedAt\" = {PgInstant(Sizes.Now.AddMonths(-30))} WHERE \"CandidateId\" IN (SELECT \"Id\" FROM \"Candidates\" WHERE {Pick("", m)})",
            $"SELECT COUNT(*) FROM \"Candidates\" WHERE NOT \"IsPseudonymised\" AND \"LastActivityAt\" < {PgInstant(Sizes.Now.AddMonths(-24))}"),
    ];

    private static long StoredInstant(DateTimeOffset t) => (long)Store.Value(t);

    public static async Task RunAsync(Report report, BenchmarkOptions options, string database, TextWriter log, PostgreSqlCopies? copies = null)
    {
        report.Note(Part, (copies is null
                ? "Each run: the generated database is copied; an untimed SQL `UPDATE` makes 10 % (`rowid % 10 = 0`) or 100 % of the rows due; "
                : "On PostgreSQL 15 (issue #16): each run works on a fresh clone (`CREATE DATABASE … TEMPLATE`) of the copy the portal's `copy-to-postgresql` made of the generated file; "
                    + "an untimed SQL `UPDATE` in PostgreSQL's dialect makes 10 % (`abs(hashtext(Id::text)) % 10 = 0`: about the same share as `rowid % 10` on SQLite, not the same rows) or 100 % of the rows due; ")
            + "the real job class (`RunAsync`, resolved with the app's services, `FakeTimeProvider` at the data's instant) is timed; "
            + "meanwhile a reader loop calls the real `GetPrescriberDashboard` handler (camille.durand, 50 rows) on its own connection and keeps its longest call. "
            + "Retention (issue #14 (4)): `PseudonymiseInactiveCandidatesJob` with the default chunk (500 candidates per transaction), every table about the arranged candidates rewritten set-based. "
            + $"Jobs are cancelled after {options.JobTimeoutSeconds:N0} s (reported as such). Quality alerts: **not built** (no such job in the code yet), not measured.");
        var target = copies is null ? (IJobsDatabase)new SqliteJobsDatabase(database) : new PostgreSqlJobsDatabase(copies);

        // The reader's own latency with nothing else running: the reference for the "longest read" column.
        await using (var services = await target.FreshAsync())
        {
            var (max, count, p50) = await ReadLoopAsync(services, TimeSpan.FromSeconds(options.Smoke ? 0.2 : 3), null);
            report.Add(Part, "reader alone: dashboard handler p50 / max", p50, "ms", $"max {max:F0} ms over {count} calls, no job running (the baseline)");
        }
        foreach (var scenario in Scenarios.Where(s => BenchmarkOptions.Selected(options.JobFilter, s.Name)))
        {
            foreach (var modulo in options.Smoke ? [1] : new[] { 10, 1 })
            {
                var label = $"{scenario.Name}, {(modulo == 10 ? "10 %" : "100 %")} due";
                await using var services = await target.FreshAsync();
                await target.ExecuteAsync(copies is null ? scenario.Arrange(modulo) : scenario.ArrangePg(modulo));
                var dueSql = copies is null ? scenario.Due : scenario.DuePg;
                var due = Convert.ToInt64(await target.ExecuteAsync(dueSql), System.Globalization.CultureInfo.InvariantCulture);
                var job = (IRecurringJob)ActivatorUtilities.CreateInstance(services, scenario.Job);
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(options.JobTimeoutSeconds));
                using var stopReader = new CancellationTokenSource();
                var reader = ReadLoopAsync(services, null, stopReader.Token);
                var watch = Stopwatch.StartNew();
                var outcome = "done";
                try { await job.RunAsync(cancel.Token); }
                catch (OperationCanceledException) { outcome = $"cancelled after {options.JobTimeoutSeconds:N0} s"; }
                var elapsed = watch.Elapsed;
                await stopReader.CancelAsync();
                var (maxRead, reads, _) = await reader;
                var left = Convert.ToInt64(await target.ExecuteAsync(dueSql), System.Globalization.CultureInfo.InvariantCulture);
                log.WriteLine($"  {label}: {due:N0} {scenario.Rows} due, {elapsed.TotalSeconds:F2} s, {due - left:N0} done, longest read {maxRead:F0} ms ({outcome})");
                report.Add(Part, $"{label}: job time", elapsed.TotalSeconds, "s",
                    $"{scenario.Job.Name}.RunAsync, {due:N0} {scenario.Rows} due, {due - left:N0} handled ({outcome}); {(due - left) / Math.Max(elapsed.TotalSeconds, 1e-6):N0} rows/s");
                report.Add(Part, $"{label}: longest read during the job", maxRead, "ms", $"longest of {reads} GetPrescriberDashboard calls made while the job ran");
            }
        }
        await target.DisposeAsync();
    }

    /// <summary>A fresh copy of the generated data per run, and untimed SQL on it.</summary>
    private interface IJobsDatabase : IAsyncDisposable
    {
        /// <summary>Drops the previous copy, makes a new one, and returns the app's services on it.</summary>
        Task<ServiceProvider> FreshAsync();

        Task<object?> ExecuteAsync(string sql);
    }

    private sealed class SqliteJobsDatabase(string database) : IJobsDatabase
    {
        private readonly string _copy = Path.Combine(Path.GetDirectoryName(database)!, "jobs.db");

        public Task<ServiceProvider> FreshAsync() => Task.FromResult(Fresh(database, _copy));

        public Task<object?> ExecuteAsync(string sql)
        {
            using var connection = new SqliteConnection($"Data Source={_copy};Pooling=False");
            connection.Open();
            return Task.FromResult(Execute(connection, sql));
        }

        public ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            File.Delete(_copy);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgreSqlJobsDatabase(PostgreSqlCopies copies) : IJobsDatabase
    {
        private string? _current;

        public async Task<ServiceProvider> FreshAsync()
        {
            if (_current is not null) await copies.DropAsync(_current);
            _current = await copies.CloneAsync();
            return Generator.BuildServices(Path.Combine(Path.GetTempPath(), "portal-bench-pg.db"), seedDemo: false, postgreSql: _current);
        }

        public async Task<object?> ExecuteAsync(string sql)
        {
            await using var connection = new Npgsql.NpgsqlConnection(_current);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            return await command.ExecuteScalarAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_current is not null) await copies.DropAsync(_current);
        }
    }

    private static ServiceProvider Fresh(string database, string copy)
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { copy, copy + "-wal", copy + "-shm" }) File.Delete(f);
        File.Copy(database, copy);
        return Generator.BuildServices(copy, seedDemo: false);
    }

    private static object? Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        return command.ExecuteScalar();
    }

    /// <summary>Calls the dashboard handler in a loop; returns the longest call, the count and the median (ms).</summary>
    private static async Task<(double Max, int Count, double P50)> ReadLoopAsync(IServiceProvider services, TimeSpan? duration, CancellationToken? stop)
    {
        await Task.Yield();
        var handler = services.GetRequiredService<GetPrescriberDashboard.Handler>();
        Portal.Application.Security.CurrentUser user;
        await using (var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
            user = await DemoUsers.ForAsync(db, "camille.durand");
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (duration is { } d ? total.Elapsed < d : stop?.IsCancellationRequested != true || times.Count == 0)
        {
            var watch = Stopwatch.StartNew();
            await handler.HandleAsync(new GetPrescriberDashboard(false, Take: 50), user);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (times[^1], times.Count, times[times.Count / 2]);
    }
}
