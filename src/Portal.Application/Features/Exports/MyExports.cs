using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Export;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Exports;

namespace Portal.Application.Features.Exports;

/// <summary>"Mes exports": the user's own background exports that have not expired, newest first (nobody sees another's).</summary>
public sealed record GetMyExports
{
    public sealed record Row(
        Guid Id, string Title, string FileName, ExportFormat Format, ExportStatus Status, int RowsWritten, int TotalRows,
        string? Error, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, DateTimeOffset ExpiresAt)
    {
        /// <summary>0 to 100.</summary>
        public double Percent => Status == ExportStatus.Done ? 100 : TotalRows <= 0 ? 0 : Math.Min(100, 100.0 * RowsWritten / TotalRows);
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<IReadOnlyList<Row>> HandleAsync(CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var rows = await db.AllExportRequests.AsNoTracking()
                .Where(e => e.RequestedBy == user.UserId && e.OrganisationId == user.OrganisationId && e.ExpiresAt > now)
                .OrderByDescending(e => e.CreatedAt)
                .Take(50)
                .Select(e => new Row(e.Id, e.Title, e.FileName, e.Format, e.Status, e.RowsWritten, e.TotalRows, e.Error, e.CreatedAt, e.FinishedAt, e.ExpiresAt))
                .ToListAsync(cancellationToken);
            return rows;
        }
    }
}

/// <summary>The file of a finished background export, for its requester only (anyone else: NotFound, ADR 0001).</summary>
public sealed record GetExportFile(Guid ExportId)
{
    public sealed record Download(Stream Content, string ContentType, string FileName);

    public sealed class Handler(IAppDbContextFactory dbFactory, IFileStore files, TimeProvider clock)
    {
        public async Task<Download> HandleAsync(GetExportFile query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var request = await db.AllExportRequests.AsNoTracking()
                .FirstOrDefaultAsync(e => e.Id == query.ExportId && e.RequestedBy == user.UserId && e.OrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Export introuvable.");
            if (request.ExpiresAt <= clock.GetUtcNow())
                throw new NotFoundException("Cet export a expiré : relancez-le depuis la liste.");
            if (request.Status == ExportStatus.Failed)
                throw new DomainException(request.Error ?? "Cet export a échoué : relancez-le depuis la liste.", "Q3");
            if (request.Status != ExportStatus.Done || request.FileKey is null)
                throw new DomainException("Cet export n'est pas encore prêt : il apparaîtra dans « Mes exports » dès qu'il sera terminé.", "Q3");
            var content = await files.OpenReadAsync(request.FileKey, cancellationToken)
                ?? throw new NotFoundException("Le fichier de cet export n'est plus disponible : relancez-le depuis la liste.");
            return new Download(content, ExportWriter.ContentType(request.Format), request.FileName);
        }
    }
}

/// <summary>Deletes the expired exports and their files (recurring; idempotent; the clock is the injected <see cref="TimeProvider"/>).</summary>
public sealed class PurgeExportsJob(IAppDbContextFactory dbFactory, IFileStore files, TimeProvider clock) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var expired = await db.AllExportRequests.Where(e => e.ExpiresAt <= now).Select(e => new { e.Id, e.FileKey }).ToListAsync(cancellationToken);
        foreach (var file in expired.Where(e => e.FileKey is not null))
            await files.DeleteAsync(file.FileKey!, cancellationToken);
        var ids = expired.Select(e => e.Id).ToList();
        await db.AllExportRequests.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
    }
}
