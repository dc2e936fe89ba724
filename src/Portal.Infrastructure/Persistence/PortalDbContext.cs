using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Arbitrations;
using Portal.Domain.Candidates;
using Portal.Domain.Eos;
using Portal.Domain.Notifications;
using Portal.Domain.Offer;
using Portal.Domain.Order;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Infrastructure.Persistence;

/// <summary>The one model of the portal; migrations live per provider (Portal.Migrations.Sqlite, ...).</summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options), IAppDbContext,
    Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    public DbSet<Territory> Territories => Set<Territory>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<AppUser> Users => Set<AppUser>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<OrganisationHistory> OrganisationHistory => Set<OrganisationHistory>();
    public DbSet<MfeCoverage> MfeCoverages => Set<MfeCoverage>();
    public DbSet<FicheAction> FicheActions => Set<FicheAction>();
    public DbSet<FicheActionVersion> FicheActionVersions => Set<FicheActionVersion>();
    public DbSet<OrderLot> OrderLots => Set<OrderLot>();
    public DbSet<TenderDocument> TenderDocuments => Set<TenderDocument>();
    public DbSet<TrainingSession> Sessions => Set<TrainingSession>();
    public DbSet<InfoSession> InfoSessions => Set<InfoSession>();
    public DbSet<ConvocationWarning> ConvocationWarnings => Set<ConvocationWarning>();
    public DbSet<SelectionCommission> SelectionCommissions => Set<SelectionCommission>();
    public DbSet<Candidate> AllCandidates => Set<Candidate>();
    public DbSet<Prescription> AllPrescriptions => Set<Prescription>();
    public DbSet<PrescriptionTransition> AllPrescriptionTransitions => Set<PrescriptionTransition>();
    public DbSet<PrescriptionAttachment> AllPrescriptionAttachments => Set<PrescriptionAttachment>();
    public DbSet<ComplementThread> AllComplementThreads => Set<ComplementThread>();
    public DbSet<ComplementMessage> AllComplementMessages => Set<ComplementMessage>();
    public DbSet<Commune> Communes => Set<Commune>();
    public DbSet<RomeCode> RomeCodes => Set<RomeCode>();
    public DbSet<NonSelectionReasonEntry> NonSelectionReasons => Set<NonSelectionReasonEntry>();
    public DbSet<SensitiveReadLog> AllSensitiveReads => Set<SensitiveReadLog>();
    public DbSet<PersonalDataLogEntry> AllPersonalDataLog => Set<PersonalDataLogEntry>();
    public DbSet<Arbitration> AllArbitrations => Set<Arbitration>();
    public DbSet<CandidateLink> AllCandidateLinks => Set<CandidateLink>();
    public DbSet<OutboxWatermark> OutboxWatermarks => Set<OutboxWatermark>();
    public DbSet<EosImport> AllEosImports => Set<EosImport>();
    public DbSet<OfflineEntry> AllOfflineEntries => Set<OfflineEntry>();
    public DbSet<EosAnomaly> AllEosAnomalies => Set<EosAnomaly>();
    public DbSet<Portal.Domain.Quality.QualityThreshold> QualityThresholds => Set<Portal.Domain.Quality.QualityThreshold>();
    public DbSet<Portal.Domain.Quality.QualityAlert> QualityAlerts => Set<Portal.Domain.Quality.QualityAlert>();
    public DbSet<Portal.Domain.Exports.ExportRequest> AllExportRequests => Set<Portal.Domain.Exports.ExportRequest>();
    public DbSet<Portal.Domain.Identity.UserSession> UserSessions => Set<Portal.Domain.Identity.UserSession>();
    public DbSet<AccessRequest> AllAccessRequests => Set<AccessRequest>();
    public DbSet<Portal.Domain.Audit.AuditEntry> AllAuditEntries => Set<Portal.Domain.Audit.AuditEntry>();

    /// <summary>The Data Protection key ring of every server (ADR 0022; used with PostgreSQL, SQLite keeps its key files).</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys =>
        Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    private IDialectQueries? _queries;

    public IDialectQueries Queries => _queries ??= DialectQueries.For(this);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        TextLengthGuard.Check(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        TextLengthGuard.Check(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
        modelBuilder.UseOpenIddict();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants are UTC by construction on both providers (ADR 0021): a non-UTC offset is normalised on the way in.
        // SQLite cannot compare or order DateTimeOffset in SQL: instants are sortable integers there (ADR 0003); PostgreSQL
        // stores them natively as timestamptz.
        if (Database.IsSqlite())
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcInstants.SqliteConverter>();
        else
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcInstants.PostgreSqlConverter>();
    }
}
