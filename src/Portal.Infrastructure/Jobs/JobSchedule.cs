using Hangfire;
using Portal.Application.Abstractions;
using Portal.Application.Features.Sessions;

namespace Portal.Infrastructure.Jobs;

/// <summary>Every recurring job of the portal, in one place (PRODUCT: time rules).</summary>
public static class JobSchedule
{
    public sealed record Entry(string Id, Type JobType, string Cron, string Rule);

    public static readonly IReadOnlyList<Entry> Entries =
    [
        new("sessions-publish", typeof(PublishSessionsJob), "*/5 * * * *", "O4"),
        new("sessions-close-at-deadline", typeof(CloseRegistrationsJob), "*/5 * * * *", "O7"),
        new("sessions-life", typeof(SessionLifeJob), "*/5 * * * *", "O7"),
        new("prescriptions-expire", typeof(Portal.Application.Features.Prescriptions.ExpirePreRegistrationsJob), "15 * * * *", "O5, O6"),
        new("place-offers-lapse", typeof(Portal.Application.Features.Selection.LapsePlaceOffersJob), "5 * * * *", "O9"),
        new("info-sessions-convocation-warnings", typeof(Portal.Application.Features.Selection.ConvocationWarningsJob), "*/15 * * * *", "S3"),
        new("candidates-convocation-mail", typeof(Portal.Application.Features.Notifications.SendCandidateConvocationsJob), "* * * * *", "S3"),
        new("prescribers-mail", typeof(Portal.Application.Features.Notifications.SendPrescriberMailsJob), "* * * * *", "S6"),
        new("quality-alerts", typeof(Portal.Application.Features.Observatory.QualityAlertsJob), "30 * * * *", "Q2"),
        new("exports-purge", typeof(Portal.Application.Features.Exports.PurgeExportsJob), "45 * * * *", "Q3, Q4"),
        new("user-sessions-purge", typeof(Portal.Application.Features.Identity.PurgeUserSessionsJob), "50 * * * *", "issue #15"),
        new("candidates-pseudonymise-inactive", typeof(Portal.Application.Features.PersonalData.PseudonymiseInactiveCandidatesJob), "20 3 * * *", "issue #14 (4), RGPD"),
    ];

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
        manager.AddOrUpdate<TJob>(entry.Id, job => job.RunAsync(CancellationToken.None), entry.Cron, options);

    private static TimeZoneInfo FindParis()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }
}
