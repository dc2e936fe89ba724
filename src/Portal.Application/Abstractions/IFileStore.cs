namespace Portal.Application.Abstractions;

/// <summary>
/// Where uploaded files live (outside the database and outside wwwroot): a stream is saved under a key
/// the store generates, opened again by that key, and deleted. Callers check type and size first.
/// </summary>
public interface IFileStore
{
    /// <summary>Saves <paramref name="content"/> and returns the generated key and the number of bytes written.</summary>
    /// <exception cref="FileTooLargeException">More than <paramref name="maxBytes"/> bytes: nothing is kept.</exception>
    Task<StoredFile> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default);

    /// <summary>Opens a stored file for reading; null when no file has that key.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes a stored file; does nothing when it is already gone.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}

public sealed record StoredFile(string Key, long Size);

/// <summary>The stream was longer than the limit given to <see cref="IFileStore.SaveAsync"/>.</summary>
public sealed class FileTooLargeException(long maxBytes) : Exception($"The file exceeds {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
