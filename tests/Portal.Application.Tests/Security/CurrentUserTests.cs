using System.Security.Claims;
using Portal.Application.Security;
using Portal.Domain.Organisations;

namespace Portal.Application.Tests.Security;

public sealed class CurrentUserTests
{
    private static readonly Guid UserId = Guid.Parse("0197b000-0000-7000-8000-000000000001");
    private static readonly Guid OrganisationId = Guid.Parse("0197b000-0000-7000-8000-000000000002");
    private static readonly Guid TerritoryId = Guid.Parse("0197b000-0000-7000-8000-000000000003");

    private static ClaimsPrincipal Principal(params Claim[] claims) => new(new ClaimsIdentity(claims, authenticationType: "oidc"));

    private static Claim[] MatchedClaims(params string[] roles) =>
    [
        new(ClaimTypes.Name, "Camille Durand"),
        new(PortalClaims.UserId, UserId.ToString()),
        new(PortalClaims.OrganisationId, OrganisationId.ToString()),
        new(PortalClaims.OrganisationName, "Mission Locale Technowest"),
        new(PortalClaims.OrganisationKind, nameof(OrganisationKind.MissionLocale)),
        new(PortalClaims.TerritoryId, TerritoryId.ToString()),
        .. roles.Select(r => new Claim(PortalClaims.Role, r)),
    ];

    [Fact]
    public void FromPrincipal_OfAMatchedUser_ReadsThePortalClaims()
    {
        var user = CurrentUser.FromPrincipal(Principal(MatchedClaims(nameof(Role.ReferentFormation), nameof(Role.Prescripteur), "NotARole")));

        user.ShouldNotBeNull();
        user.UserId.ShouldBe(UserId);
        user.DisplayName.ShouldBe("Camille Durand");
        user.OrganisationId.ShouldBe(OrganisationId);
        user.OrganisationKind.ShouldBe(OrganisationKind.MissionLocale);
        user.TerritoryId.ShouldBe(TerritoryId);
        user.Roles.ShouldBe([Role.ReferentFormation, Role.Prescripteur], ignoreOrder: true);
        user.IsPrescriberSide.ShouldBeTrue();
        user.PrimaryRole.ShouldBe(Role.Prescripteur);
    }

    [Fact]
    public void FromPrincipal_OfAnAnonymousUser_IsNull() =>
        CurrentUser.FromPrincipal(new ClaimsPrincipal(new ClaimsIdentity(MatchedClaims(nameof(Role.Region))))).ShouldBeNull();

    [Fact]
    public void FromPrincipal_OfAUserNotYetMatched_IsNull()
    {
        var pending = Principal(new Claim(ClaimTypes.Name, "Inconnu"), new Claim(PortalClaims.Pending, "true"));

        CurrentUser.FromPrincipal(pending).ShouldBeNull();
        CurrentUser.FromPrincipal(null).ShouldBeNull();
    }

    [Fact]
    public void IsPrescriberSide_IsFalse_ForATrainingBody()
    {
        var user = CurrentUser.FromPrincipal(Principal(MatchedClaims(nameof(Role.OrganismeFormation))));

        user.ShouldNotBeNull();
        user.IsPrescriberSide.ShouldBeFalse();
        user.Is(Role.OrganismeFormation).ShouldBeTrue();
    }
}
