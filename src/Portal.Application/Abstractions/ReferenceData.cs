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
