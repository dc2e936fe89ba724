namespace Portal.Application.Abstractions;

/// <summary>A commune of the reference list (INSEE code, coordinates), for places and mobility (Q3).</summary>
public sealed class Commune
{
    public string InseeCode { get; set; } = "";
    public string Name { get; set; } = "";
    public string DepartementCode { get; set; } = "";
    public string DepartementName { get; set; } = "";
    public string PostalCodes { get; set; } = "";
    public int Population { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
}

/// <summary>A ROME v3 code (target jobs of a fiche action, projects of candidates).</summary>
public sealed class RomeCode
{
    public string Code { get; set; } = "";
    public string Label { get; set; } = "";
}

/// <summary>Every read of a sensitive field (RQTH) is logged: who, when, which candidate.</summary>
public sealed class SensitiveReadLog
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public Guid CandidateId { get; set; }
    public string Field { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>Issue #14 (4), ADR 0025: what was done with a candidate's personal data on request.</summary>
public enum PersonalDataAction
{
    /// <summary>Their copy (JSON or the readable page) was downloaded.</summary>
    Export = 0,

    /// <summary>Their data were erased (pseudonymised at once, open prescriptions withdrawn).</summary>
    Erasure = 1,
}

/// <summary>
/// Issue #14 (4), ADR 0025: one line per export or erasure of a candidate's data: who, when, which candidate and organisation.
/// The retention job's pseudonymisations are dated on the candidate itself (<c>PseudonymisedAt</c>).
/// </summary>
public sealed class PersonalDataLogEntry
{
    public long Id { get; set; }
    public Guid CandidateId { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid UserId { get; set; }
    public PersonalDataAction Action { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>What the line adds, in French (the format downloaded, the prescriptions withdrawn).</summary>
    public string Detail { get; set; } = "";

    public const int MaxDetailLength = 500;
}
