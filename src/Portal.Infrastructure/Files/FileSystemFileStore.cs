using System.Text.RegularExpressions;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Files;

/// <summary>
/// Uploaded files on disk under {DataDirectory}/uploads: never under wwwroot, so nothing is served
/// without going through a handler's authorization. Keys are generated (a GUID), never a user's file name.
/// </summary>
public sealed partial class FileSystemFileStore : IFileStore
{
    private readonly string _root;

    public FileSystemFileStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    public async Task<StoredFile> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default)
    {
        var key = Guid.CreateVersion7().ToString("N");
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".part";
        long written = 0;
        try
        {
            await using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    written += read;
                    if (written > maxBytes) throw new FileTooLargeException(maxBytes);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            File.Move(temporary, path);
            return new StoredFile(key, written);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!IsKey(key)) return Task.FromResult<Stream?>(null);
        var path = PathOf(key);
        if (!File.Exists(path)) return Task.FromResult<Stream?>(null);
        return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        if (IsKey(key))
        {
            var path = PathOf(key);
            if (File.Exists(path)) File.Delete(path);
        }
        return Task.CompletedTask;
    }

    /// <summary>Keys are 32 hex digits: anything else (a path, "..") never reaches the file system.</summary>
    private static bool IsKey(string key) => key is not null && KeyPattern().IsMatch(key);

    private string PathOf(string key) => Path.Combine(_root, key[..2], key);

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();
}
