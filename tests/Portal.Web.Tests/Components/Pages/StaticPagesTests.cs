using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Components.Pages;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Pages;

/// <summary>The pages without data: each has a French heading and a French browser title.</summary>
public sealed class StaticPagesTests : PortalTestContext
{
    [Fact]
    public void NotFound_SaysPageIntrouvable() =>
        AssertPage<NotFound>("Page introuvable", "Page introuvable – Portail de prescription");

    [Fact]
    public void AccessPendingPage_SaysAccesEnAttente() =>
        AssertPage<AccessPendingPage>("Accès en attente", "Accès en attente – Portail de prescription");

    [Fact]
    public void AccessDeniedPage_SaysAccesRefuse() =>
        AssertPage<AccessDeniedPage>("Accès refusé", "Accès refusé – Portail de prescription");

    [Fact]
    public void LoginFailed_SaysConnexionImpossible() =>
        AssertPage<LoginFailed>("Connexion impossible", "Connexion impossible – Portail de prescription");

    [Fact]
    public void Error_SaysUneErreurEstSurvenue() =>
        AssertPage<Error>("Une erreur est survenue", "Erreur – Portail de prescription");

    [Theory]
    [InlineData("expiree", "Votre demande de connexion a expiré")]
    [InlineData("refusee", "Le fournisseur d'identité a refusé la connexion")]
    public void LoginFailed_ExplainsTheReasonFromTheQuery(string motif, string expected)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("motif", motif));

        var cut = Render<LoginFailed>();

        cut.Find(".mud-alert").Shown().ShouldStartWith(expected);
        cut.Find("a[href='/connexion']").Shown().ShouldBe("Se reconnecter");
    }

    [Fact]
    public void NotFound_LeadsBackHome() =>
        Render<NotFound>().Find("a[href='/']").Shown().ShouldBe("Revenir à l'accueil");

    private void AssertPage<TPage>(string heading, string title) where TPage : IComponent
    {
        var head = Render<HeadOutlet>();
        var cut = Render<TPage>();

        cut.FindAll("h1").Single().Shown().ShouldBe(heading);
        head.WaitForAssertion(() => head.Find("title").Shown().ShouldBe(title));
    }
}
