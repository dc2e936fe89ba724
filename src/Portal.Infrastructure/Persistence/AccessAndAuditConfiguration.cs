using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Audit;
using Portal.Domain.Organisations;

namespace Portal.Infrastructure.Persistence;

/// <summary>Issue #14 (2), ADR 0024: access requests (one open per person) and the audit log.</summary>
internal sealed class AccessRequestConfiguration : IEntityTypeConfiguration<AccessRequest>
{
    public const string OneOpenRequestIndex = "IX_AccessRequests_UserId_Open";

    public void Configure(EntityTypeBuilder<AccessRequest> b)
    {
        b.ToTable("AccessRequests");
        b.Property(r => r.Message).HasMaxLength(AccessRequest.MessageMaxLength);
        b.Property(r => r.RefusalReason).HasMaxLength(AccessRequest.ReasonMaxLength);
        b.Property(r => r.DecidedByName).HasMaxLength(300);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.HasOne<AppUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Organisation>().WithMany().HasForeignKey(r => r.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        // The deciders' list: an organisation's pending requests, oldest first.
        b.HasIndex(r => new { r.OrganisationId, r.Status, r.CreatedAt });
        b.HasIndex(r => new { r.Status, r.CreatedAt });
        // One open request per person, also against two quick clicks.
        b.HasIndex(r => r.UserId).IsUnique().HasFilter("\"Status\" = 0").HasDatabaseName(OneOpenRequestIndex);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditEntries");
        b.Property(a => a.ActorName).HasMaxLength(AuditEntry.ActorMaxLength);
        b.Property(a => a.Target).HasMaxLength(AuditEntry.TargetMaxLength);
        b.Property(a => a.Before).HasMaxLength(AuditEntry.StateMaxLength);
        b.Property(a => a.After).HasMaxLength(AuditEntry.StateMaxLength);
        // The administrator's screen: latest first, filtered by actor, action or target.
        b.HasIndex(a => a.At);
        b.HasIndex(a => new { a.ActorId, a.At });
        b.HasIndex(a => new { a.Action, a.At });
        b.HasIndex(a => new { a.TargetId, a.At });
    }
}
