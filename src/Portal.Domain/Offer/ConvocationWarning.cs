using Portal.Domain.Common;

namespace Portal.Domain.Offer;

/// <summary>
/// S3: an info session is less than 7 days away and some prescribed candidates of its session are not convoked:
/// they can no longer be convoked to it in time. One warning per info session, raised by a job and resolved by it
/// when that is no longer true (raised again if it becomes true again). <see cref="RaisedAt"/> stays, so that the
/// quality observatory can count the warnings.
/// </summary>
public sealed class ConvocationWarning : Entity
{
    private ConvocationWarning() { }

    public ConvocationWarning(Guid infoSessionId, Guid sessionId, Guid trainingBodyId, DateTimeOffset raisedAt)
    {
        InfoSessionId = infoSessionId;
        SessionId = sessionId;
        TrainingBodyId = trainingBodyId;
        RaisedAt = raisedAt;
    }

    public Guid InfoSessionId { get; private set; }
    public Guid SessionId { get; private set; }

    /// <summary>The OF warned (denormalised for scoping).</summary>
    public Guid TrainingBodyId { get; private set; }

    /// <summary>When the warning was first raised (the observatory counts these).</summary>
    public DateTimeOffset RaisedAt { get; private set; }

    /// <summary>When it stopped being true; null while it is open.</summary>
    public DateTimeOffset? ResolvedAt { get; private set; }

    public bool IsOpen => ResolvedAt is null;
}
