using Microsoft.EntityFrameworkCore;
using Portal.Application.Features.Identity;
using Portal.Application.Tests.Support;
using Portal.Domain.Organisations;
using Portal.Infrastructure.Identity;
using Portal.Infrastructure.Seed;
using Portal.Testing;

namespace Portal.Application.Tests.Identity;

/// <summary>Matching an OpenID Connect login to a portal account: by sub, else by e-mail (binding the sub); null otherwise.</summary>
public sealed class ResolveUserTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ResolveUser.Handler Handler => new(fixture.Database);

    private static string DemoSubject(string local) => DevOidcProvider.DemoSubjectPrefix + DemoData.Email(local);

    /// <summary>Adds a user of the test's own (no sub unless given), member of the organisation named, with the roles given.</summary>
    private async Task<Guid> AddUserAsync(string email, string? subject, string? organisationName, params Role[] roles)
    {
        await using var db = fixture.Database.CreateDbContext();
        var user = new AppUser(email, "Morgane", "Test", subject);
        if (organisationName is not null)
        {
            var organisation = await db.Organisations.SingleAsync(o => o.Name == organisationName);
            foreach (var role in roles) user.Join(organisation, role);
        }
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    private async Task<AppUser> StoredUserAsync(Guid id)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == id);
    }

    [Fact]
    public async Task Resolve_BySubject_ReturnsTheUserWithTheirOrganisationAndRoles()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);

        var resolved = await Handler.HandleAsync(new ResolveUser(DemoSubject(TestUsers.Camille), Email: null), Ct);

        resolved.ShouldNotBeNull();
        resolved.UserId.ShouldBe(camille.UserId);
        resolved.DisplayName.ShouldBe("Camille Durand");
        resolved.OrganisationId.ShouldBe(camille.OrganisationId);
        resolved.OrganisationName.ShouldBe("Mission Locale Technowest");
        resolved.OrganisationKind.ShouldBe(OrganisationKind.MissionLocale);
        resolved.TerritoryId.ShouldBe(camille.TerritoryId);
        resolved.Roles.ShouldBe([Role.Prescripteur]);
    }

    [Fact]
    public async Task Resolve_BySubject_WinsOverTheEmail()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);

        var resolved = await Handler.HandleAsync(new ResolveUser(DemoSubject(TestUsers.Camille), DemoData.Email(TestUsers.Lucas)), Ct);

        resolved.ShouldNotBeNull();
        resolved.UserId.ShouldBe(camille.UserId);
    }

    [Fact]
    public async Task Resolve_ByEmail_OnFirstLogin_BindsTheSubject_ThenMatchesBySubject()
    {
        var id = await AddUserAsync("morgane.first@mission-locale.fr", subject: null, "Mission Locale Pau-Pyrénées", Role.Prescripteur);

        // The provider may spell the address differently: it is matched trimmed and case-insensitively.
        var first = await Handler.HandleAsync(new ResolveUser("proconnect|4f2a", "  Morgane.First@Mission-Locale.fr "), Ct);
        var next = await Handler.HandleAsync(new ResolveUser("proconnect|4f2a", Email: null), Ct);

        first.ShouldNotBeNull();
        first.UserId.ShouldBe(id);
        first.OrganisationName.ShouldBe("Mission Locale Pau-Pyrénées");
        first.Roles.ShouldBe([Role.Prescripteur]);
        (await StoredUserAsync(id)).Subject.ShouldBe("proconnect|4f2a");
        next.ShouldNotBeNull();
        next.UserId.ShouldBe(id);
    }

    [Fact]
    public async Task Resolve_ByEmail_OfAnAccountBoundToAnotherSubject_IsNull_AndKeepsTheBinding()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);

        var resolved = await Handler.HandleAsync(new ResolveUser("attacker|1", DemoData.Email(TestUsers.Camille)), Ct);

        resolved.ShouldBeNull();
        (await StoredUserAsync(camille.UserId)).Subject.ShouldBe(DemoSubject(TestUsers.Camille));
    }

    [Theory]
    [InlineData("unknown|42", "personne@inconnu.fr")]
    [InlineData("unknown|43", null)]
    [InlineData("", null)]
    [InlineData("   ", "camille.durand@demo.portail-formation.fr")]
    public async Task Resolve_UnknownOrEmptySubject_IsNull(string subject, string? email)
    {
        var resolved = await Handler.HandleAsync(new ResolveUser(subject, email), Ct);

        resolved.ShouldBeNull();
    }

    [Fact]
    public async Task Resolve_UserWithoutMembership_IsNull()
    {
        await AddUserAsync("sans.role@exemple.fr", subject: "oidc|no-membership", organisationName: null);

        var resolved = await Handler.HandleAsync(new ResolveUser("oidc|no-membership", "sans.role@exemple.fr"), Ct);

        resolved.ShouldBeNull();
    }

    [Fact]
    public async Task Resolve_DeactivatedUser_IsNull()
    {
        var id = await AddUserAsync("parti@exemple.fr", subject: "oidc|deactivated", "Cap Emploi Gironde", Role.Prescripteur);
        await using (var db = fixture.Database.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == id, Ct);
            user.Deactivate();
            await db.SaveChangesAsync(Ct);
        }

        var resolved = await Handler.HandleAsync(new ResolveUser("oidc|deactivated", Email: null), Ct);

        resolved.ShouldBeNull();
    }

    [Fact]
    public async Task Resolve_UserWithTwoRolesInOneOrganisation_GetsBoth_A2()
    {
        var id = await AddUserAsync("double.role@exemple.fr", subject: "oidc|two-roles", "France Travail Bordeaux Bastide",
            Role.ReferentFormation, Role.Prescripteur);

        var resolved = await Handler.HandleAsync(new ResolveUser("oidc|two-roles", Email: null), Ct);

        resolved.ShouldNotBeNull();
        resolved.UserId.ShouldBe(id);
        resolved.Roles.ShouldBe([Role.Prescripteur, Role.ReferentFormation]);
    }
}
