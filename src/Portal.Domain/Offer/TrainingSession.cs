using Portal.Domain.Common;

namespace Portal.Domain.Offer;

/// <summary>
/// A session of a fiche action. Planned → Open (start − 120 days, O4) → Suspended (O7) ⇄ Open →
/// Closed → Running → Finished; Cancelled from any state before Running.
/// </summary>
public sealed class TrainingSession : Entity
{
    /// <summary>O4: a session is published 120 days before it starts.</summary>
    public const int PublicationDays = 120;

    /// <summary>O7: suspension or closure is allowed once prescriptions reach 5 × capacity.</summary>
    public const int SuspensionCapacityFactor = 5;

    private TrainingSession() { }

    /// <param name="fromImport">An LHEO import brings sessions of draft fiches: they stay planned (invisible) until the fiche is validated.</param>
    public TrainingSession(FicheAction fiche, DateOnly start, DateOnly end, DateOnly registrationDeadline,
        int capacity, string placeCommuneInsee, DateOnly? lateEntryDate = null, bool fromImport = false)
    {
        if (!fiche.IsPublished && !fromImport) throw new DomainException("Une session ne peut être créée que sur une fiche action validée.", "O2");
        if (end < start) throw new DomainException("La date de fin doit suivre la date de début.");
        if (registrationDeadline > end) throw new DomainException("La date limite d'inscription doit précéder la fin de la session.");
        if (capacity <= 0) throw new DomainException("La capacité doit être d'au moins une place.");
        if (fiche.EntryMode == EntryMode.Grouped && lateEntryDate is { } late && (late < start || late > end))
            throw new DomainException("La date d'entrée tardive doit être comprise entre le début et la fin de la session.", "O5");
        FicheActionId = fiche.Id;
        OrganisationId = fiche.OrganisationId;
        EntryMode = fiche.EntryMode;
        Start = start;
        End = end;
        RegistrationDeadline = registrationDeadline;
        LateEntryDate = fiche.EntryMode == EntryMode.Grouped ? lateEntryDate ?? start : null;
        Capacity = capacity;
        OpenPlaces = capacity;
        PlaceCommuneInsee = placeCommuneInsee;
        Status = SessionStatus.Planned;
    }

    public Guid FicheActionId { get; private set; }

    /// <summary>The training body running the session (denormalised from the fiche for scoping).</summary>
    public Guid OrganisationId { get; private set; }

    public EntryMode EntryMode { get; private set; }
    public DateOnly Start { get; private set; }
    public DateOnly End { get; private set; }
    public DateOnly RegistrationDeadline { get; private set; }
    public DateOnly? LateEntryDate { get; private set; }
    public int Capacity { get; private set; }

    /// <summary>
    /// O8, O9: the places still open, kept by the portal: capacity − the places held (selected, offered, entered) − the
    /// places the OF keeps back (<see cref="KeptBackPlaces"/>), never below 0; 0 once the session is cancelled.
    /// </summary>
    public int OpenPlaces { get; private set; }

    /// <summary>O8: the places the OF keeps back (for other financing): it lowers the open places, never raises them.</summary>
    public int KeptBackPlaces { get; private set; }

    /// <summary>O8: the open places for <paramref name="heldPlaces"/> places held and <paramref name="keptBack"/> kept back.</summary>
    public static int OpenPlacesFor(SessionStatus status, int capacity, int heldPlaces, int keptBack) =>
        status == SessionStatus.Cancelled ? 0 : Math.Max(0, capacity - heldPlaces - keptBack);

    /// <summary>
    /// O8: recounts the open places from the places held now (the caller counts them in the same unit of work as the
    /// status changes). Returns whether the figure changed; the version goes up with it, so that two users taking the
    /// last place cannot both win.
    /// </summary>
    public bool RecountOpenPlaces(int heldPlaces)
    {
        var open = OpenPlacesFor(Status, Capacity, heldPlaces, KeptBackPlaces);
        if (open == OpenPlaces) return false;
        OpenPlaces = open;
        Version++;
        return true;
    }

    public string PlaceCommuneInsee { get; private set; } = "";

    /// <summary>The identifier in the source system (LHEO `numero` of the session), for idempotent imports.</summary>
    public string? ExternalReference { get; private set; }

    public string? CancellationReason { get; private set; }
    public SessionStatus Status { get; private set; }

    /// <summary>Optimistic concurrency: two writers on the same session cannot both win.</summary>
    public int Version { get; private set; }

    /// <summary>O4: the day the session opens to prescription.</summary>
    public DateOnly PublicationDate => Start.AddDays(-PublicationDays);

    public bool IsOpenToPrescription => Status == SessionStatus.Open;

    /// <summary>O4: opens a planned session once its publication date has come.</summary>
    public void Publish(DateTimeOffset now)
    {
        if (Status != SessionStatus.Planned)
            throw new DomainException($"Seule une session programmée peut être ouverte (elle est « {Status.Label()} »).", "O4");
        if (Today(now) < PublicationDate)
            throw new DomainException($"La session ne peut être ouverte aux prescriptions qu'à partir du {PublicationDate:dd/MM/yyyy} (120 jours avant son début).", "O4");
        Touch(SessionStatus.Open);
    }

