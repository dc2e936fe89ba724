using Portal.Domain.Arbitrations;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Abstractions;

/// <summary>A change that other screens must show live. Plain records, so a backplane can carry them as JSON.</summary>
public interface ILiveEvent
{
    /// <summary>
    /// The ids of what the event concerns (a session, an organisation, a prescription, a user...): a subscription made
    /// on one of them receives it, and no other keyed subscription is even looked at. Ids are Guids, unique across kinds.
    /// </summary>
    IEnumerable<Guid> Topics();
}

/// <summary>O8: a session's open places (or its status) changed.</summary>
/// <remarks>It carries the session's new figures and status, so that a screen showing them can update in place without a query.</remarks>
/// <param name="Version">The session's version after the change: a screen keeps the figures of the highest version it has seen,
/// since subscribers are served in parallel and two quick changes may reach one of them out of order.</param>
public sealed record SessionPlacesChanged(Guid SessionId, Guid TrainingBodyId, int OpenPlaces, int Capacity, SessionStatus? Status = null, int Version = 0) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [SessionId, TrainingBodyId];
}

/// <summary>S6: a prescription moved in its lifecycle (one item of <see cref="PrescriptionsChanged"/>).</summary>
public sealed record PrescriptionStatusChanged(
    Guid PrescriptionId, Guid SessionId, Guid CandidateId, Guid PrescriberOrganisationId, Guid TrainingBodyId,
    PrescriptionStatus Status);

/// <summary>
/// S6: the prescriptions one command (or one chunk of a job) moved, published once: a bulk decision on k candidates
/// reaches each open screen as one event, not k. Topics: every prescription, session, candidate and organisation named.
/// </summary>
public sealed record PrescriptionsChanged(IReadOnlyList<PrescriptionStatusChanged> Changes) : ISplittableLiveEvent
{
    public static PrescriptionsChanged Of(params IEnumerable<PrescriptionStatusChanged> changes) => new([.. changes]);

    /// <summary>ADR 0023: an expiry chunk of 500 changes crosses servers as several NOTIFY messages, in order.</summary>
    public IReadOnlyList<ILiveEvent> Split() => Changes.Count < 2
        ? []
        : [new PrescriptionsChanged([.. Changes.Take(Changes.Count / 2)]), new PrescriptionsChanged([.. Changes.Skip(Changes.Count / 2)])];

    public IEnumerable<Guid> Topics() => Changes
        .SelectMany(c => new[] { c.PrescriptionId, c.SessionId, c.CandidateId, c.PrescriberOrganisationId, c.TrainingBodyId })
        .Distinct();
}

/// <summary>
/// Live events may have been missed (issue #16, ADR 0023): this server's backplane connection dropped and came back, or
/// another server published an event too large to carry. Open screens reload what they show, and caches built from
/// live events (the catalogue's pages) are emptied. Published on this server only, on the whole type (no topic).
/// </summary>
public sealed record LiveResync(string Reason) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [];
}

/// <summary>
/// An event that a backplane may carry as several smaller events of the same meaning when it is too large for one message
/// (a batch: each part names only its own items, and a subscriber of a batch already filters it for what it shows).
/// </summary>
public interface ISplittableLiveEvent : ILiveEvent
{
    /// <summary>Two halves of the batch; empty when it cannot be split any further (a single item).</summary>
    IReadOnlyList<ILiveEvent> Split();
}

/// <summary>S10: an arbitration was opened, argued or decided (the arbitrator's list and both parties' pages follow live).</summary>
public sealed record ArbitrationChanged(
    Guid ArbitrationId, Guid PrescriptionId, Guid AssignedOrganisationId, Guid PrescriberOrganisationId, Guid TrainingBodyId,
    ArbitrationStatus Status) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [ArbitrationId, PrescriptionId, AssignedOrganisationId, PrescriberOrganisationId, TrainingBodyId];
}

/// <summary>S2, S8: a session's info sessions were scheduled, changed or cancelled.</summary>
public sealed record InfoSessionsChanged(Guid SessionId, Guid TrainingBodyId) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [SessionId, TrainingBodyId];
}


