using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Lheo;

/// <summary>Uploaded LHEO files wait for their import job in {DataDirectory}/imports/lheo.</summary>
public sealed class FileLheoImportStore(string directory) : ILheoImportStore
{
    public async Task SaveAsync(Guid importId, Stream content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await using var file = File.Create(PathOf(importId));
        await content.CopyToAsync(file, cancellationToken);
    }

    public Stream Open(Guid importId) => File.OpenRead(PathOf(importId));

    public void Delete(Guid importId)
    {
        try { File.Delete(PathOf(importId)); }
        catch (IOException) { }
    }

    private string PathOf(Guid importId) => Path.Combine(directory, $"{importId:N}.xml");
}
