using Portal.Domain.Common;

namespace Portal.Domain.Offer;

/// <summary>
/// S9: where prescriptions are many, the Région sets up a selection commission on a session: its members, its
/// date, and later its outcome. One per session.
/// </summary>
public sealed class SelectionCommission : Entity
{
    public const int MaxMembers = 30;

    private SelectionCommission() { }

    public SelectionCommission(Guid sessionId, IEnumerable<string> members, DateTimeOffset meetsAt, Guid by, DateTimeOffset now)
    {
        SessionId = sessionId;
        CreatedBy = by;
        CreatedAt = now;
        Plan(members, meetsAt, now);
    }

    public Guid SessionId { get; private set; }

    /// <summary>Free-text members ("Nom – structure"), in the order given.</summary>
    public List<string> Members { get; private set; } = [];

    public DateTimeOffset MeetsAt { get; private set; }
    public string? Outcome { get; private set; }
    public DateTimeOffset? OutcomeRecordedAt { get; private set; }
    public Guid CreatedBy { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Sets the members and the date (S9).</summary>
    public void Plan(IEnumerable<string> members, DateTimeOffset meetsAt, DateTimeOffset now)
    {
        var list = members.Select(m => m.Trim()).Where(m => m.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (list.Count == 0) throw new DomainException("Indiquez au moins un membre de la commission de sélection.", "S9");
        if (list.Count > MaxMembers) throw new DomainException($"Au plus {MaxMembers} membres par commission.", "S9");
        Members = list;
        MeetsAt = meetsAt;
        UpdatedAt = now;
    }

    /// <summary>S9: the outcome, once the commission has met.</summary>
    public void RecordOutcome(string outcome, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(outcome)) throw new DomainException("Le résultat de la commission est vide.", "S9");
        if (now < MeetsAt) throw new DomainException("Le résultat se saisit une fois la commission réunie.", "S9");
        Outcome = outcome.Trim();
        OutcomeRecordedAt = now;
        UpdatedAt = now;
    }
}
