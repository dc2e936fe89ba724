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

    /// <summary>Issue #14 (3), ADR 0026: the reference list of non-selection reasons (not personal data: no scope).</summary>
    DbSet<NonSelectionReasonEntry> NonSelectionReasons { get; }
    DbSet<SensitiveReadLog> AllSensitiveReads { get; }
    DbSet<PersonalDataLogEntry> AllPersonalDataLog { get; }
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
    DbSet<AccessRequest> AllAccessRequests { get; }
    DbSet<Portal.Domain.Audit.AuditEntry> AllAuditEntries { get; }

    /// <summary>
    /// The set-based statements LINQ cannot say (Q1's sums over instants, a job's <c>INSERT … SELECT</c>), in this
    /// context's SQL dialect (ADR 0021); the application never writes raw SQL itself.
    /// </summary>
    IDialectQueries Queries { get; }

    /// <summary>Transactions (and the provider-neutral ExecuteUpdate/ExecuteDelete); raw SQL goes through <see cref="Queries"/>.</summary>
    DatabaseFacade Database { get; }

    /// <summary>The model (metadata).</summary>
    IModel Model { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>Creates a context for one operation; components and handlers never hold one longer.</summary>
public interface IAppDbContextFactory
{
    Task<IAppDbContext> CreateAsync(CancellationToken cancellationToken = default);
}
