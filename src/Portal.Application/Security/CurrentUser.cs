using System.Security.Claims;
using Portal.Domain.Organisations;

namespace Portal.Application.Security;

/// <summary>Claims the portal adds to the session cookie once the user is matched (see ResolveUser).</summary>
public static class PortalClaims
{
    public const string UserId = "portal:uid";
    public const string OrganisationId = "portal:org";
    public const string OrganisationName = "portal:org_name";
    public const string OrganisationKind = "portal:org_kind";
    public const string TerritoryId = "portal:territory";
    public const string Role = "portal:role";
    public const string Pending = "portal:pending";

    /// <summary>The id of the server-side session record (UserSessions) this cookie belongs to (ADR 0018).</summary>
    public const string SessionId = "portal:sid";
    /// <summary>A2: the user is their organisation's correspondant délégué.</summary>
    public const string Delegate = "portal:delegate";
    /// <summary>A pending user whose identity's SIRET matches an organisation: its name (the access request's starting point).</summary>
    public const string SiretOrganisation = "portal:siret_org";
    /// <summary>Issue #14 (2): that organisation's id, pre-selected in the access request.</summary>
    public const string SiretOrganisationId = "portal:siret_org_id";
    /// <summary>A pending user's given and family names (from the identity provider), for the account their request creates.</summary>
    public const string GivenName = "portal:given_name";
    public const string FamilyName = "portal:family_name";
}

/// <summary>Who is acting, and for which organisation: the input of every authorization decision.</summary>
public sealed record CurrentUser(
    Guid UserId, string DisplayName, Guid OrganisationId, string OrganisationName, OrganisationKind OrganisationKind,
    Guid TerritoryId, IReadOnlySet<Role> Roles)
{
    public bool Is(Role role) => Roles.Contains(role);

    public bool IsPrescriberSide => Is(Role.Prescripteur) || Is(Role.ReferentFormation);

    /// <summary>A2: the organisation's correspondant délégué (as of login; handlers check it again in the database).</summary>
    public bool IsDelegate { get; init; }

    /// <summary>A2: a référent formation, or the correspondant délégué, sees the whole organisation.</summary>
    public bool SeesWholeOrganisation => Is(Role.ReferentFormation) || (IsDelegate && IsPrescriberSide);

    /// <summary>The role whose home screen the user lands on (the most specific one).</summary>
    public Role PrimaryRole => Roles.Count == 0 ? Role.Prescripteur : Roles.Min();

    /// <summary>Reads the portal's claims; null for an anonymous or not yet matched (pending) user.</summary>
    public static CurrentUser? FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true) return null;
        if (!Guid.TryParse(principal.FindFirst(PortalClaims.UserId)?.Value, out var userId)) return null;
        if (!Guid.TryParse(principal.FindFirst(PortalClaims.OrganisationId)?.Value, out var orgId)) return null;
        _ = Guid.TryParse(principal.FindFirst(PortalClaims.TerritoryId)?.Value, out var territoryId);
        _ = Enum.TryParse<OrganisationKind>(principal.FindFirst(PortalClaims.OrganisationKind)?.Value, out var kind);
        var roles = principal.FindAll(PortalClaims.Role)
            .Select(c => Enum.TryParse<Role>(c.Value, out var r) ? r : (Role?)null)
            .OfType<Role>()
            .ToHashSet();
        return new CurrentUser(userId, principal.FindFirst(ClaimTypes.Name)?.Value ?? principal.FindFirst("name")?.Value ?? "",
            orgId, principal.FindFirst(PortalClaims.OrganisationName)?.Value ?? "", kind, territoryId, roles)
        {
            IsDelegate = principal.HasClaim(PortalClaims.Delegate, "true"),
        };
    }
}
