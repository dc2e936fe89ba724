using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Export;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Exports;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Exports;

/// <summary>
/// Writes a queued export (Q3, Q4) page by page into a file of the file store, recording its progress and
/// publishing it live to its requester. The requester's rights are read again from the database (an account
/// closed meanwhile exports nothing). A failure is final and explained in French; a finished export is left alone.
/// </summary>
public sealed class ExportJob(
    ListExports lists, IAppDbContextFactory dbFactory, IFileStore files, ILiveNotifier notifier, TimeProvider clock,
    ExportSettings settings, ExportWriter writer)
{
    public const string TechnicalFailure = "L'export a échoué sur une erreur technique : relancez-le depuis la liste ; si le problème persiste, contactez l'administrateur.";

    public async Task RunAsync(Guid exportId, CancellationToken cancellationToken)
    {
        ExportRequest request;
        await using (var db = await dbFactory.CreateAsync(cancellationToken))
        {
            var found = await db.AllExportRequests.AsNoTracking().FirstOrDefaultAsync(e => e.Id == exportId, cancellationToken);
            if (found is null || found.IsFinished) return;
            request = found;
        }
        try
        {
            var user = await LoadUserAsync(request, cancellationToken);
            var list = lists.Find(request.ListKey);
            var source = await list.OpenAsync(ExportParameters.FromJson(request.ParametersJson), user, cancellationToken);
            await UpdateAsync(exportId, r => r.Start(source.Total), cancellationToken);
            await PublishAsync(request, ExportStatus.Running, 0, source.Total);

            var written = 0;
            var rows = source.RowsAsync(settings.PageSize, async count =>
            {
                written = count;
                await SetProgressAsync(exportId, count, cancellationToken);
                await PublishAsync(request, ExportStatus.Running, count, Math.Max(count, source.Total));
            }, cancellationToken);

            StoredFile stored;
            await using (var temporary = new FileStream(Path.Combine(Path.GetTempPath(), $"portal-export-{exportId:N}.part"), FileMode.Create,
                FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous))
            {
                await writer.WriteAsync(temporary, request.Format, source, rows, cancellationToken);
                temporary.Position = 0;
                stored = await files.SaveAsync(temporary, long.MaxValue, cancellationToken);
            }
            var now = clock.GetUtcNow();
            await UpdateAsync(exportId, r => r.Complete(stored.Key, stored.Size, written, now), cancellationToken);
            await PublishAsync(request, ExportStatus.Done, written, Math.Max(written, source.Total));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var message = ex is NotFoundException or AccessDeniedException or DomainException
                ? $"L'export a échoué : {ex.Message}"
                : TechnicalFailure;
            var now = clock.GetUtcNow();
            await UpdateAsync(exportId, r => r.Fail(message, now), CancellationToken.None);
            await PublishAsync(request, ExportStatus.Failed, 0, request.TotalRows);
        }
    }

    private async Task<CurrentUser> LoadUserAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Include(u => u.Memberships).FirstOrDefaultAsync(u => u.Id == request.RequestedBy, cancellationToken);
        var roles = user?.Memberships.Where(m => m.OrganisationId == request.OrganisationId).Select(m => m.Role).ToHashSet() ?? [];
        if (user is null || !user.IsActive || roles.Count == 0)
            throw new AccessDeniedException("le compte qui l'a demandé n'a plus accès à cette organisation.");
        var org = await db.Organisations.AsNoTracking().FirstAsync(o => o.Id == request.OrganisationId, cancellationToken);
        return new CurrentUser(user.Id, user.DisplayName, org.Id, org.Name, org.Kind, org.TerritoryId, roles);
    }

    private async Task UpdateAsync(Guid exportId, Action<ExportRequest> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var request = await db.AllExportRequests.FirstAsync(e => e.Id == exportId, cancellationToken);
        change(request);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task SetProgressAsync(Guid exportId, int rows, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var running = ExportStatus.Running;
        await db.AllExportRequests.Where(e => e.Id == exportId && e.Status == running)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.RowsWritten, rows), cancellationToken);
    }

    private Task PublishAsync(ExportRequest request, ExportStatus status, int rows, int total) =>
        notifier.PublishAsync(new ExportProgressed(request.Id, request.RequestedBy, status, rows, total));
}
