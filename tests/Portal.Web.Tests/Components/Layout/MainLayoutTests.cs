using Microsoft.Extensions.DependencyInjection;
using Bunit;
using MudBlazor;
using MudBlazor.Services;
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
    public async Task NavMenu_IsOneComponent_NoAuthorizeViewNorNavLinkPerEntry_Issue12()
    {
        await AuthorizeAsAsync(TestUsers.Camille);

        var nav = RenderLayout().FindComponent<NavMenu>();

        // Issue #12 (circuit memory): the entries are markup chosen from the user's policies, not components.
        nav.FindAll(".mud-nav-link").Count.ShouldBe(7);
        nav.FindComponents<Microsoft.AspNetCore.Components.Authorization.AuthorizeView>().ShouldBeEmpty();
        nav.FindComponents<MudBlazor.MudNavLink>().ShouldBeEmpty();
        nav.FindComponents<MudBlazor.MudIcon>().ShouldBeEmpty();
        // Each entry keeps MudBlazor's icon markup.
        nav.FindAll(".mud-nav-link svg.mud-nav-link-icon").Count.ShouldBe(7);
    }

    [Fact]
    public async Task NavMenu_TheRegion_KeepsItsLiveEntry_FichesAValider_AsItsOwnComponent()
    {
        await AuthorizeAsAsync(TestUsers.Claire);

        var nav = RenderLayout().FindComponent<NavMenu>();

        nav.FindComponents<Portal.Web.Features.Fiches.FichesToValidateLink>().Count.ShouldBe(1);
        nav.FindComponents<Portal.Web.Features.Access.AccessRequestsLink>().ShouldBeEmpty();
        nav.Find("a[href='/fiches-a-valider']").ShouldNotBeNull();
    }

    [Fact]
    public async Task NavMenu_MarksTheEntryOfTheCurrentAddress_AndFollowsNavigation()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/offre?q=cariste");
        var cut = RenderLayout();

        string[] Active() => [.. cut.FindAll("nav a.mud-nav-link.active").Select(a => a.GetAttribute("href")!)];

        // "/offre" matches its own entry (query ignored); "/" only matches the home address itself.
        cut.WaitForAssertion(() => Active().ShouldBe(["/offre"]));
        cut.Find("nav a[href='/offre']").GetAttribute("aria-current").ShouldBe("page");
        cut.Find("nav a[href='/catalogue']").HasAttribute("aria-current").ShouldBeFalse();

        navigation.NavigateTo("/");
        cut.WaitForAssertion(() => Active().ShouldBe(["/", "/"])); // Accueil and Mes candidats

        navigation.NavigateTo("/commande-regionale/consultation/lot-1");
        cut.WaitForAssertion(() => Active().ShouldBe(["/commande-regionale/consultation"]));
    }

    /// <summary>
    /// Issue #12: the menu's links are plain anchors now; on a narrow screen (below the drawer's breakpoint, md: 960 px)
    /// the drawer, opened with the menu button, covers the page and must close once a link is followed, as MudNavLink
    /// closed it. On a wide screen it stays open.
    /// </summary>
    [Theory]
    [InlineData(700, false)]
    [InlineData(1400, true)]
    public async Task Drawer_AfterANavigation_ClosesOnANarrowScreen_AndStaysOpenOnAWideOne(int windowWidth, bool openAfter)
    {
        JSInterop.Setup<BrowserWindowSize>("mudResizeListener.getBrowserWindowSize").SetResult(new BrowserWindowSize { Width = windowWidth, Height = 900 });
        await AuthorizeAsAsync(TestUsers.Camille);
        // Interactive, as the signed-in screens are (the menu button exists only with a circuit).
        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p>Contenu</p>")))
            .SetAssignedRenderMode(Microsoft.AspNetCore.Components.Web.RenderMode.InteractiveServer));
        if (!cut.Find("aside.mud-drawer").ClassList.Contains("mud-drawer--open"))
            cut.Find("button[aria-label='Ouvrir ou fermer le menu']").Click();
        cut.WaitForAssertion(() => cut.Find("aside.mud-drawer").ClassList.ShouldContain("mud-drawer--open"));

        Services.GetRequiredService<NavigationManager>().NavigateTo("/offre");

        cut.WaitForAssertion(() => cut.Find("aside.mud-drawer").ClassList.ShouldContain(openAfter ? "mud-drawer--open" : "mud-drawer--closed"));
    }

    [Fact]
    public async Task NavMenu_TheJobsDashboard_IsLoadedByTheBrowser_NotByTheRouter()
    {
        await AuthorizeAsAsync(TestUsers.Admin);

        var cut = RenderLayout();

        cut.Find("nav a[href='/hangfire']").GetAttribute("target").ShouldBe("_top");
        cut.Find("nav a[href='/admin/journal']").HasAttribute("target").ShouldBeFalse();
    }

    [Fact]
    public async Task MainLayout_DrawsNoThemeStyleSheet_ItIsInTheStaticHead_Issue12()
    {
        await AuthorizeAsAsync(TestUsers.Camille);

        var cut = RenderLayout();

        // App.razor renders MudThemeProvider once in the page's head; the circuit's layout holds no copy of it.
        cut.Markup.ShouldNotContain("mud-theme-provider");
        cut.FindComponents<MudBlazor.MudThemeProvider>().ShouldBeEmpty();
        // The providers needed at run time stay.
        cut.FindComponents<MudBlazor.MudPopoverProvider>().Count.ShouldBe(1);
        cut.FindComponents<MudBlazor.MudDialogProvider>().Count.ShouldBe(1);
        cut.FindComponents<MudBlazor.MudSnackbarProvider>().Count.ShouldBe(1);
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
