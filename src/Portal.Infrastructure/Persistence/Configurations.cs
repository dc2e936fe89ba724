using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Application.Abstractions;
using Portal.Application.Features.Observatory;
using Portal.Domain.Arbitrations;
using Portal.Domain.Candidates;
using Portal.Domain.Eos;
using Portal.Domain.Notifications;
using Portal.Domain.Offer;
using Portal.Domain.Order;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Infrastructure.Persistence;

internal sealed class TerritoryConfiguration : IEntityTypeConfiguration<Territory>
{
    public void Configure(EntityTypeBuilder<Territory> b)
    {
        b.Property(t => t.Code).HasMaxLength(20);
        b.Property(t => t.Name).HasMaxLength(200);
        b.Property(t => t.DepartementCode).HasMaxLength(3);
        b.HasIndex(t => t.Code).IsUnique();
    }
}

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> b)
    {
        b.Property(o => o.Name).HasMaxLength(300);
        b.Property(o => o.Siret).HasMaxLength(14);
        b.Property(o => o.Address).HasMaxLength(300);
        b.HasOne<Territory>().WithMany().HasForeignKey(o => o.TerritoryId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(o => o.Siret);
        b.HasIndex(o => new { o.Kind, o.TerritoryId });
        // The administration list sorts by name and filters by habilitation (A1).
        b.HasIndex(o => o.Name);
        b.HasIndex(o => new { o.Habilitation, o.Kind });
        b.Property(o => o.Address).HasMaxLength(Organisation.AddressMaxLength);
        b.Property(o => o.CommuneInsee).HasMaxLength(5);
        b.Property(o => o.HabilitationReference).HasMaxLength(Organisation.ReferenceMaxLength);
        b.HasOne<AppUser>().WithMany().HasForeignKey(o => o.DelegateUserId).OnDelete(DeleteBehavior.SetNull);
        b.Property(o => o.Version).IsConcurrencyToken();
    }
}

