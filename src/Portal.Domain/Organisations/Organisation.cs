using Portal.Domain.Common;

namespace Portal.Domain.Organisations;

public sealed class Organisation : Entity
{
    public const int NameMaxLength = 300;
    public const int AddressMaxLength = 500;
    public const int ReasonMaxLength = 1000;
    public const int ReferenceMaxLength = 100;

    private Organisation() { }

    public Organisation(string name, OrganisationKind kind, Guid territoryId, string? siret = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new DomainException("Le nom de l'organisation est obligatoire.");
        if (siret is not null && (siret.Length != 14 || !siret.All(char.IsAsciiDigit)))
            throw new DomainException("Le SIRET doit comporter 14 chiffres.");
        Name = name.Trim();
        Kind = kind;
        TerritoryId = territoryId;
        Siret = siret;
        // Public bodies of the charter are habilitated by nature; other prescribers need an approval (A1).
        Habilitation = kind == OrganisationKind.OtherApprovedPrescriber ? HabilitationStatus.Pending : HabilitationStatus.Habilitated;
    }

    public string Name { get; private set; } = "";
    public OrganisationKind Kind { get; private set; }
    public Guid TerritoryId { get; private set; }
    public string? Siret { get; private set; }
    public HabilitationStatus Habilitation { get; private set; }

    /// <summary>Postal address (street, postcode and town on one line), e.g. from an LHEO import.</summary>
    public string? Address { get; private set; }

    /// <summary>The INSEE code of the organisation's commune (from the communes reference), when known.</summary>
    public string? CommuneInsee { get; private set; }

    /// <summary>A1: the day the habilitation (agrément) was decided, and the decision's reference (arrêté, délibération...).</summary>
    public DateOnly? HabilitatedOn { get; private set; }

    public string? HabilitationReference { get; private set; }

    /// <summary>A2: the correspondant délégué, a member of the organisation who sees it whole and receives its alerts.</summary>
    public Guid? DelegateUserId { get; private set; }

    /// <summary>Optimistic concurrency: two administrators editing one organisation, the second is told to reload.</summary>
    public int Version { get; private set; }

    private static string Limited(string value, int max, string label)
    {
        TextLimit.Ensure(value, max, label);
        return value;
    }

    public void SetAddress(string? address) => Address = string.IsNullOrWhiteSpace(address) ? null : Limited(address.Trim(), AddressMaxLength, "L'adresse");

    /// <summary>
    /// The administrator's edit of the identity: name, SIRET, address and commune. A new or changed SIRET is checked with
    /// its Luhn key; the one already stored (from the seed or an LHEO import) is kept as it is, so that an address can be
    /// corrected without retyping it.
    /// </summary>
    public void Edit(string name, string? siret, string? address, string? communeInsee)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new DomainException("Le nom de l'organisation est obligatoire.");
        var normalised = Organisations.Siret.Normalise(siret);
        var checkedSiret = normalised is not null && normalised == Siret ? Siret : Organisations.Siret.Check(siret);
        Name = Limited(name.Trim(), NameMaxLength, "Le nom");
        Siret = checkedSiret;
        SetAddress(address);
        CommuneInsee = string.IsNullOrWhiteSpace(communeInsee) ? null : communeInsee.Trim();
        Version++;
    }

    /// <summary>The territory the organisation belongs to (for an MFE: the territory it covers, S10).</summary>
    public void MoveToTerritory(Guid territoryId)
    {
        if (territoryId == Guid.Empty) throw new DomainException("Choisissez un territoire.");
        if (territoryId != TerritoryId) Version++;
        TerritoryId = territoryId;
    }

    /// <summary>Marks a change made beside the organisation's own columns (its MFE coverage), for concurrency.</summary>
    public void Touch() => Version++;

    /// <summary>A1: only a habilitated prescriber organisation may prescribe.</summary>
    public bool CanPrescribe => Kind.IsPrescriber() && Habilitation == HabilitationStatus.Habilitated;

    /// <summary>
    /// A1: the habilitation's lifecycle. Pending → habilitated (with the decision's date and reference) → suspended →
    /// habilitated again, or revoked (from any state but revoked; a revoked habilitation is final: a new request is a new
    /// organisation). Each change has a reason and returns its history line.
    /// </summary>
    public OrganisationHistory ChangeHabilitation(
        HabilitationStatus to, string? reason, DateTimeOffset at, Guid byUserId, string byName,
        DateOnly? decisionDate = null, string? decisionReference = null)
    {
        if (!Kind.IsPrescriber()) throw new DomainException("Seule une structure prescriptrice a une habilitation.", "A1");
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainException("Indiquez le motif de ce changement d'habilitation.", "A1");
        var from = Habilitation;
        if (from == to) throw new DomainException($"L'habilitation est déjà « {to.Label()} ».", "A1");
        if (!HabilitationLifecycle.Allows(from, to))
            throw new DomainException(from == HabilitationStatus.Revoked
                ? "Une habilitation retirée ne peut pas être rétablie : créez une nouvelle demande."
                : $"Une habilitation « {from.Label()} » ne peut pas passer à « {to.Label()} ».", "A1");
        if (to == HabilitationStatus.Habilitated)
        {
            if (from == HabilitationStatus.Pending)
            {
                if (decisionDate is null) throw new DomainException("Indiquez la date de la décision d'habilitation.", "A1");
                if (string.IsNullOrWhiteSpace(decisionReference)) throw new DomainException("Indiquez la référence de la décision d'habilitation.", "A1");
            }
            if (decisionDate is not null) HabilitatedOn = decisionDate;
            if (!string.IsNullOrWhiteSpace(decisionReference))
                HabilitationReference = Limited(decisionReference.Trim(), ReferenceMaxLength, "La référence de la décision");
        }
        Habilitation = to;
        Version++;
        var reference = to == HabilitationStatus.Habilitated && HabilitationReference is not null
            ? $" (décision {HabilitationReference}{(HabilitatedOn is { } d ? $" du {d:dd/MM/yyyy}" : "")})" : "";
        return new OrganisationHistory(Id, OrganisationHistoryKind.Habilitation, at, byUserId, byName,
            from.Label(), to.Label() + reference, Limited(reason.Trim(), ReasonMaxLength, "Le motif"));
    }

    /// <summary>A2: names (or, with null, removes) the correspondant délégué; the caller checks that they are a member.</summary>
    public OrganisationHistory NameDelegate(Guid? userId, string? fromName, string? toName, DateTimeOffset at, Guid byUserId, string byName)
    {
        if (!Kind.IsPrescriber() || Kind == OrganisationKind.Region)
            throw new DomainException("Seule une structure prescriptrice nomme un correspondant délégué.", "A2");
        if (userId == DelegateUserId) throw new DomainException("Cette personne est déjà le correspondant délégué.", "A2");
        DelegateUserId = userId;
        Version++;
        return new OrganisationHistory(Id, OrganisationHistoryKind.Delegate, at, byUserId, byName,
            fromName ?? "Aucun", toName ?? "Aucun", "Correspondant délégué");
    }
}

