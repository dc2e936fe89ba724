using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Application.Abstractions;
using Portal.Application.Features.Notifications;
using Portal.Infrastructure.Files;
using Portal.Infrastructure.Jobs;
using Portal.Infrastructure.Lheo;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Mail;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure;

public static class DependencyInjection
{
    public const string SqliteMigrationsAssembly = "Portal.Migrations.Sqlite";
    public const string PostgreSqlMigrationsAssembly = "Portal.Migrations.PostgreSql";

    public static IServiceCollection AddPortalInfrastructure(this IServiceCollection services, PortalOptions options, string contentRoot)
    {
        var dataDirectory = options.ResolveDataDirectory(contentRoot);
        services.AddSingleton(options);
        if (options.CandidateLinkDays <= 0)
            throw new InvalidOperationException("Portal:CandidateLinkDays doit être un nombre de jours positif.");
        services.AddSingleton(new Portal.Application.Features.Candidates.CandidateLinkSettings(TimeSpan.FromDays(options.CandidateLinkDays)));
        services.AddSingleton(new Portal.Application.Features.Observatory.ObservatoryCacheSettings(TimeSpan.FromSeconds(Math.Max(0, options.ObservatoryCacheSeconds))));
        if (options.Exports.BackgroundRowThreshold < 0 || options.Exports.RetentionHours <= 0)
            throw new InvalidOperationException("Exports:BackgroundRowThreshold doit être positif ou nul et Exports:RetentionHours positif.");
        if (options.PersonalData.RetentionMonths < 1 || options.PersonalData.ChunkSize < 1)
            throw new InvalidOperationException("PersonalData:RetentionMonths et PersonalData:ChunkSize doivent être des entiers positifs.");
        services.AddSingleton(new Portal.Application.Features.PersonalData.PersonalDataSettings(options.PersonalData.RetentionMonths, options.PersonalData.ChunkSize));
        services.AddSingleton(new Portal.Application.Export.ExportSettings(options.Exports.BackgroundRowThreshold, RetentionHours: options.Exports.RetentionHours));
        services.AddSingleton<ISpreadsheetWriter, Portal.Infrastructure.Export.MiniExcelSpreadsheetWriter>();
        services.TryAddSingleton(TimeProvider.System);

        var provider = DatabaseProviders.Parse(options.DatabaseProvider);
        string connectionString;
        if (options.ConnectionString is { Length: > 0 } cs) connectionString = cs;
        else if (provider == DatabaseProvider.Sqlite) connectionString = $"Data Source={Path.Combine(dataDirectory, "portal.db")};Default Timeout=30";
        else throw new InvalidOperationException("Database:ConnectionString est obligatoire avec Database:Provider=PostgreSql (voir le README, section PostgreSQL).");
        if (options.JobsTestPause.JobId is { Length: > 0 })
        {
            // Tests only (ADR 0022): the named recurring job waits before each commit, where the two-server test kills a server.
            services.AddSingleton(sp => new JobsTestPauseInterceptor(options.JobsTestPause,
                sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<JobsTestPauseInterceptor>>()));
            services.AddDbContextFactory<PortalDbContext>((sp, db) => DatabaseProviders.Configure(db, provider, connectionString).UseOpenIddict()
                .AddInterceptors(sp.GetRequiredService<JobsTestPauseInterceptor>()));
        }
        else
        {
            services.AddDbContextFactory<PortalDbContext>(db => DatabaseProviders.Configure(db, provider, connectionString).UseOpenIddict());
        }
        services.AddSingleton<IAppDbContextFactory, AppDbContextFactory>();
        // Uploads (and background exports) in the shared files folder (the data folder by default), outside wwwroot: only the
        // handlers serve them (O3 visibility). Several servers mount one folder (ADR 0022).
        var filesDirectory = options.ResolveFilesDirectory(contentRoot);
        services.TryAddSingleton<IFileStore>(new FileSystemFileStore(Path.Combine(filesDirectory, "uploads")));

        // Several servers on one PostgreSQL database share their live events over LISTEN/NOTIFY (ADR 0023).
        if (provider == DatabaseProvider.PostgreSql && options.LiveBackplane.Enabled)
            services.TryAddSingleton<ILiveBackplane>(sp => new PostgresBackplane(connectionString, options.LiveBackplane,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PostgresBackplane>>()));
        services.TryAddSingleton<ILiveBackplane, InProcessBackplane>();
        services.AddSingleton<LiveNotifier>();
        services.AddSingleton<ILiveNotifier>(sp => sp.GetRequiredService<LiveNotifier>());

        // The storage is this host's own singleton, registered first so that AddHangfire keeps it (JobsStorage.Create).
        services.AddSingleton(_ => JobsStorage.Create(provider, connectionString, options, dataDirectory));
        services.AddHangfire((sp, c) => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<JobStorage>())
            // Hangfire's log provider is process-wide: one that outlives a stopped host without failing (HostHangfireLogs).
            .UseLogProvider(new HostHangfireLogs(sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>())));
        // Each recurring job runs through its runner, which holds the job's lock (ADR 0022): a session advisory lock on
        // PostgreSQL (freed at once when a server dies), Hangfire's lock in its SQLite file otherwise.
        services.AddTransient(typeof(RecurringJobRunner<>));
        if (provider == DatabaseProvider.PostgreSql)
            services.AddSingleton<IRecurringJobLocks>(new PostgreSqlAdvisoryJobLocks(connectionString));
        else
            services.AddSingleton<IRecurringJobLocks, HangfireStorageJobLocks>();
        if (options.JobsEnabled)
        {
            services.AddHangfireServer(s =>
            {
                s.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                s.WorkerCount = Math.Max(2, Environment.ProcessorCount);
            });
        }
        services.AddSingleton<IJobScheduler, HangfireJobScheduler>();
        services.AddTransient<DatabaseInitializer>();
        services.AddTransient<PlannerStatisticsJob>();
        services.AddSingleton<ILheoFormat, LheoXmlFormat>();
        // S6: SMTP when a host is set, else .eml files in the data folder (nothing to install for `dotnet run`).
        var mail = options.Mail;
        services.AddSingleton(mail);
        services.TryAddSingleton(new PortalLinks(mail.PortalUrl));
        if (mail.Host is { Length: > 0 })
        {
            services.TryAddSingleton<IMailSender, SmtpMailSender>();
        }
        else
        {
            var pickup = mail.PickupDirectory is { Length: > 0 } d
                ? (Path.IsPathRooted(d) ? d : Path.Combine(contentRoot, d))
                : Path.Combine(dataDirectory, "mail");
            services.TryAddSingleton<IMailSender>(sp => new PickupFolderMailSender(pickup, mail, sp.GetRequiredService<TimeProvider>()));
        }
        // The uploaded LHEO file waits for its job, which may run on another server: in the shared files folder.
        services.AddSingleton<ILheoImportStore>(new FileLheoImportStore(Path.Combine(filesDirectory, "imports", "lheo")));
        return services;
    }
}
