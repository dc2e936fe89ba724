namespace Portal.Domain.Notifications;

/// <summary>
/// How far a reader of an append-only table has gone (S6: the prescription history is the outbox of the
/// prescribers' e-mails). The position only moves forward, after the work for it was done. One run at a time reads
/// past it, on any server (ADR 0022): a run claims the watermark for a lease (<see cref="ClaimToken"/>,
/// <see cref="ClaimedUntil"/>, set by a conditional set-based UPDATE), renews the lease as it goes and releases it at
/// the end; a run of a server that stopped mid-way leaves a claim that lapses with its lease.
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

    /// <summary>The run holding the watermark (null: free). A concurrency token: a run whose lease was taken over writes nothing.</summary>
    public Guid? ClaimToken { get; private set; }

    /// <summary>When the holder's lease lapses; past it another run may claim the watermark.</summary>
    public DateTimeOffset? ClaimedUntil { get; private set; }

    /// <summary>The holder extends its lease (written with its next save).</summary>
    public void Renew(DateTimeOffset until)
    {
        if (ClaimToken is null) throw new InvalidOperationException("Le curseur n'est réservé par aucune exécution.");
        ClaimedUntil = until;
    }

    public void MoveTo(long position, DateTimeOffset now)
    {
        if (position <= Position) return;
        Position = position;
        UpdatedAt = now;
    }
}
