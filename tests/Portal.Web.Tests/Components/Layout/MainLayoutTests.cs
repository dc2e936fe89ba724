using Bunit;
using Microsoft.AspNetCore.Components;
using Portal.Testing;
using Portal.Web.Components.Layout;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Layout;

public sealed class MainLayoutTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id=\"page-body\">Contenu de la page</p>"))));

    [Fact]
    public async Task MainLayout_Authorized_ShowsNameOrganisationAndSeDeconnecter()
    {
        await AuthorizeAsAsync(TestUsers.Camille);

        var cut = RenderLayout();

        var user = cut.Find("[data-testid='current-user']");
        user.QuerySelectorAll("span.mud-typography").Select(s => s.Shown()).ShouldBe(["Camille Durand", "· Mission Locale Technowest"]);
        var logout = user.QuerySelector("form[method='post'][action='/deconnexion']").ShouldNotBeNull();
        logout.QuerySelector("button[type='submit']").ShouldNotBeNull().Shown().ShouldBe("Se déconnecter");
        logout.QuerySelector($"input[type='hidden'][name='{FakeAntiforgeryStateProvider.FormFieldName}']").ShouldNotBeNull()
            .GetAttribute("value").ShouldBe(FakeAntiforgeryStateProvider.Token);
        cut.FindAll("a[href='/connexion']").ShouldBeEmpty();
    }

    [Fact]
    public void MainLayout_Anonymous_OffersSeConnecter_AndNoUser()
    {
        var cut = RenderLayout();

        var login = cut.Find("a[href='/connexion']");
        login.Shown().ShouldBe("Se connecter");
        // The login is an HTTP endpoint, not a page: the browser goes there itself, Blazor's router does not intercept
        // the click (a round trip through a busy circuit once lost it in CI).
        login.GetAttribute("target").ShouldBe("_top");
        cut.FindAll("[data-testid='current-user']").ShouldBeEmpty();
        cut.Markup.ShouldNotContain("Se déconnecter");
    }

    [Fact]
    public void MainLayout_RendersThePageInsideMain_MarkedInteractive()
    {
        var cut = RenderLayout();

        var main = cut.Find("main");
        main.QuerySelector("#page-body").ShouldNotBeNull().Shown().ShouldBe("Contenu de la page");
        main.GetAttribute("data-interactive").ShouldBe("true");
    }

    [Theory]
    [InlineData(null, new[] { "Accueil", "Catalogue" })]
    [InlineData(TestUsers.Camille, new[] { "Accueil", "Catalogue", "Offre", "Mes candidats", "Commande régionale", "Mes exports", "Mes préférences" })]
    [InlineData(TestUsers.Sophie, new[] { "Accueil", "Catalogue", "Offre", "Candidats de l'organisation", "Commande régionale", "Mes exports", "Mes préférences", "Journal des consultations RQTH", "Registre des données personnelles", "Demandes d'accès", "Utilisateurs" })]
    [InlineData(TestUsers.Julie, new[] { "Accueil", "Catalogue", "Mes sessions", "Mes fiches", "Commande régionale", "Importer une offre LHEO", "Mes exports", "Mes préférences" })]
    [InlineData(TestUsers.Claire, new[] { "Accueil", "Catalogue", "Pilotage", "Fiches à valider 1", "Commande régionale", "Arbitrages", "Cohérence EOS", "Observatoire de l'accès", "Qualité de la prescription", "Rapport d'évaluation", "Mes exports", "Mes préférences", "Organisations" })]
    [InlineData(TestUsers.Nicolas, new[] { "Accueil", "Catalogue", "Observatoires", "Observatoire de l'accès", "Qualité de la prescription", "Rapport d'évaluation", "Mes exports", "Mes préférences" })]
    [InlineData(TestUsers.Aurelie, new[] { "Accueil", "Catalogue", "Arbitrages", "Observatoire de l'accès", "Qualité de la prescription", "Rapport d'évaluation", "Mes exports", "Mes préférences" })]
    [InlineData(TestUsers.Admin, new[] { "Accueil", "Catalogue", "Observatoire de l'accès", "Qualité de la prescription", "Rapport d'évaluation", "Importer une offre LHEO", "Mes exports", "Mes préférences", "Journal des consultations RQTH", "Registre des données personnelles", "Organisations", "Demandes d'accès", "Utilisateurs", "Journal d'administration", "Référentiels", "Tâches planifiées" })]
    public async Task NavMenu_ShowsTheEntriesOfTheUsersRoleOnly(string? account, string[] expected)
    {
        if (account is not null) await AuthorizeAsAsync(account);

        var cut = RenderLayout();

        cut.FindAll("nav .mud-nav-link").Select(l => l.Shown()).ShouldBe(expected);
    }

    [Fact]
    public async Task NavMenu_TheDelegate_SeesTheOrganisationsEntries_TheRqthJournalAndTheRegisterOfPersonalDataAmongThem_A2()
    {
        await AuthorizeAsAsync(TestUsers.Camille, asDelegate: true);

        var cut = RenderLayout();

        cut.FindAll("nav .mud-nav-link").Select(l => l.Shown()).ShouldBe(
            ["Accueil", "Catalogue", "Offre", "Mes candidats", "Candidats de l'organisation", "Commande régionale", "Mes exports", "Mes préférences",
             "Journal des consultations RQTH", "Registre des données personnelles", "Demandes d'accès"]);
    }

    [Theory]
    [InlineData(TestUsers.Claire, "/commande-regionale")]
    [InlineData(TestUsers.Camille, "/commande-regionale/consultation")]
    [InlineData(TestUsers.Sophie, "/commande-regionale/consultation")]
    [InlineData(TestUsers.Julie, "/commande-regionale/consultation")]
    public async Task NavMenu_CommandeRegionale_LeadsTheRegionToItsScreen_AndOthersToTheConsultation_O3(string account, string href)
    {
        await AuthorizeAsAsync(account);

        var cut = RenderLayout();

        cut.FindAll("nav a.mud-nav-link").Single(l => l.Shown() == "Commande régionale").GetAttribute("href").ShouldBe(href);
    }
}
