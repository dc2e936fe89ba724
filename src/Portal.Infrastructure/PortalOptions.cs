using Microsoft.Extensions.Configuration;
using Portal.Infrastructure.Mail;

namespace Portal.Infrastructure;

/// <summary>Settings of the portal's own storage (see appsettings.sample.json).</summary>
public sealed class PortalOptions
{
    /// <summary>Folder for the SQLite files, Data Protection keys and uploads; relative to the content root.</summary>
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>`Database:Provider`: "Sqlite" (default) or "PostgreSql" (its own migrations project, ADR 0021, see the README).</summary>
    public string DatabaseProvider { get; set; } = "Sqlite";

    /// <summary>`Database:ConnectionString` (or `ConnectionStrings:Portal`); empty means {DataDirectory}/portal.db for SQLite, required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Seed the Nouvelle-Aquitaine demo dataset on first start with an empty database.</summary>
    public bool SeedDemoData { get; set; } = true;

    /// <summary>Run the Hangfire server inside the app (recurring jobs of the charter's time rules).</summary>
    public bool JobsEnabled { get; set; } = true;

    /// <summary>Hangfire's SQLite file (provider Sqlite); empty means {DataDirectory}/hangfire.db. With PostgreSQL, Hangfire uses the portal's database.</summary>
    public string? JobsDatabase { get; set; }

    /// <summary>With PostgreSQL: the schema of Hangfire's tables in the portal's database (ADR 0022).</summary>
    public string JobsSchema { get; set; } = "hangfire";

    /// <summary>
    /// `Portal:JobsLockTimeout`, with PostgreSQL: the age after which a lock row of Hangfire's (its schedulers', held
    /// milliseconds at a time) counts as left by a dead server and is taken over (Hangfire.PostgreSql's
    /// DistributedLockTimeout, 10 min by default there). A server killed while holding one stalls the others' scheduling
    /// at most this long (ADR 0022). The jobs' own run-once locks are PostgreSQL advisory locks, freed at the kill.
    /// </summary>
    public TimeSpan JobsLockTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// `Portal:JobSchedules:{id}`: a cron replacing a recurring job's own schedule (JobSchedule's ids; Paris time). The
    /// two-server test runs every job every minute; an overridden job waits at most 30 s for another run of itself.
    /// </summary>
    public Dictionary<string, string> JobSchedules { get; set; } = new(StringComparer.Ordinal);

    /// <summary>`Portal:JobsTestPause`: tests only, a recurring job paused before each of its commits on this server (ADR 0022).</summary>
    public JobsTestPauseOptions JobsTestPause { get; set; } = new();

    /// <summary>
    /// Folder of the files every server must see (ADR 0022): uploaded documents (uploads/), background exports (in
    /// uploads/ too) and LHEO files waiting for their import job (imports/lheo/). Empty means the data folder; with
    /// several servers, a folder they all mount (NFS, SMB...). Relative to the content root.
    /// </summary>
    public string? FilesDirectory { get; set; }

    /// <summary>A7: days a candidate's personal link (/mon-suivi/...) stays valid after the prescriber creates it.</summary>
    public int CandidateLinkDays { get; set; } = Portal.Application.Features.Candidates.CandidateLinkSettings.DefaultDays;

    /// <summary>
    /// Issue #12: seconds during which an observatory's figures (Q1, Q3, Q4), once computed, are shared by the readers who
    /// ask for the same ones on this server (0: computed for every reader). The screens say when they were computed.
    /// </summary>
    public int ObservatoryCacheSeconds { get; set; } = Portal.Application.Features.Observatory.ObservatoryCacheSettings.DefaultSeconds;

    /// <summary>The "Mail" section: SMTP server or pickup folder, sender, links (S6).</summary>
    public MailOptions Mail { get; set; } = new();

    /// <summary>The "Exports" section: above BackgroundRowThreshold rows a list is exported as a background job (Q3, Q4).</summary>
    public ExportOptions Exports { get; set; } = new();

    /// <summary>The "PersonalData" section: the retention period and the job's chunk (issue #14 (4), ADR 0025).</summary>
    public PersonalDataOptions PersonalData { get; set; } = new();

    /// <summary>The "LiveBackplane" section: live events between servers over PostgreSQL LISTEN/NOTIFY (ADR 0023).</summary>
    public Live.LiveBackplaneOptions LiveBackplane { get; set; } = new();

    /// <summary>The "Portal" section plus the "Database" settings, as the web app and the command line read them.</summary>
    public static PortalOptions Read(IConfiguration configuration)
    {
        var options = new PortalOptions();
        configuration.GetSection("Portal").Bind(options);
        options.DatabaseProvider = configuration["Database:Provider"] is { Length: > 0 } provider ? provider : "Sqlite";
        options.ConnectionString = configuration["Database:ConnectionString"] is { Length: > 0 } cs ? cs : configuration.GetConnectionString("Portal");
        configuration.GetSection("Mail").Bind(options.Mail);
        configuration.GetSection("Exports").Bind(options.Exports);
        configuration.GetSection("PersonalData").Bind(options.PersonalData);
        configuration.GetSection("LiveBackplane").Bind(options.LiveBackplane);
        return options;
    }

    /// <summary>The shared files folder (<see cref="FilesDirectory"/>), created if missing; the data folder when not set.</summary>
    public string ResolveFilesDirectory(string contentRoot)
    {
        if (FilesDirectory is not { Length: > 0 } files) return ResolveDataDirectory(contentRoot);
        var path = Path.IsPathRooted(files) ? files : Path.Combine(contentRoot, files);
        Directory.CreateDirectory(path);
        return path;
    }

    public string ResolveDataDirectory(string contentRoot)
    {
        var path = Path.IsPathRooted(DataDirectory) ? DataDirectory : Path.Combine(contentRoot, DataDirectory);
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>
/// `Portal:JobsTestPause` (see appsettings.sample.json): for tests only. When <see cref="JobId"/> names a recurring job,
/// each transaction that job commits on this server waits <see cref="BeforeCommit"/> first, after its writes, with a
/// warning in the log: the two-server test kills a server there to show that the run's effects are all or nothing.
/// </summary>
public sealed class JobsTestPauseOptions
{
    public string JobId { get; set; } = "";

    public TimeSpan BeforeCommit { get; set; } = TimeSpan.Zero;
}

/// <summary>The "Exports" section (see appsettings.sample.json).</summary>
public sealed class ExportOptions
{
    /// <summary>Rows above which a list export runs as a background job ("Mes exports") instead of being answered at once.</summary>
    public int BackgroundRowThreshold { get; set; } = Portal.Application.Export.ExportSettings.DefaultThreshold;

    /// <summary>Hours a background export's file stays downloadable before the purge deletes it.</summary>
    public int RetentionHours { get; set; } = 24;
}

/// <summary>The "PersonalData" section (see appsettings.sample.json, ADR 0025).</summary>
public sealed class PersonalDataOptions
{
    /// <summary>Months without activity after which a candidate is pseudonymised by the daily job.</summary>
    public int RetentionMonths { get; set; } = Portal.Application.Features.PersonalData.PersonalDataSettings.DefaultRetentionMonths;

    /// <summary>Candidates pseudonymised per transaction.</summary>
    public int ChunkSize { get; set; } = Portal.Application.Features.PersonalData.PersonalDataSettings.DefaultChunkSize;
}
