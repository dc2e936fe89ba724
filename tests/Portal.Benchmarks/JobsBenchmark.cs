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

    private sealed record Scenario(string Name, string Rows, Type Job, Func<int, string> Arrange, string Due);

    // Dates are stored as TEXT yyyy-MM-dd: SQLite's date() arithmetic applies. {0} = the modulo that picks the rows.
    private const string Today = "'2026-11-27'";

    private static readonly Scenario[] Scenarios =
    [
        new("publication (O4)", "sessions", typeof(PublishSessionsJob),
            m => $"UPDATE Sessions SET Status = 0, Start = date({Today}, '+60 days'), \"End\" = date({Today}, '+200 days'), RegistrationDeadline = date({Today}, '+50 days'), LateEntryDate = CASE WHEN EntryMode = 1 THEN date({Today}, '+60 days') END WHERE rowid % {m} = 0",
            $"SELECT COUNT(*) FROM Sessions s WHERE s.Status = 0 AND s.Start <= date({Today}, '+120 days') AND s.RegistrationDeadline >= {Today} AND EXISTS (SELECT 1 FROM FicheActions f WHERE f.Id = s.FicheActionId AND f.Status = 2)"),
        new("closure at deadline (O7)", "sessions", typeof(CloseRegistrationsJob),
            m => $"UPDATE Sessions SET Status = 1, RegistrationDeadline = date({Today}, '-1 day') WHERE rowid % {m} = 0",
            $"SELECT COUNT(*) FROM Sessions WHERE Status IN (1, 2) AND RegistrationDeadline < {Today}"),
        new("expiry, grouped entries (O5)", "prescriptions", typeof(ExpirePreRegistrationsJob),
            m => $"UPDATE Sessions SET EntryMode = 1, Status = 4, LateEntryDate = date({Today}, '-1 day') WHERE rowid % {m} = 0; "
                + $"UPDATE Prescriptions SET Status = 1 WHERE SessionId IN (SELECT Id FROM Sessions WHERE rowid % {m} = 0)",
            $"SELECT COUNT(*) FROM Prescriptions p WHERE p.Status IN (0, 1, 2, 3, 4, 6) AND EXISTS (SELECT 1 FROM Sessions s WHERE s.Id = p.SessionId AND s.EntryMode = 1 AND s.LateEntryDate < {Today})"),
        new("expiry, permanent entries (O6)", "prescriptions", typeof(ExpirePreRegistrationsJob),
            m => $"UPDATE Sessions SET EntryMode = 2, LateEntryDate = NULL WHERE rowid % {m} = 0; "
                + $"UPDATE Prescriptions SET Status = 1, ConvokedAt = {StoredInstant(Sizes.Now.AddMonths(-7))} WHERE SessionId IN (SELECT Id FROM Sessions WHERE rowid % {m} = 0)",
            $"SELECT COUNT(*) FROM Prescriptions p WHERE p.Status IN (0, 1, 2, 3, 4, 6) AND p.ConvokedAt < {StoredInstant(Sizes.Now.AddMonths(-6).AddDays(-1))} AND EXISTS (SELECT 1 FROM Sessions s WHERE s.Id = p.SessionId AND s.EntryMode = 2)"),
        // Issue #14 (4), ADR 0025: 300,000 candidates at the default size; the arranged ones last acted 30 months ago and
        // every prescription of theirs ended then (withdrawn), with their messages and links as old.
        new("retention, pseudonymisation (issue #14 (4))", "candidates", typeof(Portal.Application.Features.PersonalData.PseudonymiseInactiveCandidatesJob),
            m => $"UPDATE Candidates SET CreatedAt = {StoredInstant(Sizes.Now.AddMonths(-30))}, LastActivityAt = {StoredInstant(Sizes.Now.AddMonths(-30))} WHERE rowid % {m} = 0; "
                + $"UPDATE Prescriptions SET Status = 10, StatusChangedAt = {StoredInstant(Sizes.Now.AddMonths(-30))} WHERE CandidateId IN (SELECT Id FROM Candidates WHERE rowid % {m} = 0); "
                + $"UPDATE ComplementMessages SET At = {StoredInstant(Sizes.Now.AddMonths(-30))} WHERE ThreadId IN (SELECT t.Id FROM ComplementThreads t JOIN Prescriptions p ON p.Id = t.PrescriptionId JOIN Candidates c ON c.Id = p.CandidateId WHERE c.rowid % {m} = 0); "
                + $"UPDATE CandidateLinks SET CreatedAt = {StoredInstant(Sizes.Now.AddMonths(-30))} WHERE CandidateId IN (SELECT Id FROM Candidates WHERE rowid % {m} = 0)",
            $"SELECT COUNT(*) FROM Candidates WHERE IsPseudonymised = 0 AND LastActivityAt < {StoredInstant(Sizes.Now.AddMonths(-24))}"),
    ];

    private static long StoredInstant(DateTimeOffset t) => (long)Store.Value(t);

    public static async Task RunAsync(Report report, BenchmarkOptions options, string database, TextWriter log)
    {
        report.Note(Part, "Each run: the generated database is copied; an untimed SQL `UPDATE` makes 10 % (`rowid % 10 = 0`) or 100 % of the rows due; "
            + "the real job class (`RunAsync`, resolved with the app's services, `FakeTimeProvider` at the data's instant) is timed; "
            + "meanwhile a reader loop calls the real `GetPrescriberDashboard` handler (camille.durand, 50 rows) on its own connection and keeps its longest call. "
            + "Retention (issue #14 (4)): `PseudonymiseInactiveCandidatesJob` with the default chunk (500 candidates per transaction), every table about the arranged candidates rewritten set-based. "
            + $"Jobs are cancelled after {options.JobTimeoutSeconds:N0} s (reported as such). Quality alerts: **not built** (no such job in the code yet), not measured.");
        var copy = Path.Combine(Path.GetDirectoryName(database)!, "jobs.db");

        // The reader's own latency with nothing else running: the reference for the "longest read" column.
        await using (var services = Fresh(database, copy))
        {
            var (max, count, p50) = await ReadLoopAsync(services, TimeSpan.FromSeconds(options.Smoke ? 0.2 : 3), null);
            report.Add(Part, "reader alone: dashboard handler p50 / max", p50, "ms", $"max {max:F0} ms over {count} calls, no job running (the baseline)");
        }
        foreach (var scenario in Scenarios)
        {
            foreach (var modulo in options.Smoke ? [1] : new[] { 10, 1 })
            {
                var label = $"{scenario.Name}, {(modulo == 10 ? "10 %" : "100 %")} due";
                await using var services = Fresh(database, copy);
                long due;
                await using (var connection = new SqliteConnection($"Data Source={copy};Pooling=False"))
                {
                    connection.Open();
                    Execute(connection, scenario.Arrange(modulo));
                    due = (long)Execute(connection, scenario.Due)!;
                }
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
                await using (var connection = new SqliteConnection($"Data Source={copy};Pooling=False"))
                {
                    connection.Open();
                    var left = (long)Execute(connection, scenario.Due)!;
                    log.WriteLine($"  {label}: {due:N0} {scenario.Rows} due, {elapsed.TotalSeconds:F2} s, {due - left:N0} done, longest read {maxRead:F0} ms ({outcome})");
                    report.Add(Part, $"{label}: job time", elapsed.TotalSeconds, "s",
                        $"{scenario.Job.Name}.RunAsync, {due:N0} {scenario.Rows} due, {due - left:N0} handled ({outcome}); {(due - left) / Math.Max(elapsed.TotalSeconds, 1e-6):N0} rows/s");
                    report.Add(Part, $"{label}: longest read during the job", maxRead, "ms", $"longest of {reads} GetPrescriberDashboard calls made while the job ran");
                }
            }
        }
        File.Delete(copy);
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
