using Bunit;
using Portal.Testing;
using Portal.Web.Components.Pages;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Pages;

/// <summary>"/" sends each role to its own home; anonymous users get the landing page, unmatched ones "Accès en attente".</summary>
public sealed class HomeTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    [Theory]
    [InlineData(TestUsers.Camille, "Mes candidats")]
    [InlineData(TestUsers.Sophie, "Candidats de l'organisation")]
    [InlineData(TestUsers.Julie, "Mes sessions")]
    [InlineData(TestUsers.Claire, "Pilotage")]
    [InlineData(TestUsers.Nicolas, "Observatoires")]
    [InlineData(TestUsers.Aurelie, "Arbitrages")]
    [InlineData(TestUsers.Admin, "Administration")]
    public async Task Home_ShowsTheHomeOfTheUsersRole(string account, string heading)
    {
        await AuthorizeAsAsync(account);

        var cut = Render<Home>();

        cut.WaitForAssertion(() =>
        {
            cut.FindAll("h1").Single().Shown().ShouldBe(heading);
            // Loaded, without a refusal: the home's handler accepted the role.
            cut.FindAll(".mud-progress-linear").ShouldBeEmpty();
            cut.FindAll(".mud-alert-text-warning").ShouldBeEmpty();
        });
        cut.FindAll("a[href='/connexion']").ShouldBeEmpty();
    }

    [Fact]
    public void Home_Anonymous_ShowsTheLandingPageWithSeConnecter()
    {
        var cut = Render<Home>();

        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Portail de prescription de la formation régionale"));
        cut.Find("a[href='/connexion']").Shown().ShouldBe("Se connecter");
        cut.Find("a[href='/connexion']").GetAttribute("target").ShouldBe("_top");
    }

    [Fact]
    public void Home_Anonymous_LeadsToThePublicCatalogue()
    {
        var cut = Render<Home>();

        cut.WaitForAssertion(() => cut.Find("a[href='/catalogue']").Shown().ShouldBe("Consulter le catalogue des formations"));
    }

    [Fact]
    public async Task Home_AuthenticatedWithoutPortalAccount_ShowsAccesEnAttente()
    {
        await AuthorizeAsPendingAsync("Jeanne Inconnue");

        var cut = Render<Home>();

        cut.WaitForAssertion(() => cut.FindAll("h1").Single().Shown().ShouldBe("Accès en attente"));
        cut.FindAll("a[href='/connexion']").ShouldBeEmpty();
        cut.Markup.ShouldNotContain("Mes candidats");
    }
}
