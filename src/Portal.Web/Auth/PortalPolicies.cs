using Microsoft.AspNetCore.Authorization;
using Portal.Application.Security;
using Portal.Domain.Organisations;

namespace Portal.Web.Auth;

/// <summary>Authorization policies, in one place: one per role, plus "a matched portal user".</summary>
public static class PortalPolicies
{
    public const string PortalUser = "PortalUser";
    public const string Admin = "Role:Admin";

    /// <summary>O3: who consults the regional order outside the Région (prescribers, référents, training bodies).</summary>
    public const string OrderConsultation = "OrderConsultation";

    public static string For(Role role) => $"Role:{role}";

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(PortalUser, p => p.RequireAuthenticatedUser().RequireClaim(PortalClaims.UserId));
        foreach (var role in Enum.GetValues<Role>())
            options.AddPolicy(For(role), p => p.RequireAuthenticatedUser().RequireClaim(PortalClaims.Role, role.ToString()));
        options.AddPolicy(OrderConsultation, p => p.RequireAuthenticatedUser().RequireClaim(PortalClaims.Role,
            Role.Prescripteur.ToString(), Role.ReferentFormation.ToString(), Role.OrganismeFormation.ToString()));
    }
}
