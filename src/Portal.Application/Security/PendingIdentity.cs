using System.Security.Claims;

namespace Portal.Application.Security;

/// <summary>
/// Issue #14 (2): a person signed in through OpenID Connect whom the portal does not let in (unknown, or with no
/// membership): what the login put in their "pending" cookie. The input of the access request handlers.
/// </summary>
public sealed record PendingIdentity(string Subject, string? Email, string DisplayName, string? GivenName, string? FamilyName,
    Guid? SiretOrganisationId = null)
{
    /// <summary>Reads a pending principal's claims; null for an anonymous user or a portal user.</summary>
    public static PendingIdentity? FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true || !principal.HasClaim(PortalClaims.Pending, "true")) return null;
        var subject = principal.FindFirst("sub")?.Value;
        if (string.IsNullOrWhiteSpace(subject)) return null;
        return new PendingIdentity(subject, principal.FindFirst("email")?.Value,
            principal.FindFirst(ClaimTypes.Name)?.Value ?? "", principal.FindFirst(PortalClaims.GivenName)?.Value,
            principal.FindFirst(PortalClaims.FamilyName)?.Value,
            Guid.TryParse(principal.FindFirst(PortalClaims.SiretOrganisationId)?.Value, out var id) ? id : null);
    }
}
