using Portal.Domain.Common;

namespace Portal.Domain.Eos;

/// <summary>The kinds of incoherence between EOS (the remuneration system) and the portal (S11).</summary>
public enum EosAnomalyKind
{
    /// <summary>Declared entered in EOS, with no prescription of the candidate on that session in the portal.</summary>
    NoPrescription = 1,

    /// <summary>Declared entered in EOS; the portal has the prescription but no entry recorded.</summary>
    EntryNotRecorded = 2,

    /// <summary>Entered in the portal, absent from the EOS export.</summary>
    MissingFromEos = 3,

    /// <summary>In both, with different entry dates.</summary>
    DateMismatch = 4,
}

/// <summary>One import of an EOS export of entries by the Région (S11): who, when, which file, what it found.</summary>
public sealed class EosImport : Entity
{
    private readonly List<EosAnomaly> _anomalies = [];

    private EosImport() { }

    public EosImport(Guid byUserId, string byName, string fileName, int lineCount, DateTimeOffset now)
    {
        ImportedByUserId = byUserId;
        ImportedByName = byName;
        FileName = string.IsNullOrWhiteSpace(fileName) ? "export-eos.csv" : Path.GetFileName(fileName.Trim());
        LineCount = lineCount;
        ImportedAt = now;
    }

    public Guid ImportedByUserId { get; private set; }
    public string ImportedByName { get; private set; } = "";
    public string FileName { get; private set; } = "";
    public DateTimeOffset ImportedAt { get; private set; }

    /// <summary>Entries in the file (data lines).</summary>
    public int LineCount { get; private set; }

    /// <summary>Entries found in the portal with the same entry date.</summary>
    public int MatchedCount { get; private set; }

    public int AnomalyCount { get; private set; }
    public IReadOnlyList<EosAnomaly> Anomalies => _anomalies;

    /// <summary>Records an EOS entry found in the portal with the same entry date.</summary>
    public void CountMatch() => MatchedCount++;

    public void Add(EosAnomaly anomaly)
    {
        _anomalies.Add(anomaly);
        AnomalyCount = _anomalies.Count;
    }
}

/// <summary>One incoherence found by an import (S11), with what the Région needs to investigate it.</summary>
public sealed class EosAnomaly
{
    private EosAnomaly() { }

    public EosAnomaly(EosAnomalyKind kind, int? line, string candidateName, string? franceTravailId, DateOnly? birthDate,
        string sessionReference, string? trainingTitle, DateOnly? eosEntryDate, DateOnly? portalEntryDate, Guid? prescriptionId)
    {
        Kind = kind;
        Line = line;
        CandidateName = candidateName;
        FranceTravailId = franceTravailId;
        BirthDate = birthDate;
        SessionReference = sessionReference;
        TrainingTitle = trainingTitle;
        EosEntryDate = eosEntryDate;
        PortalEntryDate = portalEntryDate;
        PrescriptionId = prescriptionId;
    }

    public long Id { get; private set; }
    public Guid ImportId { get; private set; }
    public EosAnomalyKind Kind { get; private set; }

    /// <summary>The line of the EOS file (null for an entry missing from EOS).</summary>
    public int? Line { get; private set; }

    public string CandidateName { get; private set; } = "";
    public string? FranceTravailId { get; private set; }
    public DateOnly? BirthDate { get; private set; }
    public string SessionReference { get; private set; } = "";
    public string? TrainingTitle { get; private set; }
    public DateOnly? EosEntryDate { get; private set; }
    public DateOnly? PortalEntryDate { get; private set; }
    public Guid? PrescriptionId { get; private set; }
}
