using Portal.Domain.Common;
using Portal.Domain.Organisations;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

public sealed class AppUserTests
{
    [Fact]
    public void Create_NormalisesTheEmail_AndIsActive()
    {
        var user = new AppUser("  Camille.DURAND@Mission-Locale.fr ", " Camille ", " Durand ");

        user.Email.ShouldBe("camille.durand@mission-locale.fr");
        user.GivenName.ShouldBe("Camille");
        user.FamilyName.ShouldBe("Durand");
        user.DisplayName.ShouldBe("Camille Durand");
        user.Subject.ShouldBeNull();
        user.IsActive.ShouldBeTrue();
        user.EmailNotifications.ShouldBeTrue();
        user.Memberships.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("camille.durand.mission-locale.fr")]
    public void Create_WithAnInvalidEmail_IsRefused(string email)
    {
        Should.Throw<DomainException>(() => new AppUser(email, "Camille", "Durand")).Message.ShouldContain("e-mail");
    }

    [Fact]
    public void DisplayName_WithoutGivenName_HasNoLeadingSpace()
    {
        new AppUser("x@y.fr", "", "Durand").DisplayName.ShouldBe("Durand");
    }

    [Fact]
    public void BindSubject_FirstLogin_BindsTheIdentity()
    {
        var user = User();

        user.BindSubject("oidc|123");

        user.Subject.ShouldBe("oidc|123");
    }

    [Fact]
    public void BindSubject_SameIdentityAgain_IsAccepted()
    {
        var user = new AppUser("a@b.fr", "A", "B", "oidc|123");

        Should.NotThrow(() => user.BindSubject("oidc|123"));
        user.Subject.ShouldBe("oidc|123");
    }

    [Fact]
    public void BindSubject_AnotherIdentity_IsRefused()
    {
        var user = User();
        user.BindSubject("oidc|123");

        Should.Throw<DomainException>(() => user.BindSubject("oidc|999")).Message.ShouldContain("autre identité");
        user.Subject.ShouldBe("oidc|123");
    }

    [Fact]
    public void Join_WithARoleTheOrganisationAllows_AddsTheMembership_A1()
    {
        var user = User();
        var org = Organisation(OrganisationKind.MissionLocale);

        var membership = user.Join(org, Role.Prescripteur);

        membership.UserId.ShouldBe(user.Id);
        membership.OrganisationId.ShouldBe(org.Id);
        membership.Role.ShouldBe(Role.Prescripteur);
        user.Memberships.ShouldBe([membership]);
    }

    [Fact]
    public void Join_WithARoleTheOrganisationDoesNotAllow_IsRefused_NamingRoleAndKind_A1()
    {
        var user = User();
        var org = Organisation(OrganisationKind.TrainingBody);

        var ex = Should.Throw<DomainException>(() => user.Join(org, Role.Prescripteur));

        ex.Message.ShouldBe("Le rôle « Prescripteur » n'est pas possible dans une organisation de type « Organisme de formation ».");
        user.Memberships.ShouldBeEmpty();
    }

    [Fact]
    public void Join_RegionAsReferentFormation_IsRefused_A2()
    {
        var user = User();

        var ex = Should.Throw<DomainException>(() => user.Join(Organisation(OrganisationKind.Region), Role.ReferentFormation));

        ex.Message.ShouldContain("« Référent formation »");
        ex.Message.ShouldContain("« Région »");
    }

    [Fact]
    public void Join_TheSameRoleTwice_IsRefused()
    {
        var user = User();
        var org = Organisation(OrganisationKind.FranceTravail);
        user.Join(org, Role.Prescripteur);

        Should.Throw<DomainException>(() => user.Join(org, Role.Prescripteur)).Message.ShouldContain("déjà ce rôle");
        user.Memberships.Count.ShouldBe(1);
    }

    [Fact]
    public void Join_AnotherRoleOrAnotherOrganisation_IsAccepted()
    {
        var user = User();
        var missionLocale = Organisation(OrganisationKind.MissionLocale);
        var capEmploi = Organisation(OrganisationKind.CapEmploi);

        user.Join(missionLocale, Role.Prescripteur);
        user.Join(missionLocale, Role.ReferentFormation);
        user.Join(capEmploi, Role.Prescripteur);

        user.Memberships.Select(m => (m.OrganisationId, m.Role)).ShouldBe(
        [
            (missionLocale.Id, Role.Prescripteur),
            (missionLocale.Id, Role.ReferentFormation),
            (capEmploi.Id, Role.Prescripteur),
        ]);
    }

    [Fact]
    public void Deactivate_MakesTheUserInactive()
    {
        var user = User();

        user.Deactivate();

        user.IsActive.ShouldBeFalse();
    }

    [Fact]
    public void SetEmailNotifications_TogglesThePreference()
    {
        var user = User();

        user.SetEmailNotifications(false);
        user.EmailNotifications.ShouldBeFalse();
        user.SetEmailNotifications(true);
        user.EmailNotifications.ShouldBeTrue();
    }
}
