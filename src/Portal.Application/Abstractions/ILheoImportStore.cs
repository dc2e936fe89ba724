namespace Portal.Application.Abstractions;

/// <summary>Keeps an uploaded LHEO file until its import job has run (the job may run on another server or after a restart).</summary>
public interface ILheoImportStore
{
    Task SaveAsync(Guid importId, Stream content, CancellationToken cancellationToken);

    Stream Open(Guid importId);

    void Delete(Guid importId);
}
