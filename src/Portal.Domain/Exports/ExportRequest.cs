using Portal.Domain.Common;

namespace Portal.Domain.Exports;

public enum ExportFormat
{
    Csv = 0,
    Xlsx = 1,
}

public enum ExportStatus
{
    Queued = 0,
    Running = 1,
    Done = 2,
    Failed = 3,
}

/// <summary>
/// A list export too large to be answered at once (Q3, Q4: every list and indicator exportable): who asked,
/// which list with which parameters, its progress, and the file it produced, kept until it expires.
/// </summary>
public sealed class ExportRequest : Entity
{
    private ExportRequest() { }

    public ExportRequest(Guid requestedBy, Guid organisationId, string listKey, string parametersJson, ExportFormat format,
        string title, string fileName, int totalRows, DateTimeOffset now, TimeSpan retention)
    {
        if (string.IsNullOrWhiteSpace(listKey)) throw new DomainException("La liste à exporter est obligatoire.", "Q3");
        if (retention <= TimeSpan.Zero) throw new DomainException("La durée de conservation d'un export doit être positive.", "Q3");
        RequestedBy = requestedBy;
        OrganisationId = organisationId;
        ListKey = listKey;
        ParametersJson = parametersJson;
        Format = format;
        Title = title;
        FileName = fileName;
        TotalRows = Math.Max(0, totalRows);
        CreatedAt = now;
        ExpiresAt = now + retention;
        Status = ExportStatus.Queued;
    }

    public Guid RequestedBy { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string ListKey { get; private set; } = "";
    public string ParametersJson { get; private set; } = "{}";
    public ExportFormat Format { get; private set; }

    /// <summary>The list's title as the screen shows it, e.g. "Mes candidats".</summary>
    public string Title { get; private set; } = "";

    /// <summary>The downloaded file's name, with its extension.</summary>
    public string FileName { get; private set; } = "";

    public ExportStatus Status { get; private set; }
    public int RowsWritten { get; private set; }
    public int TotalRows { get; private set; }
    public string? FileKey { get; private set; }
    public long FileSize { get; private set; }

    /// <summary>Why the export failed, in French.</summary>
    public string? Error { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    public bool IsFinished => Status is ExportStatus.Done or ExportStatus.Failed;

    /// <summary>The job starts (or starts again after a restart): the count is taken again, the progress starts over.</summary>
    public void Start(int totalRows)
    {
        if (IsFinished) throw new DomainException("Cet export est déjà terminé.", "Q3");
        Status = ExportStatus.Running;
        TotalRows = Math.Max(0, totalRows);
        RowsWritten = 0;
    }

    public void Complete(string fileKey, long fileSize, int rowsWritten, DateTimeOffset now)
    {
        if (Status != ExportStatus.Running) throw new DomainException("Seul un export en cours peut se terminer.", "Q3");
        Status = ExportStatus.Done;
        FileKey = fileKey;
        FileSize = fileSize;
        RowsWritten = rowsWritten;
        TotalRows = Math.Max(TotalRows, rowsWritten);
        FinishedAt = now;
    }

    public void Fail(string frenchMessage, DateTimeOffset now)
    {
        if (IsFinished) return;
        Status = ExportStatus.Failed;
        Error = frenchMessage;
        FinishedAt = now;
    }
}
