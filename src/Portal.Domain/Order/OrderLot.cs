using Portal.Domain.Common;

namespace Portal.Domain.Order;

public enum LotStatus
{
    /// <summary>Tender in progress (before the deadline) or being examined (after it).</summary>
    Open = 0,

    /// <summary>Déclaré infructueux: no satisfactory answer.</summary>
    Unsuccessful = 1,

    /// <summary>The award was notified to an OF: its validated fiche action replaces the annexes (O3).</summary>
    Awarded = 2,
}

public enum TenderDocumentKind
{
    /// <summary>The tender file itself (DCE): withdrawn after the tender deadline (O3).</summary>
    TenderFile = 1,

    /// <summary>An annex of the tender: stays online for prescribers until the award (O3).</summary>
    Annex = 2,
}

/// <summary>A lot of the regional order (commande régionale): title, territory, volume, tender deadline (O3).</summary>
public sealed class OrderLot : Entity
{
    private readonly List<TenderDocument> _documents = [];

    private OrderLot() { }

    public OrderLot(string title, Guid territoryId, int volume, DateOnly tenderDeadline, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(title)) throw new DomainException("L'intitulé du lot est obligatoire.", "O3");
        if (volume <= 0) throw new DomainException("Le volume du lot doit être d'au moins une place.", "O3");
        Title = title.Trim();
        TerritoryId = territoryId;
        Volume = volume;
        TenderDeadline = tenderDeadline;
        PublishedAt = now;
        Status = LotStatus.Open;
    }

    public string Title { get; private set; } = "";
    public Guid TerritoryId { get; private set; }

    /// <summary>Number of training places ordered.</summary>
    public int Volume { get; private set; }

    public DateOnly TenderDeadline { get; private set; }
    public DateTimeOffset PublishedAt { get; private set; }
    public LotStatus Status { get; private set; }
    public Guid? AwardedOrganisationId { get; private set; }
    public Guid? AwardedFicheActionId { get; private set; }
    public DateTimeOffset? AwardNotifiedAt { get; private set; }
    public IReadOnlyList<TenderDocument> Documents => _documents;

    public TenderDocument AddDocument(TenderDocumentKind kind, string fileName, string contentType, long size, string storageKey, DateTimeOffset now)
    {
        if (Status == LotStatus.Awarded) throw new DomainException("Le lot est attribué : ses documents de consultation ne se modifient plus.", "O3");
        var document = new TenderDocument(Id, kind, fileName, contentType, size, storageKey, now);
        _documents.Add(document);
        return document;
    }

    /// <summary>O3: a lot without a satisfactory answer is declared infructueux; its annexes stay online.</summary>
    public void DeclareUnsuccessful(DateTimeOffset now)
    {
        if (Status != LotStatus.Open) throw new DomainException("Seul un lot en cours peut être déclaré infructueux.", "O3");
        if (FrenchDay(now) <= TenderDeadline) throw new DomainException($"Un lot ne peut être déclaré infructueux qu'après la date limite de réponse ({TenderDeadline:dd/MM/yyyy}).", "O3");
        Status = LotStatus.Unsuccessful;
    }

    /// <summary>O3: once the award is notified, the OF's validated fiche action replaces the annexes.</summary>
    public void Award(Guid organisationId, Guid ficheActionId, bool ficheValidated, DateTimeOffset now)
    {
        if (Status == LotStatus.Awarded) throw new DomainException("Ce lot est déjà attribué.", "O3");
        if (FrenchDay(now) <= TenderDeadline) throw new DomainException($"Un lot ne peut être attribué qu'après la date limite de réponse ({TenderDeadline:dd/MM/yyyy}).", "O3");
        if (!ficheValidated) throw new DomainException("Le lot ne peut être attribué qu'avec une fiche action validée par la Région.", "O3");
        Status = LotStatus.Awarded;
        AwardedOrganisationId = organisationId;
        AwardedFicheActionId = ficheActionId;
        AwardNotifiedAt = now;
    }

    /// <summary>O3: what prescribers see of the lot at <paramref name="now"/>.</summary>
    public IReadOnlyList<TenderDocument> DocumentsVisibleToPrescribers(DateTimeOffset now) => Status switch
    {
        LotStatus.Awarded => [],
        _ when FrenchDay(now) > TenderDeadline => [.. _documents.Where(d => d.Kind == TenderDocumentKind.Annex)],
        _ => [.. _documents],
    };

    public static bool TenderFileVisible(DateOnly tenderDeadline, LotStatus status, DateOnly today) =>
        status == LotStatus.Open && today <= tenderDeadline;

    private static DateOnly FrenchDay(DateTimeOffset now) => DateOnly.FromDateTime(FrenchTime.ToFrance(now).DateTime);
}

/// <summary>A document of a lot; its bytes are stored outside the database under <see cref="StorageKey"/>.</summary>
public sealed class TenderDocument : Entity
{
    /// <summary>Largest accepted upload (10 MB).</summary>
    public const long MaxSize = 10 * 1024 * 1024;

    private TenderDocument() { }

    internal TenderDocument(Guid lotId, TenderDocumentKind kind, string fileName, string contentType, long size, string storageKey, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(fileName)) throw new DomainException("Le nom du document est obligatoire.", "O3");
        if (size <= 0) throw new DomainException("Le document est vide.", "O3");
        if (size > MaxSize) throw new DomainException("Le document dépasse 10 Mo.", "O3");
        LotId = lotId;
        Kind = kind;
        FileName = Path.GetFileName(fileName.Trim());
        ContentType = contentType;
        Size = size;
        StorageKey = storageKey;
        UploadedAt = now;
    }

    public Guid LotId { get; private set; }
    public TenderDocumentKind Kind { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public long Size { get; private set; }
    public string StorageKey { get; private set; } = "";
    public DateTimeOffset UploadedAt { get; private set; }
}
