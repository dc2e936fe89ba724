namespace Portal.Domain.Organisations;

public enum OrganisationKind
{
    MissionLocale = 1,
    FranceTravail = 2,
    CapEmploi = 3,
    OtherApprovedPrescriber = 4,
    Region = 5,
    TrainingBody = 6,
    CarifOref = 7,
    Mfe = 8,
}

public enum HabilitationStatus
{
    Pending = 0,
    Habilitated = 1,
    Suspended = 2,
    Revoked = 3,
}

public enum TerritoryKind
{
    Departement = 1,
    EmploymentZone = 2,
}

/// <summary>Roles of the charter's actors (A1–A6) plus the administrator.</summary>
public enum Role
{
    Prescripteur = 1,
    ReferentFormation = 2,
    OrganismeFormation = 3,
    Region = 4,
    Carif = 5,
    Mfe = 6,
    Admin = 7,
}

public static class OrganisationKindExtensions
{
    /// <summary>A1: organisations whose counsellors may prescribe (once habilitated).</summary>
    public static bool IsPrescriber(this OrganisationKind kind) => kind is OrganisationKind.MissionLocale
        or OrganisationKind.FranceTravail or OrganisationKind.CapEmploi or OrganisationKind.OtherApprovedPrescriber
        or OrganisationKind.Region;

    /// <summary>Which roles a member of an organisation of this kind may hold.</summary>
    public static bool Allows(this OrganisationKind kind, Role role) => role switch
    {
        Role.Prescripteur => kind.IsPrescriber(),
        Role.ReferentFormation => kind.IsPrescriber() && kind != OrganisationKind.Region,
        Role.OrganismeFormation => kind == OrganisationKind.TrainingBody,
        Role.Region => kind == OrganisationKind.Region,
        Role.Carif => kind == OrganisationKind.CarifOref,
        Role.Mfe => kind == OrganisationKind.Mfe,
        Role.Admin => kind is OrganisationKind.Region or OrganisationKind.CarifOref,
        _ => false,
    };
}
