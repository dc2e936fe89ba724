using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Portal.Domain.Arbitrations;
using Portal.Domain.Candidates;
using Portal.Domain.Eos;
using Portal.Domain.Notifications;
using Portal.Domain.Offer;
using Portal.Domain.Order;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Abstractions;

/// <summary>The portal's unit of work, one per operation (ARCHITECTURE rule 4).</summary>
public interface IAppDbContext : IAsyncDisposable, IDisposable
{
    DbSet<Territory> Territories { get; }
    DbSet<Organisation> Organisations { get; }
    DbSet<AppUser> Users { get; }
    DbSet<Membership> Memberships { get; }
    DbSet<OrganisationHistory> OrganisationHistory { get; }
    DbSet<MfeCoverage> MfeCoverages { get; }
    DbSet<FicheAction> FicheActions { get; }
    DbSet<FicheActionVersion> FicheActionVersions { get; }
    DbSet<OrderLot> OrderLots { get; }
    DbSet<TenderDocument> TenderDocuments { get; }
    DbSet<TrainingSession> Sessions { get; }
    DbSet<InfoSession> InfoSessions { get; }
    DbSet<ConvocationWarning> ConvocationWarnings { get; }
    DbSet<SelectionCommission> SelectionCommissions { get; }
    DbSet<Candidate> AllCandidates { get; }
    DbSet<Prescription> AllPrescriptions { get; }
    DbSet<PrescriptionTransition> AllPrescriptionTransitions { get; }
    DbSet<PrescriptionAttachment> AllPrescriptionAttachments { get; }
    DbSet<ComplementThread> AllComplementThreads { get; }
    DbSet<ComplementMessage> AllComplementMessages { get; }
    DbSet<Commune> Communes { get; }
    DbSet<RomeCode> RomeCodes { get; }
    DbSet<SensitiveReadLog> AllSensitiveReads { get; }
    DbSet<Arbitration> AllArbitrations { get; }
    DbSet<CandidateLink> AllCandidateLinks { get; }
    DbSet<OutboxWatermark> OutboxWatermarks { get; }
    DbSet<EosImport> AllEosImports { get; }
    DbSet<EosAnomaly> AllEosAnomalies { get; }
    DbSet<OfflineEntry> AllOfflineEntries { get; }
    DbSet<Portal.Domain.Quality.QualityThreshold> QualityThresholds { get; }
    DbSet<Portal.Domain.Quality.QualityAlert> QualityAlerts { get; }
    DbSet<Portal.Domain.Exports.ExportRequest> AllExportRequests { get; }
    DbSet<Portal.Domain.Identity.UserSession> UserSessions { get; }

    /// <summary>
    /// A composable, set-based SQL query for what LINQ cannot say on SQLite (arithmetic on instants stored as
    /// integers, Q1); the result composes with LINQ (filters, GROUP BY) and runs in the database.
    /// </summary>
    IQueryable<TResult> SqlQuery<TResult>(FormattableString sql);

    /// <summary>Transactions and the few set-based statements LINQ cannot say (a job's <c>INSERT … SELECT</c>); see each use's comment.</summary>
    DatabaseFacade Database { get; }

    /// <summary>The model, for a raw statement to convert its parameters as the mapped columns store them.</summary>
    IModel Model { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>Creates a context for one operation; components and handlers never hold one longer.</summary>
public interface IAppDbContextFactory
{
    Task<IAppDbContext> CreateAsync(CancellationToken cancellationToken = default);
}
