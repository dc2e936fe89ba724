using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Candidates;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Tests.Support;

/// <summary>
/// Hands out the inner factory's contexts, but runs <paramref name="beforeSave"/> each time a handler calls
/// SaveChangesAsync, after it has loaded and changed its entities and before they reach the database.
/// Lets a test put another writer exactly between a handler's read and its write.
/// </summary>
internal sealed class GatedDbContextFactory(IAppDbContextFactory inner, Func<Task> beforeSave) : IAppDbContextFactory
{
    public async Task<IAppDbContext> CreateAsync(CancellationToken cancellationToken = default) =>
        new GatedDbContext(await inner.CreateAsync(cancellationToken), beforeSave);

    private sealed class GatedDbContext(IAppDbContext inner, Func<Task> beforeSave) : IAppDbContext
    {
        public DbSet<Territory> Territories => inner.Territories;
        public DbSet<Organisation> Organisations => inner.Organisations;
        public DbSet<AppUser> Users => inner.Users;
        public DbSet<Membership> Memberships => inner.Memberships;
        public DbSet<OrganisationHistory> OrganisationHistory => inner.OrganisationHistory;
        public DbSet<MfeCoverage> MfeCoverages => inner.MfeCoverages;
        public DbSet<FicheAction> FicheActions => inner.FicheActions;
        public DbSet<FicheActionVersion> FicheActionVersions => inner.FicheActionVersions;
        public DbSet<PrescriptionAttachment> AllPrescriptionAttachments => inner.AllPrescriptionAttachments;
        public DbSet<ComplementThread> AllComplementThreads => inner.AllComplementThreads;
        public DbSet<ComplementMessage> AllComplementMessages => inner.AllComplementMessages;
        public DbSet<Portal.Domain.Order.OrderLot> OrderLots => inner.OrderLots;
        public DbSet<Portal.Domain.Order.TenderDocument> TenderDocuments => inner.TenderDocuments;
        public DbSet<TrainingSession> Sessions => inner.Sessions;
        public DbSet<InfoSession> InfoSessions => inner.InfoSessions;
        public DbSet<ConvocationWarning> ConvocationWarnings => inner.ConvocationWarnings;
        public DbSet<SelectionCommission> SelectionCommissions => inner.SelectionCommissions;
        public DbSet<Candidate> AllCandidates => inner.AllCandidates;
        public DbSet<Prescription> AllPrescriptions => inner.AllPrescriptions;
        public DbSet<PrescriptionTransition> AllPrescriptionTransitions => inner.AllPrescriptionTransitions;
        public DbSet<Commune> Communes => inner.Communes;
        public DbSet<RomeCode> RomeCodes => inner.RomeCodes;
        public DbSet<Portal.Domain.Prescriptions.NonSelectionReasonEntry> NonSelectionReasons => inner.NonSelectionReasons;
        public DbSet<SensitiveReadLog> AllSensitiveReads => inner.AllSensitiveReads;
        public DbSet<PersonalDataLogEntry> AllPersonalDataLog => inner.AllPersonalDataLog;
        public DbSet<Portal.Domain.Arbitrations.Arbitration> AllArbitrations => inner.AllArbitrations;
        public DbSet<CandidateLink> AllCandidateLinks => inner.AllCandidateLinks;
        public DbSet<Portal.Domain.Notifications.OutboxWatermark> OutboxWatermarks => inner.OutboxWatermarks;
        public DbSet<Portal.Domain.Eos.EosImport> AllEosImports => inner.AllEosImports;
        public DbSet<Portal.Domain.Eos.EosAnomaly> AllEosAnomalies => inner.AllEosAnomalies;
        public DbSet<Portal.Domain.Eos.OfflineEntry> AllOfflineEntries => inner.AllOfflineEntries;
        public DbSet<Portal.Domain.Quality.QualityThreshold> QualityThresholds => inner.QualityThresholds;
        public DbSet<Portal.Domain.Quality.QualityAlert> QualityAlerts => inner.QualityAlerts;
        public DbSet<Portal.Domain.Exports.ExportRequest> AllExportRequests => inner.AllExportRequests;
        public DbSet<Portal.Domain.Identity.UserSession> UserSessions => inner.UserSessions;
        public DbSet<Portal.Domain.Organisations.AccessRequest> AllAccessRequests => inner.AllAccessRequests;
        public DbSet<Portal.Domain.Audit.AuditEntry> AllAuditEntries => inner.AllAuditEntries;

        public IDialectQueries Queries => inner.Queries;

        public Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade Database => inner.Database;

        public Microsoft.EntityFrameworkCore.Metadata.IModel Model => inner.Model;

        public async Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
        {
            await beforeSave();
            return await inner.SaveChangesAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        public void Dispose() => inner.Dispose();
    }
}
