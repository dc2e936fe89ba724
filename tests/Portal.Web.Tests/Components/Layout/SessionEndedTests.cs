using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Testing;
using Portal.Web.Auth;
using Portal.Web.Components.Layout;
using Portal.Web.Components.Shared;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Layout;

/// <summary>
/// Issue #15 (7), ADR 0018: once a circuit's session is ended (logout in another tab, a deactivated user...), the layout
/// drops the page and its data and says so in French, with a way back in.
/// </summary>
public sealed class SessionEndedTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id=\"page-body\">Candidate : Anaïs BÉRANGER</p>"))));

    [Fact]
    public async Task MainLayout_WhenTheSessionEnds_ShowsTheFrenchMessage_AndNoLongerThePageNorTheUser_Issue15_7()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/candidats/0199a1b2-0000-7000-8000-000000000001");
        var cut = RenderLayout();
        cut.Find("#page-body").Shown().ShouldBe("Candidate : Anaïs BÉRANGER");

        // What the revalidating provider does: mark the circuit's session ended, then the user anonymous.
        Services.GetRequiredService<SessionEndedState>().MarkEnded();
        Authorization.SetNotAuthorized();

        cut.WaitForAssertion(() => cut.Find("[data-testid='session-ended'] h1").Shown().ShouldBe("Votre session est terminée. Reconnectez-vous."));
        cut.FindAll("#page-body").ShouldBeEmpty();
        cut.Markup.ShouldNotContain("BÉRANGER");
        cut.Markup.ShouldNotContain("Camille Durand");
        cut.Markup.ShouldNotContain("Mission Locale Technowest");
        cut.FindAll("[data-testid='current-user']").ShouldBeEmpty();
        var relogin = cut.FindAll("a").Single(a => a.Shown() == "Se reconnecter");
        relogin.GetAttribute("href").ShouldBe("/connexion?returnUrl=%2Fcandidats%2F0199a1b2-0000-7000-8000-000000000001");
        cut.Find("a[href='/connexion']").Shown().ShouldBe("Se connecter");
    }

    [Fact]
    public async Task MainLayout_WhileTheSessionLives_ShowsThePage_AndNoEndedMessage_Issue15_7()
    {
        await AuthorizeAsAsync(TestUsers.Camille);

        var cut = RenderLayout();

        cut.Find("#page-body").Shown().ShouldBe("Candidate : Anaïs BÉRANGER");
        cut.FindAll("[data-testid='session-ended']").ShouldBeEmpty();
        cut.Markup.ShouldNotContain("Votre session est terminée");
    }

    [Fact]
    public void SessionEnded_OnTheHome_LeadsBackToTheHome()
    {
        var cut = Render<SessionEnded>();

        cut.Find("a").GetAttribute("href").ShouldBe("/connexion?returnUrl=%2F");
        cut.Find("[role='alert']").Shown().ShouldContain("cette page n'affiche plus rien");
    }
}
