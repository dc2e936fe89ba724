using Portal.Domain.Common;

namespace Portal.Domain.Quality;

/// <summary>The causes of a quality alert (Q2).</summary>
public enum QualityAlertKind
{
    /// <summary>An OF has candidates still without a decision N days after their info session.</summary>
    DecisionsMissing = 0,

    /// <summary>One of the actor's quality indicators misses the Région's threshold over the recent prescriptions.</summary>
    ThresholdMissed = 1,
}

/// <summary>
/// Q2: an alert about one actor, raised by a job while its cause holds and resolved by it when the cause disappears.
/// The actor sees its open alerts; the CARIF sees all of them and may forward one to the Région with a comment.
/// One open alert per (kind, organisation, indicator); <see cref="RaisedAt"/> stays for the observatory.
/// </summary>
public sealed class QualityAlert : Entity
{
    public const int MaxCommentLength = 2000;

    private QualityAlert() { }

    public QualityAlert(QualityAlertKind kind, Guid organisationId, int count, DateTimeOffset raisedAt)
        : this(kind, organisationId, "", count, null, null, raisedAt) { }

    /// <summary>An alert on one indicator (<see cref="QualityAlertKind.ThresholdMissed"/>), with the value and the threshold it missed.</summary>
    public QualityAlert(QualityAlertKind kind, Guid organisationId, string indicatorKey, int count, double? value, double? threshold, DateTimeOffset raisedAt)
    {
        Kind = kind;
        OrganisationId = organisationId;
        IndicatorKey = indicatorKey;
        Count = count;
        Value = value;
        Threshold = threshold;
        RaisedAt = raisedAt;
    }

    public const int MaxIndicatorKeyLength = 64;

    /// <summary>The indicator missed (<see cref="QualityAlertKind.ThresholdMissed"/>); empty for the other kinds.</summary>
    public string IndicatorKey { get; private set; } = "";

    /// <summary>The indicator's value at the last run of the job (threshold alerts only).</summary>
    public double? Value { get; private set; }

    /// <summary>The Région's threshold at the last run of the job (threshold alerts only).</summary>
    public double? Threshold { get; private set; }

    /// <summary>The job's last reading of the cause: how many cases, and the value against the threshold.</summary>
    public void Refresh(int count, double? value, double? threshold)
    {
        Count = count;
        Value = value;
        Threshold = threshold;
    }

    public QualityAlertKind Kind { get; private set; }

    /// <summary>The actor concerned (for <see cref="QualityAlertKind.DecisionsMissing"/>, the OF).</summary>
    public Guid OrganisationId { get; private set; }

    /// <summary>How many cases the cause covers, as of the last run of the job.</summary>
    public int Count { get; private set; }

    public DateTimeOffset RaisedAt { get; private set; }

    /// <summary>When the cause disappeared; null while the alert is open.</summary>
    public DateTimeOffset? ResolvedAt { get; private set; }

    public DateTimeOffset? ForwardedAt { get; private set; }
    public Guid? ForwardedBy { get; private set; }
    public string? ForwardComment { get; private set; }

    /// <summary>Q2: the CARIF alerts the Région on this difficulty, with a comment.</summary>
    public void Forward(string comment, Guid by, DateTimeOffset now)
    {
        if (ResolvedAt is not null) throw new DomainException("Cette alerte est résolue : il n'y a plus rien à signaler.", "Q2");
        if (ForwardedAt is not null) throw new DomainException("Cette alerte a déjà été transmise à la Région.", "Q2");
        if (string.IsNullOrWhiteSpace(comment)) throw new DomainException("Ajoutez un commentaire pour la Région.", "Q2");
        if (comment.Trim().Length > MaxCommentLength) throw new DomainException($"Le commentaire dépasse {MaxCommentLength} caractères.", "Q2");
        ForwardComment = comment.Trim();
        ForwardedBy = by;
        ForwardedAt = now;
    }
}