/// <summary>A1: which habilitation changes are allowed.</summary>
public static class HabilitationLifecycle
{
    public static bool Allows(HabilitationStatus from, HabilitationStatus to) => (from, to) switch
    {
        (HabilitationStatus.Pending, HabilitationStatus.Habilitated) => true,
        (HabilitationStatus.Habilitated, HabilitationStatus.Suspended) => true,
        (HabilitationStatus.Suspended, HabilitationStatus.Habilitated) => true,
        (HabilitationStatus.Pending or HabilitationStatus.Habilitated or HabilitationStatus.Suspended, HabilitationStatus.Revoked) => true,
        _ => false,
    };

    /// <summary>The changes offered from a state (the admin screen's buttons).</summary>
    public static IReadOnlyList<HabilitationStatus> Next(HabilitationStatus from) =>
        [.. Enum.GetValues<HabilitationStatus>().Where(to => Allows(from, to))];
}

public enum OrganisationHistoryKind
{
    Habilitation = 1,
    Delegate = 2,
    Coverage = 3,
}

/// <summary>One line of an organisation's history: who changed what, when, from what to what, and why (A1, A2, S10).</summary>
public sealed class OrganisationHistory
{
    private OrganisationHistory() { }

    public OrganisationHistory(Guid organisationId, OrganisationHistoryKind kind, DateTimeOffset at, Guid byUserId, string byName,
        string from, string to, string reason)
    {
        OrganisationId = organisationId;
        Kind = kind;
        At = at;
        ByUserId = byUserId;
        ByName = byName;
        From = from;
        To = to;
        Reason = reason;
    }

    public long Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public OrganisationHistoryKind Kind { get; private set; }
    public DateTimeOffset At { get; private set; }
    public Guid ByUserId { get; private set; }
    public string ByName { get; private set; } = "";
    public string From { get; private set; } = "";
    public string To { get; private set; } = "";
    public string Reason { get; private set; } = "";
}

/// <summary>S10: a département an MFE covers (its arbitrations); an MFE without any covers its territory's département.</summary>
public sealed class MfeCoverage
{
    private MfeCoverage() { }

    public MfeCoverage(Guid organisationId, string departementCode)
    {
        if (string.IsNullOrWhiteSpace(departementCode)) throw new DomainException("Choisissez un département.", "S10");
        OrganisationId = organisationId;
        DepartementCode = departementCode.Trim();
    }

    public Guid OrganisationId { get; private set; }
    public string DepartementCode { get; private set; } = "";
}
