using Portal.Domain.Common;

namespace Portal.Domain.Organisations;

public sealed class Organisation : Entity
{
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

    public void SetAddress(string? address) => Address = string.IsNullOrWhiteSpace(address) ? null : address.Trim();

    /// <summary>The territory the organisation belongs to (for an MFE: the territory it covers, S10).</summary>
    public void MoveToTerritory(Guid territoryId)
    {
        if (territoryId == Guid.Empty) throw new DomainException("Choisissez un territoire.");
        TerritoryId = territoryId;
    }

    /// <summary>A1: only a habilitated prescriber organisation may prescribe.</summary>
    public bool CanPrescribe => Kind.IsPrescriber() && Habilitation == HabilitationStatus.Habilitated;

    public void Habilitate()
    {
        if (!Kind.IsPrescriber()) throw new DomainException("Seule une structure prescriptrice peut être habilitée.", "A1");
        if (Habilitation == HabilitationStatus.Revoked) throw new DomainException("Une habilitation retirée ne peut pas être rétablie : créez une nouvelle demande.", "A1");
        Habilitation = HabilitationStatus.Habilitated;
    }

    public void SuspendHabilitation()
    {
        if (!Kind.IsPrescriber()) throw new DomainException("Seule une structure prescriptrice a une habilitation à suspendre.", "A1");
        if (Habilitation != HabilitationStatus.Habilitated) throw new DomainException("Seule une habilitation active peut être suspendue.", "A1");
        Habilitation = HabilitationStatus.Suspended;
    }

    public void RevokeHabilitation()
    {
        if (!Kind.IsPrescriber()) throw new DomainException("Seule une structure prescriptrice a une habilitation à retirer.", "A1");
        Habilitation = HabilitationStatus.Revoked;
    }
}
