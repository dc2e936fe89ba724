using Portal.Domain.Arbitrations;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Abstractions;

/// <summary>A change that other screens must show live. Plain records, so a backplane can carry them as JSON.</summary>
public interface ILiveEvent;

/// <summary>O8: a session's open places (or its status) changed.</summary>
/// <remarks>It carries the session's new figures and status, so that a screen showing them can update in place without a query.</remarks>
public sealed record SessionPlacesChanged(Guid SessionId, Guid TrainingBodyId, int OpenPlaces, int Capacity, SessionStatus? Status = null) : ILiveEvent;

/// <summary>S6: a prescription moved in its lifecycle.</summary>
public sealed record PrescriptionStatusChanged(
    Guid PrescriptionId, Guid SessionId, Guid CandidateId, Guid PrescriberOrganisationId, Guid TrainingBodyId,
    PrescriptionStatus Status) : ILiveEvent;

/// <summary>S10: an arbitration was opened, argued or decided (the arbitrator's list and both parties' pages follow live).</summary>
public sealed record ArbitrationChanged(
    Guid ArbitrationId, Guid PrescriptionId, Guid AssignedOrganisationId, Guid PrescriberOrganisationId, Guid TrainingBodyId,
    ArbitrationStatus Status) : ILiveEvent;
/// <summary>S2, S8: a session's info sessions were scheduled, changed or cancelled.</summary>
public sealed record InfoSessionsChanged(Guid SessionId, Guid TrainingBodyId) : ILiveEvent;

/// <summary>S3: an OF's convocation warnings were raised or resolved.</summary>
public sealed record ConvocationWarningsChanged(Guid TrainingBodyId) : ILiveEvent;

/// <summary>Q2: quality alerts were raised, resolved or forwarded (the organisation concerned).</summary>
public sealed record QualityAlertsChanged(Guid OrganisationId) : ILiveEvent;

/// <summary>S9: a session's selection commission was set up or changed.</summary>
public sealed record SelectionCommissionChanged(Guid SessionId) : ILiveEvent;

/// <summary>P8: a message was added to a fiche complément.</summary>
public sealed record MessageAdded(Guid PrescriptionId, Guid MessageId, Guid PrescriberOrganisationId, Guid TrainingBodyId) : ILiveEvent;

/// <summary>O2: a fiche action was submitted, validated or returned (the Région's list and the OF's list follow live).</summary>
public sealed record FicheStatusChanged(Guid FicheId, Guid TrainingBodyId, FicheStatus Status, int Version) : ILiveEvent;

/// <summary>
/// In-process publish/subscribe of <see cref="ILiveEvent"/>s. Subscriptions are disposable; a component
/// subscribes in OnInitialized, re-renders through InvokeAsync, and disposes its subscription.
/// </summary>
public interface ILiveNotifier
{
    Task PublishAsync<TEvent>(TEvent liveEvent, CancellationToken cancellationToken = default) where TEvent : ILiveEvent;

    IDisposable Subscribe<TEvent>(Func<TEvent, Task> handler) where TEvent : ILiveEvent;
}

/// <summary>
/// Carries live events between servers (Redis pub/sub or PostgreSQL LISTEN/NOTIFY). The notifier sends
/// each local event through it and dispatches what arrives from other nodes locally.
/// </summary>
public interface ILiveBackplane
{
    Task SendAsync(LiveEnvelope envelope, CancellationToken cancellationToken);

    IDisposable Receive(Func<LiveEnvelope, Task> handler);
}

/// <summary>A live event on the wire: its type name, its JSON, and the node that published it.</summary>
public sealed record LiveEnvelope(string EventType, string Json, string OriginNode);

/// <summary>LHEO import: a step of an import job, or its end (<see cref="Finished"/>, with <see cref="Succeeded"/>).</summary>
public sealed record LheoImportProgress(Guid ImportId, Guid RequestedBy, string Message, bool Finished = false, bool Succeeded = false) : ILiveEvent;

/// <summary>Q3, Q4: a background export was queued, progressed, finished or failed (only its requester's "Mes exports" listens).</summary>
public sealed record ExportProgressed(Guid ExportId, Guid RequestedBy, Portal.Domain.Exports.ExportStatus Status, int RowsWritten, int TotalRows) : ILiveEvent;
