using Portal.Infrastructure.Files;

namespace Portal.Testing;

/// <summary>The real filesystem store in a temporary folder of its own, deleted at the end of the test.</summary>
public sealed class TempFileStore : IDisposable
{
    public TempFileStore()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"portal-uploads-{Guid.NewGuid():N}");
        Store = new FileSystemFileStore(Directory);
    }

    public string Directory { get; }

    public FileSystemFileStore Store { get; }

    /// <summary>Every file kept by the store (a refused upload must leave none behind).</summary>
    public IReadOnlyList<string> Files() => System.IO.Directory.Exists(Directory)
        ? System.IO.Directory.GetFiles(Directory, "*", SearchOption.AllDirectories)
        : [];

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>Small files whose first bytes are those of real documents (magic bytes), for upload tests.</summary>
public static class SampleFiles
{
    public static byte[] Pdf(int size = 2048) => WithHeader("%PDF-1.7\n"u8.ToArray(), size);

    public static byte[] Png(int size = 1024) => WithHeader([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], size);

    public static byte[] Jpeg(int size = 1024) => WithHeader([0xFF, 0xD8, 0xFF, 0xE0], size);

    public static byte[] Zip(int size = 1024) => WithHeader([0x50, 0x4B, 0x03, 0x04], size);

    /// <summary>A Windows executable ("MZ"), whatever it is named.</summary>
    public static byte[] Executable(int size = 1024) => WithHeader("MZ"u8.ToArray(), size);

    public static byte[] Text(int size = 512) => WithHeader("Bonjour, ceci est un texte."u8.ToArray(), size);

    public static MemoryStream Stream(byte[] bytes) => new(bytes, writable: false);

    private static byte[] WithHeader(byte[] header, int size)
    {
        var bytes = new byte[Math.Max(size, header.Length)];
        header.CopyTo(bytes, 0);
        for (var i = header.Length; i < bytes.Length; i++) bytes[i] = (byte)('a' + i % 26);
        return bytes;
    }
}
