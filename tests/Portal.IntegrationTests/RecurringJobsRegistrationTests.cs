using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Jobs;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #16 (3), ADR 0022: every recurring job of <see cref="JobSchedule"/> is registered in the host's jobs storage to
/// run through <see cref="RecurringJobRunner{TJob}"/> (which holds the job's distributed lock), the runner resolves from
/// the host's container, and each job's wait for another run is shorter than its interval.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class RecurringJobsRegistrationTests(PortalFactory factory)
{
    [Fact]
    public void EveryRecurringJob_RunsThroughItsLockingRunner_ResolvedFromTheHostContainer()
    {
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();
        var registered = connection.GetRecurringJobs();
        using var scope = factory.Services.CreateScope();
        foreach (var entry in JobSchedule.Entries)
        {
            var runner = typeof(RecurringJobRunner<>).MakeGenericType(entry.JobType);
            registered.Single(r => r.Id == entry.Id).Job.Type.ShouldBe(runner, entry.Id);
            scope.ServiceProvider.GetService(runner).ShouldNotBeNull(entry.Id);
        }
    }

    [Fact]
    public void EachJobsWaitForAnotherRun_IsShorterThanItsInterval()
    {
        foreach (var entry in JobSchedule.Entries)
        {
            // The intervals, read by hand from the schedule's cron expressions.
            var interval = entry.Cron switch
            {
                "* * * * *" => TimeSpan.FromMinutes(1),
                "*/5 * * * *" => TimeSpan.FromMinutes(5),
                "*/15 * * * *" => TimeSpan.FromMinutes(15),
                _ when entry.Cron.EndsWith(" * * * *", StringComparison.Ordinal) && int.TryParse(entry.Cron.Split(' ')[0], out _) => TimeSpan.FromHours(1),
                _ when entry.Cron.EndsWith(" * * *", StringComparison.Ordinal) && entry.Cron.Split(' ').Take(2).All(f => int.TryParse(f, out _)) => TimeSpan.FromDays(1),
                _ => throw new InvalidOperationException($"{entry.Id}: unexpected schedule {entry.Cron}"),
            };
            entry.Wait.ShouldBeGreaterThan(TimeSpan.Zero, entry.Id);
            entry.Wait.ShouldBeLessThan(interval, entry.Id);
        }
    }
}

/// <summary>
/// Issue #16 (two-server test), ADR 0022: <c>Portal:JobSchedules:{id}</c> replaces a recurring job's cron (the test runs
/// every job every minute); an overridden job waits at most 30 s for another run of itself; an unknown id or an invalid
/// cron stops the start-up with a French message naming the setting.
/// </summary>
public sealed class JobScheduleOverridesTests : IDisposable
{
    private readonly string _jobsFile = Path.Combine(Path.GetTempPath(), $"portal-schedules-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try { File.Delete(_jobsFile + suffix); }
            catch (IOException) { }
        }
    }

    [Fact]
    public void AnOverriddenJob_IsRegisteredWithTheConfiguredCron_TheOthersKeepTheirOwn()
    {
        var storage = new Hangfire.Storage.SQLite.SQLiteStorage(_jobsFile, new Hangfire.Storage.SQLite.SQLiteStorageOptions());
        JobSchedule.Register(new RecurringJobManager(storage), new Dictionary<string, string> { ["quality-alerts"] = "* * * * *" });

        using var connection = storage.GetConnection();
        var registered = connection.GetRecurringJobs().ToDictionary(r => r.Id, r => r.Cron);
        registered["quality-alerts"].ShouldBe("* * * * *");
        // The others, as written in JobSchedule (by hand: the publication every 5 minutes, the expiry at a quarter past).
        registered["sessions-publish"].ShouldBe("*/5 * * * *");
        registered["prescriptions-expire"].ShouldBe("15 * * * *");
        registered.Count.ShouldBe(JobSchedule.Entries.Count);
    }

    [Fact]
    public void AnOverriddenJob_WaitsAtMost30SecondsForAnotherRun_TheOthersTheirOwnWait()
    {
        var overrides = new Dictionary<string, string> { ["quality-alerts"] = "* * * * *", ["prescribers-mail"] = "*/2 * * * *" };
        var hourly = JobSchedule.Find(typeof(Portal.Application.Features.Observatory.QualityAlertsJob));
        var minute = JobSchedule.Find(typeof(Portal.Application.Features.Notifications.SendPrescriberMailsJob));
        var daily = JobSchedule.Find(typeof(Portal.Application.Features.PersonalData.PseudonymiseInactiveCandidatesJob));

        JobSchedule.WaitOf(hourly, overrides).ShouldBe(TimeSpan.FromSeconds(30), "5 min on its own schedule, 30 s when overridden");
        JobSchedule.WaitOf(minute, overrides).ShouldBe(TimeSpan.FromSeconds(30), "already 30 s");
        JobSchedule.WaitOf(daily, overrides).ShouldBe(TimeSpan.FromMinutes(30), "not overridden");
        JobSchedule.WaitOf(hourly, null).ShouldBe(TimeSpan.FromMinutes(5));
        // The override equal to the job's own cron changes nothing.
        JobSchedule.WaitOf(daily, new Dictionary<string, string> { ["candidates-pseudonymise-inactive"] = "20 3 * * *" }).ShouldBe(TimeSpan.FromMinutes(30));
    }

    [Fact]
    public void AnUnknownJobId_StopsTheStartUp_WithAFrenchMessageNamingTheSetting()
    {
        var storage = new Hangfire.Storage.SQLite.SQLiteStorage(_jobsFile, new Hangfire.Storage.SQLite.SQLiteStorageOptions());
        var error = Should.Throw<InvalidOperationException>(() =>
            JobSchedule.Register(new RecurringJobManager(storage), new Dictionary<string, string> { ["expiration"] = "* * * * *" }));
        error.Message.ShouldStartWith("Portal:JobSchedules:expiration : aucune tâche planifiée ne porte cet identifiant");
        error.Message.ShouldContain("prescriptions-expire");
    }

    [Fact]
    public void AnInvalidCron_StopsTheStartUp_WithAFrenchMessageNamingTheSetting()
    {
        var storage = new Hangfire.Storage.SQLite.SQLiteStorage(_jobsFile, new Hangfire.Storage.SQLite.SQLiteStorageOptions());
        var error = Should.Throw<InvalidOperationException>(() =>
            JobSchedule.Register(new RecurringJobManager(storage), new Dictionary<string, string> { ["quality-alerts"] = "toutes les minutes" }));
        error.Message.ShouldBe("Portal:JobSchedules:quality-alerts : expression cron invalide « toutes les minutes ».");
    }
}
