using Portal.Application.Abstractions;
using Portal.Application.Security;

namespace Portal.Application.Features.Lheo;

/// <summary>
/// Runs an uploaded LHEO import in the background and reports each step and the result live. The import
/// itself is all or nothing and idempotent, so a retried job does no harm; a refused file is not retried.
/// </summary>
public sealed class ImportLheoJob(ImportLheo.Handler handler, ILheoImportStore store, ILiveNotifier notifier)
{
    public async Task RunAsync(Guid importId, Guid requestedBy, Guid? onlyOrganisationId, CancellationToken cancellationToken)
    {
        var progress = new LiveProgress(importId, requestedBy, notifier);
        try
        {
            ImportLheo.Result result;
            await using (var content = store.Open(importId))
                result = await handler.HandleScopedAsync(new ImportLheo(content), onlyOrganisationId, progress, cancellationToken);
            await progress.FlushAsync();
            var warnings = result.Warnings.Count == 0 ? "" : " " + string.Join(" ", result.Warnings);
            await notifier.PublishAsync(new LheoImportProgress(importId, requestedBy, result.Summary + warnings, Finished: true, Succeeded: true), cancellationToken);
        }
        catch (Exception ex) when (ex is LheoFormatException or AccessDeniedException)
        {
            await progress.FlushAsync();
            await notifier.PublishAsync(new LheoImportProgress(importId, requestedBy, ex.Message, Finished: true), cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            await notifier.PublishAsync(new LheoImportProgress(importId, requestedBy, "Le fichier à importer n'est plus disponible : déposez-le à nouveau.", Finished: true), cancellationToken);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A technical failure: the screen learns it now; Hangfire records the exception and retries (the import is idempotent).
            await notifier.PublishAsync(new LheoImportProgress(importId, requestedBy,
                "L'import a échoué sur une erreur technique : il sera retenté automatiquement. Si le problème persiste, contactez l'administrateur.", Finished: true), cancellationToken);
            throw;
        }
        store.Delete(importId);
    }

    /// <summary>Publishes each step in order, without holding the import; the job waits for them before its final message.</summary>
    private sealed class LiveProgress(Guid importId, Guid requestedBy, ILiveNotifier notifier) : IProgress<string>
    {
        private readonly Lock _gate = new();
        private Task _pending = Task.CompletedTask;

        public void Report(string value)
        {
            lock (_gate) _pending = PublishAfterAsync(_pending, value);
        }

        public Task FlushAsync()
        {
            lock (_gate) return _pending;
        }

        private async Task PublishAfterAsync(Task previous, string value)
        {
            await previous;
            await notifier.PublishAsync(new LheoImportProgress(importId, requestedBy, value));
        }
    }
}