/// <summary>S3: an OF's convocation warnings were raised or resolved.</summary>
public sealed record ConvocationWarningsChanged(Guid TrainingBodyId) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [TrainingBodyId];
}


/// <summary>Q2: quality alerts were raised, resolved or forwarded (the organisation concerned).</summary>
public sealed record QualityAlertsChanged(Guid OrganisationId) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [OrganisationId];
}


/// <summary>S9: a session's selection commission was set up or changed.</summary>
public sealed record SelectionCommissionChanged(Guid SessionId) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [SessionId];
}


/// <summary>A1: a prescriber organisation's habilitation changed (its members' open screens show the banner, or drop it).</summary>
public sealed record OrganisationHabilitationChanged(Guid OrganisationId, Portal.Domain.Organisations.HabilitationStatus Status) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [OrganisationId];
}


/// <summary>P8: a message was added to a fiche complément.</summary>
public sealed record MessageAdded(Guid PrescriptionId, Guid MessageId, Guid PrescriberOrganisationId, Guid TrainingBodyId) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [PrescriptionId, PrescriberOrganisationId, TrainingBodyId];
}


/// <summary>O2: a fiche action was submitted, validated or returned (the Région's list and the OF's list follow live).</summary>
public sealed record FicheStatusChanged(Guid FicheId, Guid TrainingBodyId, FicheStatus Status, int Version) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [FicheId, TrainingBodyId];
}

/// <summary>
/// Issue #14 (3): the administrator updated a reference list (communes, ROME codes, non-selection reasons). What holds the
/// list in memory reads it again, on every server (the fiche editor's autocompletes, <c>SearchFicheReferences</c>).
/// Published on the whole type (no topic).
/// </summary>
public sealed record ReferenceListChanged(Portal.Application.Features.Administration.ReferenceList List) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [];
}


/// <summary>
/// In-process publish/subscribe of <see cref="ILiveEvent"/>s. Subscriptions are disposable; a component
/// subscribes in OnInitialized, re-renders through InvokeAsync, and disposes its subscription.
/// Publishing does not wait for the subscribers: they are served in parallel after it returns.
/// </summary>
public interface ILiveNotifier
{
    Task PublishAsync<TEvent>(TEvent liveEvent, CancellationToken cancellationToken = default) where TEvent : ILiveEvent;

    /// <summary>Every event of the type (a screen listing across organisations, e.g. the Région's fiches to validate).</summary>
    IDisposable Subscribe<TEvent>(Func<TEvent, Task> handler) where TEvent : ILiveEvent;

    /// <summary>Only the events of the type that name <paramref name="topic"/> (a session, an organisation, a prescription, a user).</summary>
    IDisposable Subscribe<TEvent>(Guid topic, Func<TEvent, Task> handler) where TEvent : ILiveEvent;
}

/// <summary>
/// Carries live events between servers (PostgreSQL LISTEN/NOTIFY: <c>PostgresBackplane</c>, ADR 0023). The notifier sends
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
public sealed record LheoImportProgress(Guid ImportId, Guid RequestedBy, string Message, bool Finished = false, bool Succeeded = false) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [ImportId, RequestedBy];
}


/// <summary>Q3, Q4: a background export was queued, progressed, finished or failed (only its requester's "Mes exports" listens).</summary>
public sealed record ExportProgressed(Guid ExportId, Guid RequestedBy, Portal.Domain.Exports.ExportStatus Status, int RowsWritten, int TotalRows) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [ExportId, RequestedBy];
}


/// <summary>
/// Issue #14 (4), ADR 0025: candidates were pseudonymised (retention job, or erasure on request): the screens showing
/// them reload and show "Candidat anonymisé". Topics: each candidate and each prescriber organisation.
/// </summary>
public sealed record CandidatesPseudonymised(IReadOnlyList<Guid> CandidateIds, IReadOnlyList<Guid> OrganisationIds) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => CandidateIds.Concat(OrganisationIds).Distinct();
}
