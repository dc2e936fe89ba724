using Portal.Domain.Common;

namespace Portal.Domain.Prescriptions;

/// <summary>P4: a document attached to a prescription; its bytes live outside the database.</summary>
public sealed class PrescriptionAttachment : Entity
{
    public const long MaxSize = 5 * 1024 * 1024;
    public const int MaxPerPrescription = 10;

    /// <summary>P8: documents exchanged in the fiche complément (both sides together).</summary>
    public const int MaxPerComplement = 20;

    public static readonly string[] AllowedContentTypes = ["application/pdf", "image/png", "image/jpeg"];

    private PrescriptionAttachment() { }

    internal PrescriptionAttachment(Guid prescriptionId, string fileName, string contentType, long size, string storageKey, Guid by, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(fileName)) throw new DomainException("Le nom du document est obligatoire.", "P4");
        if (!AllowedContentTypes.Contains(contentType)) throw new DomainException("Seuls les documents PDF, PNG ou JPEG sont acceptés.", "P4");
        if (size <= 0) throw new DomainException("Le document est vide.", "P4");
        if (size > MaxSize) throw new DomainException("Le document dépasse 5 Mo.", "P4");
        PrescriptionId = prescriptionId;
        FileName = Path.GetFileName(fileName.Trim());
        ContentType = contentType;
        Size = size;
        StorageKey = storageKey;
        UploadedBy = by;
        UploadedAt = now;
    }

    internal void CarriedBy(ComplementMessage message) => ComplementMessageId = message.Id;

    public Guid PrescriptionId { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public long Size { get; private set; }
    public string StorageKey { get; private set; } = "";
    public Guid UploadedBy { get; private set; }
    public DateTimeOffset UploadedAt { get; private set; }

    /// <summary>P8: set when the document was sent in the fiche complément (with the message that carries it).</summary>
    public Guid? ComplementMessageId { get; private set; }
}
