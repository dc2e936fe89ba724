using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Exports;

namespace Portal.Infrastructure.Persistence;

internal sealed class ExportRequestConfiguration : IEntityTypeConfiguration<ExportRequest>
{
    public void Configure(EntityTypeBuilder<ExportRequest> b)
    {
        b.ToTable("ExportRequests"); // pinned: the set is AllExportRequests in IAppDbContext (issue #15), the table keeps its name
        b.Property(e => e.ListKey).HasMaxLength(60);
        b.Property(e => e.ParametersJson).HasMaxLength(2000);
        b.Property(e => e.Title).HasMaxLength(200);
        b.Property(e => e.FileName).HasMaxLength(200);
        b.Property(e => e.FileKey).HasMaxLength(64);
        b.Property(e => e.Error).HasMaxLength(1000);
        // "Mes exports": the requester's exports, newest first; the purge: the expired ones.
        b.HasIndex(e => new { e.RequestedBy, e.CreatedAt });
        b.HasIndex(e => e.ExpiresAt);
    }
}
