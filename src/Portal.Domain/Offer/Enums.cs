namespace Portal.Domain.Offer;

public enum FicheStatus
{
    Draft = 0,
    Submitted = 1,
    Validated = 2,
    Returned = 3,
}

public enum EntryMode
{
    /// <summary>Entrées groupées: fixed dates, with a late-entry date (O5).</summary>
    Grouped = 1,

    /// <summary>Entrées/sorties permanentes: rolling entries (O6).</summary>
    Permanent = 2,
}

public enum SessionStatus
{
    Planned = 0,
    Open = 1,
    Suspended = 2,
    Closed = 3,
    Running = 4,
    Finished = 5,
    Cancelled = 6,
}

public enum InfoSessionKind
{
    Collective = 1,
    Individual = 2,
}
