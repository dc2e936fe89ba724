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
