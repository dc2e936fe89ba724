using Portal.Domain.Common;

namespace Portal.Domain.Eos;

/// <summary>Where a prescription made outside the portal comes from (O1).</summary>
public enum OfflinePrescriptionSource
{
    /// <summary>A paper fiche de prescription.</summary>
    Paper = 1,

    /// <summary>Another tool (a prescriber's own information system, a spreadsheet...).</summary>
    OtherTool = 2,
}

/// <summary>
/// O1: every entry into a regional action needs a prescription, online or not. An entry whose prescription was made
/// outside the portal (on paper, in another tool) is recorded by the session's OF or by the Région, with its source,
/// so that the EOS coherence check (S11) finds it instead of reporting an entry without prescription.
/// </summary>
public sealed class OfflineEntry : Entity
{
    public const int MaxNameLength = 100;
    public const int MaxSourceDetailLength = 200;
    public const int MaxFranceTravailIdLength = 50;

    private OfflineEntry() { }

    public OfflineEntry(Guid sessionId, Guid trainingBodyId, string firstName, string lastName, DateOnly birthDate, string? franceTravailId,
        OfflinePrescriptionSource source, string sourceDetail, DateOnly entryDate, Guid recordedByUserId, DateTimeOffset now)
    {
        var errors = Validate(firstName, lastName, birthDate, franceTravailId, source, sourceDetail, entryDate, now);
        if (errors.Count > 0) throw new DomainException(string.Join(" ", errors), "O1");
        SessionId = sessionId;
        TrainingBodyId = trainingBodyId;
        FirstName = firstName.Trim();
        LastName = lastName.Trim();
        BirthDate = birthDate;
        FranceTravailId = string.IsNullOrWhiteSpace(franceTravailId) ? null : franceTravailId.Trim().ToUpperInvariant();
        Source = source;
        SourceDetail = sourceDetail.Trim();
        EntryDate = entryDate;
        RecordedByUserId = recordedByUserId;
        RecordedAt = now;
    }

    /// <summary>Every problem of the form, in French (empty when it is right).</summary>
    public static IReadOnlyList<string> Validate(string? firstName, string? lastName, DateOnly birthDate, string? franceTravailId,
        OfflinePrescriptionSource source, string? sourceDetail, DateOnly entryDate, DateTimeOffset now)
    {
        var errors = new List<string>();
        var today = DateOnly.FromDateTime(FrenchTime.ToFrance(now).DateTime);
        if (string.IsNullOrWhiteSpace(firstName)) errors.Add("Le prénom du stagiaire est obligatoire.");
        else if (firstName.Trim().Length > MaxNameLength) errors.Add($"Le prénom dépasse {MaxNameLength} caractères.");
        if (string.IsNullOrWhiteSpace(lastName)) errors.Add("Le nom du stagiaire est obligatoire.");
        else if (lastName.Trim().Length > MaxNameLength) errors.Add($"Le nom dépasse {MaxNameLength} caractères.");
        if (birthDate > today.AddYears(-14) || birthDate < today.AddYears(-100)) errors.Add("La date de naissance n'est pas plausible.");
        if (franceTravailId is { Length: > MaxFranceTravailIdLength }) errors.Add($"L'identifiant France Travail dépasse {MaxFranceTravailIdLength} caractères.");
        if (!Enum.IsDefined(source)) errors.Add("Indiquez d'où vient la prescription (papier ou autre outil).");
        if (string.IsNullOrWhiteSpace(sourceDetail)) errors.Add("Indiquez qui a prescrit et comment (organisme prescripteur, outil).");
        else if (sourceDetail.Trim().Length > MaxSourceDetailLength) errors.Add($"La provenance dépasse {MaxSourceDetailLength} caractères.");
        if (entryDate > today) errors.Add("La date d'entrée ne peut pas être dans le futur.");
        return errors;
    }

    public Guid SessionId { get; private set; }

    /// <summary>The OF of the session (denormalised for scoping).</summary>
    public Guid TrainingBodyId { get; private set; }

    public string FirstName { get; private set; } = "";
    public string LastName { get; private set; } = "";
    public DateOnly BirthDate { get; private set; }
    public string? FranceTravailId { get; private set; }
    public OfflinePrescriptionSource Source { get; private set; }

    /// <summary>Who prescribed and how ("Mission Locale des Graves, fiche papier du 3 novembre").</summary>
    public string SourceDetail { get; private set; } = "";

    public DateOnly EntryDate { get; private set; }
    public Guid RecordedByUserId { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
}