internal sealed class OrganisationHistoryConfiguration : IEntityTypeConfiguration<OrganisationHistory>
{
    public void Configure(EntityTypeBuilder<OrganisationHistory> b)
    {
        b.ToTable("OrganisationHistory");
        b.HasOne<Organisation>().WithMany().HasForeignKey(h => h.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(h => new { h.OrganisationId, h.Id });
        b.Property(h => h.ByName).HasMaxLength(300);
        b.Property(h => h.From).HasMaxLength(500);
        b.Property(h => h.To).HasMaxLength(500);
        b.Property(h => h.Reason).HasMaxLength(Organisation.ReasonMaxLength);
    }
}

internal sealed class MfeCoverageConfiguration : IEntityTypeConfiguration<MfeCoverage>
{
    public void Configure(EntityTypeBuilder<MfeCoverage> b)
    {
        b.ToTable("MfeCoverages");
        b.HasKey(c => new { c.OrganisationId, c.DepartementCode });
        b.Property(c => c.DepartementCode).HasMaxLength(3);
        b.HasOne<Organisation>().WithMany().HasForeignKey(c => c.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        // S10: one MFE per département.
        b.HasIndex(c => c.DepartementCode).IsUnique();
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.ToTable("Users");
        b.Property(u => u.Email).HasMaxLength(320);
        b.Property(u => u.Subject).HasMaxLength(200);
        b.Property(u => u.GivenName).HasMaxLength(AppUser.MaxNameLength);
        b.Property(u => u.FamilyName).HasMaxLength(AppUser.MaxNameLength);
        b.HasIndex(u => u.Subject).IsUnique();
        b.HasIndex(u => u.Email).IsUnique();
        b.HasMany(u => u.Memberships).WithOne().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(u => u.Memberships).HasField("_memberships");
        b.Ignore(u => u.DisplayName);
    }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> b)
    {
        b.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(m => new { m.UserId, m.OrganisationId, m.Role }).IsUnique();
    }
}

internal sealed class FicheActionConfiguration : IEntityTypeConfiguration<FicheAction>
{
    public void Configure(EntityTypeBuilder<FicheAction> b)
    {
        b.Property(f => f.Title).HasMaxLength(300);
        // Issue #15 (5): the domain's limits (FicheAction.Max*Length); SearchText holds the title, objectives, content and codes.
        foreach (var text in new[] { nameof(FicheAction.Objectives), nameof(FicheAction.Content), nameof(FicheAction.Prerequisites),
                     nameof(FicheAction.AdmissionConditions), nameof(FicheAction.SelectionModalities), nameof(FicheAction.JobProspects),
                     nameof(FicheAction.FollowOnPaths), nameof(FicheAction.ExpectedResults), nameof(FicheAction.TargetPublic),
                     nameof(FicheAction.Accessibility) })
            b.Property(text).HasMaxLength(FicheAction.MaxTextLength);
        b.Property(f => f.CertificationRncp).HasMaxLength(FicheAction.MaxShortTextLength);
        b.Property(f => f.CertificationLevel).HasMaxLength(FicheAction.MaxShortTextLength);
        b.Property(f => f.ContactName).HasMaxLength(FicheAction.MaxShortTextLength);
        b.Property(f => f.ContactEmail).HasMaxLength(FicheAction.MaxEmailLength);
        b.Property(f => f.ContactPhone).HasMaxLength(FicheAction.MaxPhoneLength);
        b.Property(f => f.ExternalReference).HasMaxLength(FicheAction.MaxReferenceLength);
        b.Property(f => f.RegionComment).HasMaxLength(FicheAction.MaxCommentLength);
        b.Property(f => f.SearchText).HasMaxLength(FicheAction.MaxTitleLength + 6 * FicheAction.MaxTextLength);
        b.HasOne<Organisation>().WithMany().HasForeignKey(f => f.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        // O2: "Mes fiches" pages an OF's fiches by status then latest change; "Fiches à valider" the submitted ones, oldest first.
        b.HasIndex(f => new { f.OrganisationId, f.Status, f.UpdatedAt });
        b.HasIndex(f => new { f.Status, f.SubmittedAt });
        b.HasIndex(f => f.ExternalReference);
        b.Ignore(f => f.IsPublished);
        b.HasMany(f => f.Versions).WithOne().HasForeignKey(v => v.FicheActionId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(f => f.Versions).HasField("_versions");
    }
}

internal sealed class FicheActionVersionConfiguration : IEntityTypeConfiguration<FicheActionVersion>
{
    public void Configure(EntityTypeBuilder<FicheActionVersion> b)
    {
        b.OwnsOne(v => v.Snapshot, s => s.ToJson());
        b.HasIndex(v => new { v.FicheActionId, v.Number }).IsUnique();
    }
}

internal sealed class OrderLotConfiguration : IEntityTypeConfiguration<OrderLot>
{
    public void Configure(EntityTypeBuilder<OrderLot> b)
    {
        b.Property(l => l.Title).HasMaxLength(300);
        b.HasOne<Territory>().WithMany().HasForeignKey(l => l.TerritoryId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(l => l.Documents).WithOne().HasForeignKey(d => d.LotId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(l => l.Documents).HasField("_documents");
        b.HasIndex(l => new { l.Status, l.TenderDeadline });
    }
}

internal sealed class TenderDocumentConfiguration : IEntityTypeConfiguration<TenderDocument>
{
    public void Configure(EntityTypeBuilder<TenderDocument> b)
    {
        b.Property(d => d.FileName).HasMaxLength(255);
        b.Property(d => d.ContentType).HasMaxLength(100);
        b.Property(d => d.StorageKey).HasMaxLength(200);
    }
}

internal sealed class TrainingSessionConfiguration : IEntityTypeConfiguration<TrainingSession>
{
    public void Configure(EntityTypeBuilder<TrainingSession> b)
    {
        b.ToTable("Sessions");
        b.HasOne<FicheAction>().WithMany().HasForeignKey(s => s.FicheActionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organisation>().WithMany().HasForeignKey(s => s.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.Property(s => s.PlaceCommuneInsee).HasMaxLength(5);
        b.Property(s => s.CancellationReason).HasMaxLength(TrainingSession.MaxCancellationReasonLength);
        b.Property(s => s.ExternalReference).HasMaxLength(TrainingSession.MaxReferenceLength);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.HasIndex(s => new { s.OrganisationId, s.Start });
        b.HasIndex(s => new { s.Status, s.Start });
        b.HasIndex(s => new { s.Status, s.RegistrationDeadline });
        b.HasIndex(s => s.FicheActionId);
        b.HasIndex(s => s.PlaceCommuneInsee);
        b.HasIndex(s => s.ExternalReference);
        b.Ignore(s => s.PublicationDate);
        b.Ignore(s => s.IsOpenToPrescription);
    }
}

internal sealed class InfoSessionConfiguration : IEntityTypeConfiguration<InfoSession>
{
    public void Configure(EntityTypeBuilder<InfoSession> b)
    {
        b.HasOne<TrainingSession>().WithMany().HasForeignKey(i => i.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => new { i.SessionId, i.StartsAt });
        b.HasIndex(i => i.StartsAt);
        b.Property(i => i.Place).HasMaxLength(300);
        b.Property(i => i.WhatToBring).HasMaxLength(1000);
    }
}

internal sealed class QualityThresholdConfiguration : IEntityTypeConfiguration<Portal.Domain.Quality.QualityThreshold>
{
    public void Configure(EntityTypeBuilder<Portal.Domain.Quality.QualityThreshold> b)
    {
        b.Property(t => t.IndicatorKey).HasMaxLength(64);
        b.HasIndex(t => t.IndicatorKey).IsUnique();
    }
}

internal sealed class QualityAlertConfiguration : IEntityTypeConfiguration<Portal.Domain.Quality.QualityAlert>
{
    public void Configure(EntityTypeBuilder<Portal.Domain.Quality.QualityAlert> b)
    {
        b.HasOne<Organisation>().WithMany().HasForeignKey(a => a.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        b.Property(a => a.ForwardComment).HasMaxLength(Portal.Domain.Quality.QualityAlert.MaxCommentLength);
        b.Property(a => a.IndicatorKey).HasMaxLength(Portal.Domain.Quality.QualityAlert.MaxIndicatorKeyLength);
        // Q2: one open alert per (kind, actor, indicator) — the job is idempotent. The key is "" (never NULL) when the
        // kind has no indicator, so that the unique index holds (NULLs are distinct in a unique index).
        b.HasIndex(a => new { a.Kind, a.OrganisationId, a.IndicatorKey }).IsUnique().HasFilter("\"ResolvedAt\" IS NULL");
        b.HasIndex(a => a.RaisedAt);
        // Q2: an actor's open alerts, oldest first, one page at a time.
        b.HasIndex(a => new { a.OrganisationId, a.ResolvedAt, a.RaisedAt });
    }
}

internal sealed class ConvocationWarningConfiguration : IEntityTypeConfiguration<ConvocationWarning>
{
    public void Configure(EntityTypeBuilder<ConvocationWarning> b)
    {
        b.HasOne<InfoSession>().WithMany().HasForeignKey(w => w.InfoSessionId).OnDelete(DeleteBehavior.Cascade);
        // S3: one warning per info session (the job is idempotent).
        b.HasIndex(w => w.InfoSessionId).IsUnique();
        b.HasIndex(w => new { w.TrainingBodyId, w.ResolvedAt });
        b.HasIndex(w => w.RaisedAt);
        b.Ignore(w => w.IsOpen);
    }
}

internal sealed class SelectionCommissionConfiguration : IEntityTypeConfiguration<SelectionCommission>
{
    public void Configure(EntityTypeBuilder<SelectionCommission> b)
    {
        b.HasOne<TrainingSession>().WithMany().HasForeignKey(c => c.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => c.SessionId).IsUnique();
        b.Property(c => c.Outcome).HasMaxLength(4000);
    }
}

internal sealed class CandidateConfiguration : IEntityTypeConfiguration<Candidate>
{
    public void Configure(EntityTypeBuilder<Candidate> b)
    {
        b.ToTable("Candidates"); // pinned: the set is AllCandidates in IAppDbContext (issue #15), the table keeps its name
        b.HasOne<Organisation>().WithMany().HasForeignKey(c => c.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.Property(c => c.FirstName).HasMaxLength(100);
        b.Property(c => c.LastName).HasMaxLength(100);
        b.Property(c => c.CommuneInsee).HasMaxLength(5);
        b.Property(c => c.ProjectRomeCode).HasMaxLength(5);
        b.Property(c => c.Email).HasMaxLength(Candidate.MaxEmailLength);
        b.Property(c => c.Phone).HasMaxLength(Candidate.MaxPhoneLength);
        b.Property(c => c.FranceTravailId).HasMaxLength(Candidate.MaxFranceTravailIdLength);
        b.Property(c => c.EducationLevel).HasMaxLength(Candidate.MaxEducationLevelLength);
        b.HasIndex(c => new { c.OrganisationId, c.LastName, c.FirstName });
        // The prescriber's dashboard (issue #12 (4)): the scope's organisation beside the referent, so that counting their
        // candidates reads the index alone (at 1M, 1,296 candidates counted in 0.1 ms instead of 4 ms of table reads).
        b.HasIndex(c => new { c.ReferentUserId, c.OrganisationId, c.LastName, c.FirstName });
        b.Property(c => c.ChoicesVersion).IsConcurrencyToken();
        b.Ignore(c => c.DisplayName);
        // Issue #14 (4), ADR 0025: the retention job reads the candidates not yet pseudonymised, oldest activity first.
        b.HasIndex(c => new { c.IsPseudonymised, c.LastActivityAt });
    }
}

internal sealed class PrescriptionConfiguration : IEntityTypeConfiguration<Prescription>
{
    public void Configure(EntityTypeBuilder<Prescription> b)
    {
        b.ToTable("Prescriptions"); // pinned: the set is AllPrescriptions in IAppDbContext (issue #15), the table keeps its name
        b.HasOne<Candidate>().WithMany().HasForeignKey(p => p.CandidateId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<TrainingSession>().WithMany().HasForeignKey(p => p.SessionId).OnDelete(DeleteBehavior.Restrict);
        // A value object: a complex type (not an owned entity), so that one form instance may be shared.
        b.ComplexProperty(p => p.Form, f =>
        {
            f.Property(x => x.PriorPath).HasColumnName("PriorPath").HasMaxLength(PrescriptionForm.MaxTextLength);
            f.Property(x => x.ProjectValidation).HasColumnName("ProjectValidation").HasMaxLength(PrescriptionForm.MaxTextLength);
            f.Property(x => x.CandidateAgreement).HasColumnName("CandidateAgreement");
            f.Property(x => x.MaterialConditions).HasColumnName("MaterialConditions").HasMaxLength(PrescriptionForm.MaxTextLength);
            f.Property(x => x.Feasibility).HasColumnName("Feasibility").HasMaxLength(PrescriptionForm.MaxTextLength);
            f.Property(x => x.RqthDeclared).HasColumnName("RqthDeclared");
            f.Property(x => x.Motivations).HasColumnName("Motivations").HasMaxLength(PrescriptionForm.MaxTextLength);
            f.Property(x => x.Barriers).HasColumnName("Barriers").HasMaxLength(PrescriptionForm.MaxTextLength);
            f.Property(x => x.CriteriaReviewed).HasColumnName("CriteriaReviewed");
        });
        b.HasMany(p => p.History).WithOne().HasForeignKey(t => t.PrescriptionId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(p => p.History).HasField("_history");
        b.Ignore(p => p.IsActive);
        // ADR 0026: each reason keeps its kind and the code of the reason picked in the list; its label is looked up.
        b.OwnsMany(p => p.NonSelectionReasons, r =>
        {
            r.ToJson();
            r.Ignore(x => x.Label);
        });
        b.Property(p => p.CandidateExplanation).HasMaxLength(Prescription.MaxExplanationLength);
        b.Property(p => p.PrescriberExplanation).HasMaxLength(Prescription.MaxExplanationLength);
        // The reasons' texts joined: at most one line per reason kind, each precision at most NonSelectionReason.MaxDetailLength.
        b.Property(p => p.DecisionReasons).HasMaxLength(Prescription.MaxDecisionReasonsLength);
        b.Property(p => p.Version).IsConcurrencyToken();
        b.HasMany(p => p.Attachments).WithOne().HasForeignKey(a => a.PrescriptionId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(p => p.Attachments).HasField("_attachments");
        // Indexes that fit the screens: the OF's session (waitlist order, O9), the prescriber's
        // organisation, the candidate's choices (P6), and the jobs' status scans.
        b.HasIndex(p => new { p.SessionId, p.Status, p.CreatedAt });
        // O9: a session's prescriptions paged in order of prescription (the OF's session page).
        b.HasIndex(p => new { p.SessionId, p.CreatedAt, p.Id });
        b.HasIndex(p => new { p.PrescriberOrganisationId, p.Status });
        b.HasIndex(p => new { p.CandidateId, p.Status });
        b.HasIndex(p => new { p.TrainingBodyId, p.Status });
        // O9: the offered places awaiting an answer (a handful), for the lapse job: a partial index, empty but for them.
        b.HasIndex(p => p.OfferDeadline).HasFilter("\"OfferDeadline\" IS NOT NULL");
        // S3: the info session the candidate is convoked to (an info session with convocations cannot be deleted).
        b.HasOne<InfoSession>().WithMany().HasForeignKey(p => p.ConvokedInfoSessionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => new { p.ConvokedInfoSessionId, p.Status });
        b.Property(p => p.AbsenceJustification).HasMaxLength(2000);
        // Q1, Q3, Q4 at scale (ADR 0011): facts kept by the database's triggers (ObservatoryFactsSql), never written by EF.
        b.Property<int>(ObservatoryFacts.Situation);
        b.Property<DateOnly?>(ObservatoryFacts.BirthDate);
        b.Property<string?>(ObservatoryFacts.ResidenceDepartement).HasMaxLength(3);
        b.Property<string?>(ObservatoryFacts.PlaceDepartement).HasMaxLength(3);
        b.Property<double?>(ObservatoryFacts.JourneyKm);
        b.Property<bool>(ObservatoryFacts.EverSelected);
        b.Property<DateTimeOffset?>(ObservatoryFacts.FirstDecisionAt);
        b.Property<bool>(ObservatoryFacts.FormComplete);
        b.Property<bool>(ObservatoryFacts.Explained);
        b.Property<int>(ObservatoryFacts.ReasonKinds);
        b.Property<string?>(ObservatoryFacts.ProjectRome).HasMaxLength(5);
        b.Property<bool>(ObservatoryFacts.ProjectMatchesAction);
        b.Property<int>(ObservatoryFacts.JourneyBand);
        // Covering indexes of the observatories, led by the columns they group by (so that SQLite reads the groups in
        // index order, skipping to the period inside each, instead of sorting every row of the period), then the period.
        b.HasIndex(ObservatoryFacts.Situation, ObservatoryFacts.ResidenceDepartement, ObservatoryFacts.JourneyBand, "CreatedAt", ObservatoryFacts.BirthDate,
                ObservatoryFacts.EverSelected, "Status", ObservatoryFacts.JourneyKm, "TrainingBodyId", ObservatoryFacts.PlaceDepartement)
            .HasDatabaseName("IX_Prescriptions_AccessObservatory");
        b.HasIndex("TrainingBodyId", "PrescriberOrganisationId", "CreatedAt", "Status", "ConvokedAt", "ConvokedInfoSessionId", "ConvokedLate",
                ObservatoryFacts.FirstDecisionAt, ObservatoryFacts.FormComplete, ObservatoryFacts.Explained)
            .HasDatabaseName("IX_Prescriptions_QualityObservatory");
        // The period alone (the evaluation report's counts per quarter).
        b.HasIndex(p => p.CreatedAt);
        // The non-selections of a period (reasons per kind, per OF and per action): the status first, then the period.
        b.HasIndex("Status", "CreatedAt", "TrainingBodyId", "SessionId", ObservatoryFacts.ReasonKinds, ObservatoryFacts.PlaceDepartement)
            .HasDatabaseName("IX_Prescriptions_ReasonsObservatory");
        // The needs (jobs of the candidates' projects): the prescriptions with a project only, then the period.
        b.HasIndex(ObservatoryFacts.ProjectRome, "CreatedAt", "TrainingBodyId", ObservatoryFacts.PlaceDepartement, "CandidateId", ObservatoryFacts.ProjectMatchesAction)
            .HasDatabaseName("IX_Prescriptions_NeedsObservatory");
    }
}

internal sealed class PrescriptionAttachmentConfiguration : IEntityTypeConfiguration<PrescriptionAttachment>
{
    public void Configure(EntityTypeBuilder<PrescriptionAttachment> b)
    {
        b.ToTable("PrescriptionAttachments"); // pinned: the set is AllPrescriptionAttachments in IAppDbContext (issue #15), the table keeps its name
        b.Property(a => a.FileName).HasMaxLength(255);
        b.Property(a => a.ContentType).HasMaxLength(100);
        b.Property(a => a.StorageKey).HasMaxLength(200);
        // P8: a document sent in the fiche complément belongs to the message that carries it.
        b.HasOne<ComplementMessage>().WithMany().HasForeignKey(a => a.ComplementMessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ComplementThreadConfiguration : IEntityTypeConfiguration<ComplementThread>
{
    public void Configure(EntityTypeBuilder<ComplementThread> b)
    {
        b.ToTable("ComplementThreads"); // pinned: the set is AllComplementThreads in IAppDbContext (issue #15), the table keeps its name
        b.HasOne<Prescription>().WithMany().HasForeignKey(t => t.PrescriptionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(t => t.PrescriptionId).IsUnique();
        b.HasMany(t => t.Messages).WithOne().HasForeignKey(m => m.ThreadId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(t => t.Messages).HasField("_messages");
    }
}

internal sealed class ComplementMessageConfiguration : IEntityTypeConfiguration<ComplementMessage>
{
    public void Configure(EntityTypeBuilder<ComplementMessage> b)
    {
        b.ToTable("ComplementMessages"); // pinned: the set is AllComplementMessages in IAppDbContext (issue #15), the table keeps its name
        b.Property(m => m.Body).HasMaxLength(ComplementThread.MaxMessageLength);
        b.HasIndex(m => new { m.ThreadId, m.At });
    }
}

internal sealed class PrescriptionTransitionConfiguration : IEntityTypeConfiguration<PrescriptionTransition>
{
    public void Configure(EntityTypeBuilder<PrescriptionTransition> b)
    {
        b.ToTable("PrescriptionTransitions"); // pinned: the set is AllPrescriptionTransitions in IAppDbContext (issue #15), the table keeps its name
        b.HasIndex(t => new { t.PrescriptionId, t.At });
        b.Property(t => t.Reason).HasMaxLength(PrescriptionTransition.MaxReasonLength);
        b.HasIndex(t => new { t.To, t.At });
    }
}

internal sealed class CommuneConfiguration : IEntityTypeConfiguration<Commune>
{
    public void Configure(EntityTypeBuilder<Commune> b)
    {
        b.HasKey(c => c.InseeCode);
        b.Property(c => c.InseeCode).HasMaxLength(5);
        b.Property(c => c.Name).HasMaxLength(Portal.Application.Features.Administration.ReferenceFiles.CommuneNameMax);
        b.Property(c => c.DepartementCode).HasMaxLength(3);
        b.Property(c => c.DepartementName).HasMaxLength(Portal.Application.Features.Administration.ReferenceFiles.CommuneNameMax);
        b.Property(c => c.PostalCodes).HasMaxLength(Portal.Application.Features.Administration.ReferenceFiles.PostalCodesMax);
        b.HasIndex(c => c.Name);
        b.HasIndex(c => c.DepartementCode);
        // The catalogue's distance search first keeps the communes inside a bounding box.
        b.HasIndex(c => new { c.Latitude, c.Longitude });
    }
}

/// <summary>Issue #14 (3), ADR 0026: the reference list of non-selection reasons, installed with one reason per kind.</summary>
internal sealed class NonSelectionReasonEntryConfiguration : IEntityTypeConfiguration<NonSelectionReasonEntry>
{
    public void Configure(EntityTypeBuilder<NonSelectionReasonEntry> b)
    {
        b.ToTable("NonSelectionReasons");
        b.HasKey(r => r.Code);
        b.Property(r => r.Code).HasMaxLength(NonSelectionReasonEntry.MaxCodeLength);
        b.Property(r => r.Label).HasMaxLength(NonSelectionReasonEntry.MaxLabelLength);
        // The labels the portal showed before the list existed (Labels.cs), so that nothing existing changes.
        b.HasData(NonSelectionReasonEntry.Seed.Select((s, i) => new NonSelectionReasonEntry(s.Code, Portal.Domain.Common.Labels.Label(s.Kind), s.Kind, true, i + 1)));
    }
}

internal sealed class RomeCodeConfiguration : IEntityTypeConfiguration<RomeCode>
{
    public void Configure(EntityTypeBuilder<RomeCode> b)
    {
        b.HasKey(r => r.Code);
        b.Property(r => r.Code).HasMaxLength(5);
        b.Property(r => r.Label).HasMaxLength(Portal.Application.Features.Administration.ReferenceFiles.RomeLabelMax);
    }
}

internal sealed class PersonalDataLogConfiguration : IEntityTypeConfiguration<PersonalDataLogEntry>
{
    public void Configure(EntityTypeBuilder<PersonalDataLogEntry> b)
    {
        b.ToTable("PersonalDataLog");
        b.HasIndex(l => new { l.CandidateId, l.At });
        b.HasIndex(l => new { l.OrganisationId, l.At });
        b.Property(l => l.Detail).HasMaxLength(PersonalDataLogEntry.MaxDetailLength);
    }
}

internal sealed class SensitiveReadLogConfiguration : IEntityTypeConfiguration<SensitiveReadLog>
{
    public void Configure(EntityTypeBuilder<SensitiveReadLog> b)
    {
        b.ToTable("SensitiveReads"); // pinned: the set is AllSensitiveReads in IAppDbContext (issue #15), the table keeps its name
        b.HasIndex(r => new { r.CandidateId, r.At });
        // Issue #14 (4): the administrator's journal, the latest reads first.
        b.HasIndex(r => r.At);
        b.Property(r => r.Field).HasMaxLength(50);
    }
}

internal sealed class ArbitrationConfiguration : IEntityTypeConfiguration<Arbitration>
{
    /// <summary>The unique index that keeps one open case per prescription (S10).</summary>
    public const string OneOpenCaseIndex = "IX_Arbitrations_OneOpenPerPrescription";

    public void Configure(EntityTypeBuilder<Arbitration> b)
    {
        b.ToTable("Arbitrations"); // pinned: the set is AllArbitrations in IAppDbContext (issue #15), the table keeps its name
        b.HasOne<Prescription>().WithMany().HasForeignKey(a => a.PrescriptionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Organisation>().WithMany().HasForeignKey(a => a.AssignedOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.Property(a => a.PrescriberArgument).HasMaxLength(Arbitration.MaxArgumentLength);
        b.Property(a => a.TrainingBodyArgument).HasMaxLength(Arbitration.MaxArgumentLength);
        b.Property(a => a.OutcomeText).HasMaxLength(Arbitration.MaxArgumentLength);
        b.Ignore(a => a.IsOpen);
        b.HasIndex(a => a.PrescriptionId).IsUnique().HasFilter("\"Status\" = 0").HasDatabaseName(OneOpenCaseIndex);
        // Every case of a prescription, closed ones too (the filtered index above holds only the open one): the erasure and
        // the retention job rewrite a candidate's cases by prescription (issue #14, point 4), without reading the whole table.
        b.HasIndex(a => a.PrescriptionId, "ArbitrationsByPrescription").HasDatabaseName("IX_Arbitrations_PrescriptionId");
        // S10: the arbitrator's list is paged open cases first, newest first, straight from this index.
        b.HasIndex(a => new { a.AssignedOrganisationId, a.Status, a.OpenedAt }).IsDescending(false, false, true);
    }
}

internal sealed class CandidateLinkConfiguration : IEntityTypeConfiguration<CandidateLink>
{
    public void Configure(EntityTypeBuilder<CandidateLink> b)
    {
        b.ToTable("CandidateLinks"); // pinned: the set is AllCandidateLinks in IAppDbContext (issue #15), the table keeps its name
        b.HasOne<Candidate>().WithMany().HasForeignKey(l => l.CandidateId).OnDelete(DeleteBehavior.Cascade);
        b.Property(l => l.TokenHash).HasMaxLength(64);
        b.HasIndex(l => l.TokenHash).IsUnique();
        b.HasIndex(l => new { l.CandidateId, l.CreatedAt });
    }
}

internal sealed class OutboxWatermarkConfiguration : IEntityTypeConfiguration<OutboxWatermark>
{
    public void Configure(EntityTypeBuilder<OutboxWatermark> b)
    {
        b.HasKey(w => w.Key);
        b.Property(w => w.Key).HasMaxLength(100);
        // ADR 0022: a run whose lease another run took over fails its next save instead of moving the position.
        b.Property(w => w.ClaimToken).IsConcurrencyToken();
    }
}

/// <summary>ADR 0022: the Data Protection key ring in the portal's database, shared by every server (PostgreSQL).</summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> b)
    {
        // A key's XML is about 1 KB (unencrypted at rest, like the files it replaces); its name is "key-{guid}".
        b.Property(k => k.FriendlyName).HasMaxLength(100);
        b.Property(k => k.Xml).HasMaxLength(10000);
    }
}

internal sealed class EosImportConfiguration : IEntityTypeConfiguration<EosImport>
{
    public void Configure(EntityTypeBuilder<EosImport> b)
    {
        b.ToTable("EosImports"); // pinned: the set is AllEosImports in IAppDbContext (issue #15), the table keeps its name
        b.Property(i => i.FileName).HasMaxLength(260);
        b.Property(i => i.ImportedByName).HasMaxLength(200);
        b.HasIndex(i => i.ImportedAt);
        b.HasMany(i => i.Anomalies).WithOne().HasForeignKey(a => a.ImportId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(i => i.Anomalies).HasField("_anomalies");
    }
}

internal sealed class OfflineEntryConfiguration : IEntityTypeConfiguration<OfflineEntry>
{
    public void Configure(EntityTypeBuilder<OfflineEntry> b)
    {
        b.ToTable("OfflineEntries"); // pinned: the set is AllOfflineEntries in IAppDbContext (issue #15), the table keeps its name
        b.Property(e => e.FirstName).HasMaxLength(OfflineEntry.MaxNameLength);
        b.Property(e => e.LastName).HasMaxLength(OfflineEntry.MaxNameLength);
        b.Property(e => e.FranceTravailId).HasMaxLength(OfflineEntry.MaxFranceTravailIdLength);
        b.Property(e => e.SourceDetail).HasMaxLength(OfflineEntry.MaxSourceDetailLength);
        // O1: a session's offline entries (its page, and the EOS import that reads the file's sessions at once).
        b.HasIndex(e => new { e.SessionId, e.EntryDate });
        b.HasOne<Portal.Domain.Offer.TrainingSession>().WithMany().HasForeignKey(e => e.SessionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EosAnomalyConfiguration : IEntityTypeConfiguration<EosAnomaly>
{
    public void Configure(EntityTypeBuilder<EosAnomaly> b)
    {
        b.ToTable("EosAnomalies"); // pinned: the set is AllEosAnomalies in IAppDbContext (issue #15), the table keeps its name
        b.Property(a => a.CandidateName).HasMaxLength(300);
        b.Property(a => a.FranceTravailId).HasMaxLength(50);
        b.Property(a => a.SessionReference).HasMaxLength(100);
        b.Property(a => a.TrainingTitle).HasMaxLength(300);
        // S11: the screen pages an import's anomalies by kind, line and id (and counts them per kind) from this index alone.
        b.HasIndex(a => new { a.ImportId, a.Kind, a.Line, a.Id });
        // The erasure and the retention job clear the identity EOS sent on a prescription's lines (S11, issue #14 point 4):
        // a 100,000-line import must not be read whole for each chunk of candidates.
        b.HasIndex(a => a.PrescriptionId);
    }
}
