namespace Portal.Domain.Notifications;

/// <summary>
/// How far a reader of an append-only table has gone (S6: the prescription history is the outbox of the
/// prescribers' e-mails). The position only moves forward, after the work for it was done.
/// </summary>
public sealed class OutboxWatermark
{
    /// <summary>The e-mails to prescribers, read from the prescription history (S6).</summary>
    public const string PrescriberMails = "prescriber-mails";

    /// <summary>The convocations e-mailed to candidates, read from the prescription history (S3, ADR 0017).</summary>
    public const string CandidateConvocations = "candidate-convocations";

    private OutboxWatermark() { }

    public OutboxWatermark(string key, long position, DateTimeOffset now)
    {
        Key = key;
        Position = position;
        UpdatedAt = now;
    }

    public string Key { get; private set; } = "";

    /// <summary>The id of the last history row handled.</summary>
    public long Position { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public void MoveTo(long position, DateTimeOffset now)
    {
        if (position <= Position) return;
        Position = position;
        UpdatedAt = now;
    }
}
