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
        new("database-statistics", typeof(Portal.Infrastructure.Persistence.PlannerStatisticsJob), "55 * * * *", "issue #12", Hourly),
        new("candidates-pseudonymise-inactive", typeof(Portal.Application.Features.PersonalData.PseudonymiseInactiveCandidatesJob), "20 3 * * *", "issue #14 (4), RGPD", Daily),
    ];

    /// <summary>The entry of a job class.</summary>
    public static Entry Find(Type jobType) =>
        Entries.FirstOrDefault(e => e.JobType == jobType) ?? throw new InvalidOperationException($"{jobType.Name} n'est pas une tâche planifiée de JobSchedule.");

    /// <summary>The longest wait of a run whose schedule is overridden (<c>Portal:JobSchedules</c>): it may run every minute.</summary>
    public static readonly TimeSpan OverriddenWait = EveryMinute;

    /// <summary>
    /// The cron of an entry: its own, or the one <c>Portal:JobSchedules:{id}</c> sets (tests run every job every minute;
    /// an operator may move a job out of busy hours). Unknown ids are refused at start-up (<see cref="CheckOverrides"/>).
    /// </summary>
    public static string CronOf(Entry entry, IReadOnlyDictionary<string, string>? overrides) =>
        overrides is not null && overrides.TryGetValue(entry.Id, out var cron) && !string.IsNullOrWhiteSpace(cron) ? cron.Trim() : entry.Cron;

    /// <summary>
    /// How long a run of the entry waits for another run: the entry's own wait, at most <see cref="OverriddenWait"/> (30 s)
    /// when its schedule is overridden, so that a run never waits past the next occurrence of a schedule of one minute.
    /// </summary>
    public static TimeSpan WaitOf(Entry entry, IReadOnlyDictionary<string, string>? overrides) =>
        CronOf(entry, overrides) == entry.Cron ? entry.Wait : (entry.Wait < OverriddenWait ? entry.Wait : OverriddenWait);

    /// <summary>Refuses (French message) an override naming no recurring job.</summary>
    public static void CheckOverrides(IReadOnlyDictionary<string, string>? overrides)
    {
        foreach (var id in overrides?.Keys ?? [])
            if (Entries.All(e => e.Id != id))
                throw new InvalidOperationException($"Portal:JobSchedules:{id} : aucune tâche planifiée ne porte cet identifiant (identifiants : {string.Join(", ", Entries.Select(e => e.Id))}).");
    }

    /// <summary>
    /// Registers every entry with its cron (<see cref="CronOf"/>); each runs through <see cref="RecurringJobRunner{TJob}"/>,
    /// which holds the job's lock while it runs (once at a time across servers, ADR 0022). An invalid cron stops the start-up.
    /// </summary>
    public static void Register(IRecurringJobManager manager, IReadOnlyDictionary<string, string>? overrides = null)
    {
        CheckOverrides(overrides);
        var options = new RecurringJobOptions { TimeZone = FindParis() };
        foreach (var entry in Entries)
        {
            var method = typeof(JobSchedule).GetMethod(nameof(AddOrUpdate), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(entry.JobType);
            try
            {
                method.Invoke(null, [manager, entry, CronOf(entry, overrides), options]);
            }
            catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is ArgumentException)
            {
                throw new InvalidOperationException($"Portal:JobSchedules:{entry.Id} : expression cron invalide « {CronOf(entry, overrides)} ».", ex.InnerException);
            }
        }
    }

    private static void AddOrUpdate<TJob>(IRecurringJobManager manager, Entry entry, string cron, RecurringJobOptions options) where TJob : IRecurringJob =>
        manager.AddOrUpdate<RecurringJobRunner<TJob>>(entry.Id, runner => runner.RunAsync(CancellationToken.None), cron, options);

    private static TimeZoneInfo FindParis()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }
}