    /// <summary>O7: suspension is refused before 5 × capacity prescriptions or the registration deadline.</summary>
    public void Suspend(DateTimeOffset now, int prescriptionCount)
    {
        if (Status != SessionStatus.Open)
            throw new DomainException($"Seule une session ouverte peut être suspendue (elle est « {Status.Label()} »).", "O7");
        EnsureO7(now, prescriptionCount, "Suspension");
        Touch(SessionStatus.Suspended);
    }

    public void Reopen(DateTimeOffset now)
    {
        if (Status != SessionStatus.Suspended)
            throw new DomainException("Seule une session suspendue peut être rouverte.", "O7");
        if (Today(now) > RegistrationDeadline)
            throw new DomainException("La date limite d'inscription est passée : la session ne peut pas être rouverte.", "O7");
        Touch(SessionStatus.Open);
    }

    /// <summary>O7: the OF closes prescriptions, under the same condition as suspension.</summary>
    public void Close(DateTimeOffset now, int prescriptionCount)
    {
        if (Status is not (SessionStatus.Open or SessionStatus.Suspended))
            throw new DomainException($"Seule une session ouverte ou suspendue peut être close (elle est « {Status.Label()} »).", "O7");
        EnsureO7(now, prescriptionCount, "Clôture");
        Touch(SessionStatus.Closed);
    }

    public void StartRunning(DateTimeOffset now)
    {
        if (Status is not (SessionStatus.Open or SessionStatus.Suspended or SessionStatus.Closed))
            throw new DomainException($"Une session « {Status.Label()} » ne peut pas démarrer.");
        if (Today(now) < Start)
            throw new DomainException($"La session ne peut pas démarrer avant le {Start:dd/MM/yyyy}.");
        Touch(SessionStatus.Running);
    }

    public void Finish(DateTimeOffset now)
    {
        if (Status != SessionStatus.Running) throw new DomainException("Seule une session en cours peut être terminée.");
        if (Today(now) < End) throw new DomainException($"La session ne peut pas être terminée avant le {End:dd/MM/yyyy}.");
        Touch(SessionStatus.Finished);
    }

    /// <summary>Issue #15 (5): the longest cancellation reason and external reference.</summary>
    public const int MaxCancellationReasonLength = 2000, MaxReferenceLength = 255;

    public void Cancel(string? reason = null)
    {
        TextLimit.Ensure(reason, MaxCancellationReasonLength, "Le motif d'annulation");
        if (Status is SessionStatus.Running or SessionStatus.Finished or SessionStatus.Cancelled)
            throw new DomainException($"Une session « {Status.Label()} » ne peut plus être annulée.");
        CancellationReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        Touch(SessionStatus.Cancelled);
    }

    public void LinkExternal(string reference)
    {
        TextLimit.Ensure(reference, MaxReferenceLength, "La référence externe");
        ExternalReference = string.IsNullOrWhiteSpace(reference) ? null : reference.Trim();
    }

    /// <summary>
    /// O8: the OF sets the open places within their bound (capacity − the places held): what it leaves out is kept back
    /// for other financing. It can lower the figure, never raise it above the bound.
    /// </summary>
    public void SetOpenPlaces(int openPlaces, int heldPlaces)
    {
        if (Status is SessionStatus.Finished or SessionStatus.Cancelled)
            throw new DomainException($"Les places d'une session « {Status.Label()} » ne se modifient plus.", "O8");
        var bound = Math.Max(0, Capacity - heldPlaces);
        if (openPlaces < 0 || openPlaces > bound)
            throw new DomainException(
                $"Les places ouvertes doivent être comprises entre 0 et {bound} : capacité {Capacity} moins {heldPlaces} place(s) déjà occupée(s) (retenus, places proposées, entrés).",
                "O8");
        KeptBackPlaces = bound - openPlaces;
        OpenPlaces = openPlaces;
        Version++;
    }

    /// <summary>
    /// S1, S3: the selection of a session (meetings, convocations, decisions) goes on until the session is finished
    /// or cancelled; a running session still selects (permanent entries, late entries, O5/O6).
    /// </summary>
    public static void EnsureSelectionGoesOn(SessionStatus status, string action, string rule)
    {
        if (status is SessionStatus.Finished or SessionStatus.Cancelled)
            throw new DomainException($"La session est « {status.Label()} » : {action} n'est plus possible.", rule);
    }

    private void EnsureO7(DateTimeOffset now, int prescriptionCount, string action)
    {
        var required = Capacity * SuspensionCapacityFactor;
        var deadlinePassed = Today(now) > RegistrationDeadline;
        if (prescriptionCount < required && !deadlinePassed)
            throw new DomainException(
                $"{action} impossible : {prescriptionCount} prescriptions sur {required} requises ({SuspensionCapacityFactor} × {Capacity} places) et la date limite d'inscription ({RegistrationDeadline:dd/MM/yyyy}) n'est pas passée.",
                "O7");
    }

    private void Touch(SessionStatus status)
    {
        Status = status;
        Version++;
    }

    /// <summary>The calendar day in France, where the charter's dates are read.</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(FrenchTime.ToFrance(now).DateTime);
}
