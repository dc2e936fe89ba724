using Hangfire;
using Portal.Application.Abstractions;
using Portal.Application.Features.Sessions;

namespace Portal.Infrastructure.Jobs;

/// <summary>Every recurring job of the portal, in one place (PRODUCT: time rules).</summary>
public static class JobSchedule
{
    /// <summary>
    /// A recurring job: its id, class, schedule and rules, and <paramref name="Wait"/>, how long a run waits for another run
    /// of the same job (on any server) to finish before it skips (ADR 0022): below the interval, so that runs never pile up,
    /// and above the job's usual duration.
    /// </summary>
    public sealed record Entry(string Id, Type JobType, string Cron, string Rule, TimeSpan Wait);

    private static readonly TimeSpan EveryMinute = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan EveryFiveMinutes = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan EveryQuarter = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Hourly = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Daily = TimeSpan.FromMinutes(30);

    public static readonly IReadOnlyList<Entry> Entries =
    [
        new("sessions-publish", typeof(PublishSessionsJob), "*/5 * * * *", "O4", EveryFiveMinutes),
        new("sessions-close-at-deadline", typeof(CloseRegistrationsJob), "*/5 * * * *", "O7", EveryFiveMinutes),
        new("sessions-life", typeof(SessionLifeJob), "*/5 * * * *", "O7", EveryFiveMinutes),
        new("prescriptions-expire", typeof(Portal.Application.Features.Prescriptions.ExpirePreRegistrationsJob), "15 * * * *", "O5, O6", Hourly),
        new("place-offers-lapse", typeof(Portal.Application.Features.Selection.LapsePlaceOffersJob), "5 * * * *", "O9", Hourly),
        new("info-sessions-convocation-warnings", typeof(Portal.Application.Features.Selection.ConvocationWarningsJob), "*/15 * * * *", "S3", EveryQuarter),
        new("candidates-convocation-mail", typeof(Portal.Application.Features.Notifications.SendCandidateConvocationsJob), "* * * * *", "S3", EveryMinute),
        new("prescribers-mail", typeof(Portal.Application.Features.Notifications.SendPrescriberMailsJob), "* * * * *", "S6", EveryMinute),
        new("quality-alerts", typeof(Portal.Application.Features.Observatory.QualityAlertsJob), "30 * * * *", "Q2", Hourly),
        new("exports-purge", typeof(Portal.Application.Features.Exports.PurgeExportsJob), "45 * * * *", "Q3, Q4", Hourly),
        new("user-sessions-purge", typeof(Portal.Application.Features.Identity.PurgeUserSessionsJob), "50 * * * *", "issue #15", Hourly),
        new("candidates-pseudonymise-inactive", typeof(Portal.Application.Features.PersonalData.PseudonymiseInactiveCandidatesJob), "20 3 * * *", "issue #14 (4), RGPD", Daily),
    ];

    /// <summary>The entry of a job class.</summary>
    public static Entry Find(Type jobType) =>
        Entries.FirstOrDefault(e => e.JobType == jobType) ?? throw new InvalidOperationException($"{jobType.Name} n'est pas une tâche planifiée de JobSchedule.");

    /// <summary>
    /// Registers every entry; each runs through <see cref="RecurringJobRunner{TJob}"/>, which holds the job's distributed
    /// lock while it runs (once at a time across servers, ADR 0022).
    /// </summary>
    public static void Register(IRecurringJobManager manager)
    {
        var options = new RecurringJobOptions { TimeZone = FindParis() };
        foreach (var entry in Entries)
        {
            var method = typeof(JobSchedule).GetMethod(nameof(AddOrUpdate), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(entry.JobType);
            method.Invoke(null, [manager, entry, options]);
        }
    }

    private static void AddOrUpdate<TJob>(IRecurringJobManager manager, Entry entry, RecurringJobOptions options) where TJob : IRecurringJob =>
        manager.AddOrUpdate<RecurringJobRunner<TJob>>(entry.Id, runner => runner.RunAsync(CancellationToken.None), entry.Cron, options);

    private static TimeZoneInfo FindParis()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }
}
