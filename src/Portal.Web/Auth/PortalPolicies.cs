using Microsoft.AspNetCore.Authorization;
using Portal.Application.Security;
using Portal.Domain.Organisations;

namespace Portal.Web.Auth;

/// <summary>Authorization policies, in one place: one per role, plus "a matched portal user".</summary>
public static class PortalPolicies
{
    public const string PortalUser = "PortalUser";
    public const string Admin = "Role:Admin";

    /// <summary>LHEO import: an administrator (any offer) or a training body (its own SIRET's offer).</summary>
    public const string LheoImport = "LheoImport";

    /// <summary>Prescriber side: a prescripteur or a référent formation (the "Offre" screen).</summary>
    public const string Prescriber = "Prescriber";

    /// <summary>S10: who arbitrates (the MFE of a territory; the Région where no MFE is set): the *Arbitrages* screen.</summary>
    public const string Arbitration = "Arbitration";

    /// <summary>Every policy of the portal (the bUnit base class grants a test user exactly those it satisfies).</summary>
    public static IEnumerable<string> All => new[] { PortalUser, Admin, LheoImport, Prescriber, OrderConsultation, Observatory, Arbitration, SensitiveReads, Organisations, WholeOrganisation, AccessRequests, Users, PersonalDataRegister }.Concat(Enum.GetValues<Role>().Select(For)).Distinct();

    /// <summary>O3: who consults the regional order outside the Région (prescribers, référents, training bodies).</summary>
    public const string OrderConsultation = "OrderConsultation";

    /// <summary>Q3, Q5: who reads the observatories (the Région, the CARIF-OREF, the MFE, the administrator); the handlers check it again.</summary>
    public const string Observatory = "Observatory";

    /// <summary>Issue #14 (4): who reads the journal of RQTH reads (the administrator, a référent formation); the handler checks it again.</summary>
    public const string SensitiveReads = "SensitiveReads";

    /// <summary>Issue #14 (4): who reads the register of requests on personal data (the administrator, a référent formation, a correspondant délégué); the handler checks it again.</summary>
    public const string PersonalDataRegister = "PersonalDataRegister";

    /// <summary>A1, S10: the administration of organisations (the administrator; the Région for habilitation and MFE coverage); the handlers check again.</summary>
    public const string Organisations = "Organisations";

    /// <summary>A2: who sees the whole organisation's candidates: a référent formation, or the correspondant délégué.</summary>
    public const string WholeOrganisation = "WholeOrganisation";

    /// <summary>Issue #14 (2): who decides access requests: the administrator, a référent formation, a correspondant délégué (A2); the handlers scope each row.</summary>
    public const string AccessRequests = "AccessRequests";

    /// <summary>Issue #14 (2): who manages users and memberships: the administrator (all), a référent formation (their organisation).</summary>
    public const string Users = "Users";

    public static string For(Role role) => $"Role:{role}";

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(PortalUser, p => p.RequireAuthenticatedUser().RequireClaim(PortalClaims.UserId));
        options.AddPolicy(LheoImport, p => p.RequireAuthenticatedUser()
            .RequireClaim(PortalClaims.Role, nameof(Role.Admin), nameof(Role.OrganismeFormation)));
        options.AddPolicy(Prescriber, p => p.RequireAuthenticatedUser()
            .RequireClaim(PortalClaims.Role, Role.Prescripteur.ToString(), Role.ReferentFormation.ToString()));
        foreach (var role in Enum.GetValues<Role>())
            options.AddPolicy(For(role), p => p.RequireAuthenticatedUser().RequireClaim(PortalClaims.Role, role.ToString()));
        options.AddPolicy(OrderConsultation, p => p.RequireAuthenticatedUser().RequireClaim(PortalClaims.Role,
            Role.Prescripteur.ToString(), Role.ReferentFormation.ToString(), Role.OrganismeFormation.ToString()));
        options.AddPolicy(Observatory, p => p.RequireAuthenticatedUser().RequireClaim(PortalClaims.Role,
            Role.Region.ToString(), Role.Carif.ToString(), Role.Mfe.ToString(), Role.Admin.ToString()));
        // A2: the délégué reads the RQTH journal of the organisation like its référent (GetSensitiveReads checks the same).
        options.AddPolicy(SensitiveReads, p => p.RequireAuthenticatedUser().RequireAssertion(c => AdminOrWholeOrganisation(c.User)));
        options.AddPolicy(Organisations, p => p.RequireAuthenticatedUser().RequireClaim(PortalClaims.Role, Role.Admin.ToString(), Role.Region.ToString()));
        options.AddPolicy(WholeOrganisation, p => p.RequireAuthenticatedUser().RequireAssertion(c =>
            c.User.HasClaim(PortalClaims.Role, Role.ReferentFormation.ToString())
            || (c.User.HasClaim(PortalClaims.Delegate, "true") && c.User.HasClaim(PortalClaims.Role, Role.Prescripteur.ToString()))));
        options.AddPolicy(AccessRequests, p => p.RequireAuthenticatedUser().RequireAssertion(c => AdminOrWholeOrganisation(c.User)));
        options.AddPolicy(PersonalDataRegister, p => p.RequireAuthenticatedUser().RequireAssertion(c => AdminOrWholeOrganisation(c.User)));
        options.AddPolicy(Users, p => p.RequireAuthenticatedUser().RequireClaim(PortalClaims.Role, Role.Admin.ToString(), Role.ReferentFormation.ToString()));
        options.AddPolicy(Arbitration, p => p.RequireAuthenticatedUser().RequireClaim(PortalClaims.Role, Role.Mfe.ToString(), Role.Region.ToString()));
    }

    /// <summary>The administrator, a référent, or a prescriber organisation's correspondant délégué (A2: sees the whole organisation).</summary>
    private static bool AdminOrWholeOrganisation(System.Security.Claims.ClaimsPrincipal user) =>
        user.HasClaim(PortalClaims.Role, Role.Admin.ToString())
        || user.HasClaim(PortalClaims.Role, Role.ReferentFormation.ToString())
        || (user.HasClaim(PortalClaims.Delegate, "true") && user.HasClaim(PortalClaims.Role, Role.Prescripteur.ToString()));
}
