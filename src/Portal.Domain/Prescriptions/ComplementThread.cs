using Portal.Domain.Common;

namespace Portal.Domain.Prescriptions;

/// <summary>
/// P8: the fiche complément, a thread between the prescriber and the OF on one prescription, which calls
/// for a contact before the information session, in particular for fragile publics.
/// </summary>
public sealed class ComplementThread : Entity
{
    public const int MaxMessageLength = 4000;

    private readonly List<ComplementMessage> _messages = [];

    private ComplementThread() { }

    public ComplementThread(Guid prescriptionId, Guid openedBy, bool fragilePublic, string firstMessage, DateTimeOffset now)
    {
        PrescriptionId = prescriptionId;
        OpenedBy = openedBy;
        OpenedAt = now;
        FragilePublic = fragilePublic;
        Post(openedBy, ComplementSide.Prescriber, firstMessage, now);
    }

    public Guid PrescriptionId { get; private set; }
    public Guid OpenedBy { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }

    /// <summary>P8: the candidate belongs to a fragile public: the OF is expected to call before the info session.</summary>
    public bool FragilePublic { get; private set; }

    /// <summary>When the OF first answered (Q2: complements answered before the info session).</summary>
    public DateTimeOffset? FirstAnsweredAt { get; private set; }

    public IReadOnlyList<ComplementMessage> Messages => _messages;

    public ComplementMessage Post(Guid author, ComplementSide side, string body, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(body)) throw new DomainException("Le message est vide.", "P8");
        if (body.Length > MaxMessageLength) throw new DomainException($"Le message dépasse {MaxMessageLength} caractères.", "P8");
        var message = new ComplementMessage(Id, author, side, body.Trim(), now);
        _messages.Add(message);
        if (side == ComplementSide.TrainingBody) FirstAnsweredAt ??= now;
        return message;
    }

    /// <summary>
    /// P8: either side sends a document in the thread; it arrives as a message naming the file, and counts as an
    /// answer when the OF sends it. <paramref name="documentsSoFar"/> is the thread's count of documents.
    /// </summary>
    public ComplementDocument SendDocument(Guid author, ComplementSide side, string fileName, string contentType, long size, string storageKey,
        int documentsSoFar, DateTimeOffset now)
    {
        if (documentsSoFar >= PrescriptionAttachment.MaxPerComplement)
            throw new DomainException($"Au plus {PrescriptionAttachment.MaxPerComplement} documents par fiche complément.", "P8");
        var attachment = new PrescriptionAttachment(PrescriptionId, fileName, contentType, size, storageKey, author, now);
        var message = Post(author, side, $"Document joint : {attachment.FileName}", now);
        attachment.CarriedBy(message);
        return new ComplementDocument(message, attachment);
    }
}

/// <summary>P8: a document sent in the fiche complément travels as a message that names it.</summary>
public sealed record ComplementDocument(ComplementMessage Message, PrescriptionAttachment Attachment);

public enum ComplementSide
{
    Prescriber = 1,
    TrainingBody = 2,
}

public sealed class ComplementMessage : Entity
{
    private ComplementMessage() { }

    internal ComplementMessage(Guid threadId, Guid authorUserId, ComplementSide side, string body, DateTimeOffset at)
    {
        ThreadId = threadId;
        AuthorUserId = authorUserId;
        Side = side;
        Body = body;
        At = at;
    }

    public Guid ThreadId { get; private set; }
    public Guid AuthorUserId { get; private set; }
    public ComplementSide Side { get; private set; }
    public string Body { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}
