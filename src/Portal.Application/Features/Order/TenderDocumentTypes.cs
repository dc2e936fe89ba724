namespace Portal.Application.Features.Order;

/// <summary>
/// The kinds of files accepted as tender documents (O3), recognised by their content (magic bytes), not
/// only by their name: PDF, PNG, JPEG, and the zip-based office formats (Word, Excel, OpenDocument).
/// </summary>
public static class TenderDocumentTypes
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs.</summary>
    public const int HeaderLength = Files.CheckedUpload.HeaderLength;

    /// <summary>The French sentence for a refused type, naming what is accepted.</summary>
    public const string Refusal =
        "Type de document non accepté : déposez un PDF, une image PNG ou JPEG, ou un document Word, Excel ou OpenDocument (.docx, .xlsx, .odt, .ods).";

    /// <summary>Shown next to the upload button (the same list as <see cref="Refusal"/>).</summary>
    public const string AcceptAttribute = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.ods";

    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];

    private static readonly Dictionary<string, string> ZipFormats = new(StringComparer.OrdinalIgnoreCase)
    {
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".odt"] = "application/vnd.oasis.opendocument.text",
        [".ods"] = "application/vnd.oasis.opendocument.spreadsheet",
    };

    /// <summary>
    /// The content type of a file whose first bytes are <paramref name="header"/> and whose name is
    /// <paramref name="fileName"/>; null when the content is not an accepted type or does not match the
    /// extension (a PNG renamed .pdf, an executable renamed .docx...).
    /// </summary>
    public static string? Detect(ReadOnlySpan<byte> header, string fileName)
    {
        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (header.StartsWith(Pdf)) return extension == ".pdf" ? "application/pdf" : null;
        if (header.StartsWith(Png)) return extension == ".png" ? "image/png" : null;
        if (header.StartsWith(Jpeg)) return extension is ".jpg" or ".jpeg" ? "image/jpeg" : null;
        if (header.StartsWith(Zip)) return ZipFormats.GetValueOrDefault(extension);
        return null;
    }
}
