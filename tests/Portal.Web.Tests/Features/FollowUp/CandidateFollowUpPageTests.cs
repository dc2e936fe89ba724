using Microsoft.Extensions.DependencyInjection;
using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Application.Features.Candidates;
using Portal.Testing;
using Portal.Web.Features.Candidates;
using Portal.Web.Features.FollowUp;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.FollowUp;

/// <summary>A7, S7: the prescriber's link panel on the candidate page, and the candidate's public page. Each test has its own database.</summary>
public sealed class CandidateFollowUpPageTests : PortalTestContext
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;
    private Guid _nadia;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Database.CreateDbContext();
        _nadia = await db.AllCandidates.Where(c => c.FirstName == "Nadia" && c.LastName == "Chevalier").Select(c => c.Id).SingleAsync(Cancellation);
        _snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
    }

    private async Task<string> TokenAsync()
    {
        var camille = await UserAsync(TestUsers.Camille);
        return (await Services.GetRequiredService<CreateCandidateLink.Handler>().HandleAsync(new CreateCandidateLink(_nadia), camille, Cancellation)).Token;
    }

    [Fact]
    public async Task CandidatePage_PrescriberCreatesALink_SeesItOnce_AndRevokesIt_A7()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var cut = Render<CandidatePage>(p => p.Add(c => c.Id, _nadia));
        cut.WaitForAssertion(() => cut.Find("[data-testid='candidate-links']"));

        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.Shown() == "Créer un lien personnel").Click());

        cut.WaitForAssertion(() => cut.Find("[data-testid='new-link']").Shown().ShouldStartWith("Lien créé, valable jusqu'au 27/12/2026 : copiez-le maintenant"));
        var url = cut.Find("[data-testid='new-link'] input").GetAttribute("value")!;
        url.ShouldStartWith("http://localhost/mon-suivi/");
        var token = url["http://localhost/mon-suivi/".Length..];
        token.Length.ShouldBe(43);
        cut.Find("[data-link-id]").Shown().ShouldContain("Actif jusqu'au 27/12/2026");

        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.Shown() == "Révoquer").Click());

        cut.WaitForAssertion(() => cut.Find("[data-link-id]").Shown().ShouldContain("Révoqué le 27/11/2026"));
        cut.FindAll("[data-testid='new-link']").ShouldBeEmpty();
        _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Lien révoqué : il n'ouvre plus rien.");
    }

    [Fact]
    public async Task CandidatePage_TrainingBody_HasNoLinkPanel_A7()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var cut = Render<CandidatePage>(p => p.Add(c => c.Id, _nadia));
        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Nadia CHEVALIER"));

        cut.FindAll("[data-testid='candidate-links']").ShouldBeEmpty();
    }

    [Fact]
    public async Task FollowUpPage_ShowsTheFirstName_TheStatusInPlainWords_AndTheReasons_A7_S7()
    {
        var token = await TokenAsync();

        var cut = Render<CandidateFollowUpPage>(p => p.Add(c => c.Token, token));

        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Bonjour Nadia"));
        var choice = cut.Find("[data-testid='follow-up-choice']");
        choice.QuerySelector("h2")!.Shown().ShouldBe("Préparation au titre de cariste d'entrepôt (CACES R489)");
        choice.Shown().ShouldContain("Organisme de formation : Formapro Gironde");
        cut.Find("[data-testid='follow-up-status']").Shown().ShouldBe("Vous n'êtes pas retenu pour cette formation.");
        cut.FindAll("[data-testid='follow-up-reasons'] li").Select(l => l.Shown()).ShouldBe([
            "Prérequis non atteints : Projet professionnel dans la logistique validé", "Candidat indisponible aux dates de la session"]);
        cut.Markup.ShouldNotContain("Chevalier");
        cut.Markup.ShouldNotContain("nadia.chevalier@exemple.fr");
        Text.EnumNamesIn(cut.Markup).ShouldBeEmpty();
    }

    [Fact]
    public async Task FollowUpPage_SaysWhoSeesTheData_HowToAskForACopyOrErasure_AndTheRetentionPeriodSet()
    {
        PersonalData = new(RetentionMonths: 36);
        var token = await TokenAsync();

        var cut = Render<CandidateFollowUpPage>(p => p.Add(c => c.Token, token));

        cut.WaitForAssertion(() => cut.Find("[data-testid='follow-up-personal-data']"));
        var statement = cut.Find("[data-testid='follow-up-personal-data']").Shown();
        statement.ShouldStartWith("Vos données personnelles");
        statement.ShouldContain("les organismes de formation où vous êtes inscrit et la Région");
        statement.ShouldContain("une copie de vos données, leur correction ou leur effacement");
        statement.ShouldContain("pendant 36 mois après la fin de votre dernière demande");
    }

    [Fact]
    public async Task FollowUpPage_ExpiredLink_SaysInvalidOrExpired_A7()
    {
        var token = await TokenAsync();
        Clock.Advance(TimeSpan.FromDays(CandidateLinkSettings.DefaultDays));

        var cut = Render<CandidateFollowUpPage>(p => p.Add(c => c.Token, token));

        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Lien invalide ou expiré"));
        cut.Markup.ShouldNotContain("Nadia");
    }

    [Fact]
    public void FollowUpPage_UnknownLink_SaysInvalidOrExpired_A7()
    {
        var cut = Render<CandidateFollowUpPage>(p => p.Add(c => c.Token, "inconnu"));

        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Lien invalide ou expiré"));
    }
}
