using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.Fiches;
using Portal.Application.Security;
using Portal.Web.Components.Layout;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Testing;
using Portal.Web.Features.Fiches;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Features.Fiches.FicheScreens;

namespace Portal.Web.Tests.Features.Fiches;

/// <summary>O2: the Région's list of fiches to validate and its review page. Tests change rows, so each has its own database.</summary>
public sealed class FicheReviewTests : PortalTestContext
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private CurrentUser _julie = null!;
    private CurrentUser _claire = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _snackbars = Render<MudSnackbarProvider>();
        _dialogs = Render<MudDialogProvider>();
        _julie = await UserAsync(TestUsers.Julie);
        _claire = await AuthorizeAsAsync(TestUsers.Claire);
    }

    /// <summary>A fiche submitted (v1), returned, changed (title, hours, one criterion) and resubmitted (v2).</summary>
    private async Task<Guid> ResubmittedFicheAsync()
    {
        var id = await SubmittedFicheAsync(Services, _julie, "Agent de propreté");
        await Services.GetRequiredService<ReturnFiche.Handler>().HandleAsync(new ReturnFiche(id, "Préciser la durée."), _claire, Cancellation);
        var fixedFiche = Complete(id, "Agent de propreté et d'hygiène", submit: true) with
        {
            HoursInCompany = 210, SelectionCriteria = ["Motivation pour le métier", "Aptitude au travail debout"],
        };
        (await Services.GetRequiredService<SaveFiche.Handler>().HandleAsync(fixedFiche, _julie, Cancellation)).Succeeded.ShouldBeTrue();
        return id;
    }

    private IRenderedComponent<FicheReviewPage> RenderReview(Guid id)
    {
        var cut = Render<FicheReviewPage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        return cut;
    }

    private async Task<FicheAction> StoredAsync(Guid id)
    {
        await using var db = Database.CreateDbContext();
        return await db.FicheActions.AsNoTracking().SingleAsync(f => f.Id == id, Cancellation);
    }

    [Fact]
    public async Task FichesToValidate_ListsSubmittedFichesWithTheirOrganismeAndDate_InFrench_O2()
    {
        var id = await SubmittedFicheAsync(Services, _julie, "Fiche fraîchement soumise");

        var cut = Render<FichesToValidatePage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-fiche-id]").ShouldNotBeEmpty());

        cut.Find("h1").Shown().ShouldBe("Fiches à valider");
        var row = cut.Find($"[data-fiche-id='{id}']").Closest("tr")!;
        var cells = row.QuerySelectorAll("td").Select(c => c.Shown()).ToList();
        cells[0].ShouldStartWith("Fiche fraîchement soumise");
        cells[0].ShouldEndWith("Entrées groupées");
        cells[1].ShouldBe(_julie.OrganisationName);
        cells[2].ShouldBe("1");
        cells[3].ShouldBe(FrenchTime.ToFrance(TestDatabase.DefaultNow).ToString("dd/MM/yyyy"));
        cut.Markup.ShouldContain("Agent de restauration collective"); // submitted in the demo data
        FicheEnumNames().IsMatch(cut.Markup).ShouldBeFalse();
    }

    [Fact]
    public async Task FichesToValidate_FiftyFiveMoreSubmissions_ShowsOneServerPageOfFifty_OldestFirst_WithTheTotal_O2()
    {
        // The demo's submitted fiche + 55 submitted by Julie: 56 waiting, one page of 50.
        for (var n = 1; n <= 55; n++) await SubmittedFicheAsync(Services, _julie, $"Soumise {n:D2}");

        var cut = Render<FichesToValidatePage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-fiche-id]").Count.ShouldBe(GetFichesToValidate.DefaultTake));
        cut.Find("[data-testid='fiches-count']").Shown().ShouldBe("56 fiche(s) soumise(s), la plus ancienne en premier.");
        cut.Find("[data-testid='fiches-pager']").Shown().ShouldContain("1–50 sur 56");
        cut.FindAll("[data-fiche-id]")[0].Shown().ShouldStartWith("Agent de restauration collective");
    }

    [Fact]
    public async Task FichesToValidate_ANewSubmission_AppearsLive_O2()
    {
        var cut = Render<FichesToValidatePage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-fiche-id]").ShouldNotBeEmpty());

        var id = await SubmittedFicheAsync(Services, _julie, "Soumise pendant que la Région regarde");

        cut.WaitForAssertion(() => cut.Find($"[data-fiche-id='{id}']").ClassList.ShouldContain("portal-live-changed"));
        cut.Find("[data-testid='live-announcer']").Shown().ShouldBe("Nouvelle fiche à valider : « Soumise pendant que la Région regarde ».");
    }

    [Fact]
    public async Task Review_OfAResubmission_ShowsExactlyTheChangedFields_BeforeAndAfter_O2()
    {
        var id = await ResubmittedFicheAsync();

        var cut = RenderReview(id);

        cut.Find("h1").Shown().ShouldBe("Agent de propreté et d'hygiène");
        cut.Find("[data-testid='fiche-status']").Shown().ShouldBe("Soumise");
        cut.Find("[data-testid='review-summary']").Shown().ShouldContain("version 2");
        cut.Find("[data-testid='review-summary']").Shown().ShouldContain("3 champ(s) modifié(s) depuis la version 1");
        var rows = cut.FindAll("[data-testid='fiche-changes'] tbody tr");
        rows.Select(r => r.QuerySelector("th")!.Shown()).ShouldBe(["Intitulé", "Critères de sélection", "Durée"]);
        var duration = rows[2].QuerySelectorAll("td").Select(c => c.Shown()).ToList();
        duration.ShouldBe(["400 h en centre, 140 h en entreprise", "400 h en centre, 210 h en entreprise"]);
        rows[0].QuerySelectorAll("td").Select(c => c.Shown()).ShouldBe(["Agent de propreté", "Agent de propreté et d'hygiène"]);
        // Criteria line by line (S12): only the replaced criterion is struck out, only the new one underlined.
        var criteria = rows[1].QuerySelectorAll("td");
        criteria[0].QuerySelectorAll("div").Select(d => d.Shown()).ShouldBe(["Motivation pour le métier", "Aptitude physique"]);
        criteria[0].QuerySelectorAll("del").Select(d => d.Shown()).ShouldBe(["Aptitude physique"]);
        criteria[1].QuerySelectorAll("ins").Select(d => d.Shown()).ShouldBe(["Aptitude au travail debout"]);
        cut.Find("[data-testid='fiche-changes'] thead").Shown().ShouldBe("Champ Avant (version 1) Après (version 2)");
        cut.FindAll("[data-testid='selection-criteria'] li").Select(li => li.Shown()).ShouldBe(["Motivation pour le métier", "Aptitude au travail debout"]);
        cut.Find("[data-testid='fiche-details']").Shown().ShouldContain("Nettoyage de locaux (K2204)");
    }

    [Fact]
    public async Task Review_OfAFirstSubmission_SaysThereIsNoPreviousVersion_O2()
    {
        var id = await SubmittedFicheAsync(Services, _julie, "Première soumission");

        var cut = RenderReview(id);

        cut.Find("[data-testid='no-previous-version']").Shown().ShouldBe("Première soumission : aucune version précédente à comparer.");
        cut.FindAll("[data-testid='fiche-changes']").ShouldBeEmpty();
    }

    [Fact]
    public async Task ReturnDialog_WithoutComment_IsRefusedInsideTheDialog_AndTheFicheStaysSubmitted_O2()
    {
        var id = await SubmittedFicheAsync(Services, _julie, "Fiche à renvoyer");
        var cut = RenderReview(id);

        ButtonIn(cut, "Renvoyer à l'organisme").Click();
        _dialogs.WaitForAssertion(() => _dialogs.Find("[data-testid='confirm-return']").ShouldNotBeNull());
        _dialogs.Find("[data-testid='confirm-return']").Click();

        _dialogs.WaitForAssertion(() => _dialogs.Find(".mud-dialog").Shown()
            .ShouldContain("Le commentaire est obligatoire : dites à l'organisme ce qu'il doit corriger."));
        (await StoredAsync(id)).Status.ShouldBe(FicheStatus.Submitted);
    }

    [Fact]
    public async Task ReturnDialog_WithComment_ReturnsTheFicheToItsOrganisme_O2()
    {
        var id = await SubmittedFicheAsync(Services, _julie, "Fiche à renvoyer avec commentaire");
        var cut = RenderReview(id);

        ButtonIn(cut, "Renvoyer à l'organisme").Click();
        _dialogs.WaitForAssertion(() => _dialogs.Find("[data-testid='return-comment']").ShouldNotBeNull());
        _dialogs.Find("textarea[data-testid='return-comment']").Input("Détaillez les critères de sélection.");
        _dialogs.Find("[data-testid='confirm-return']").Click();

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Fiche renvoyée à l'organisme avec votre commentaire."));
        var stored = await StoredAsync(id);
        stored.Status.ShouldBe(FicheStatus.Returned);
        stored.RegionComment.ShouldBe("Détaillez les critères de sélection.");
        cut.WaitForAssertion(() => cut.Find("[data-testid='fiche-status']").Shown().ShouldBe("Renvoyée"));
        cut.FindAll("button").Select(b => b.Shown()).ShouldNotContain("Valider la fiche");
    }

    [Fact]
    public async Task Validate_PublishesTheFiche_O2()
    {
        var id = await ResubmittedFicheAsync();
        var cut = RenderReview(id);

        ButtonIn(cut, "Valider la fiche").Click();

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Fiche validée : elle est publiée."));
        (await StoredAsync(id)).Status.ShouldBe(FicheStatus.Validated);
        cut.WaitForAssertion(() => cut.Find("[data-testid='fiche-status']").Shown().ShouldBe("Validée"));
    }

    [Fact]
    public async Task NavMenu_ShowsTheRegionTheNumberOfFichesToValidate_Live_O2()
    {
        await using var db = Database.CreateDbContext();
        var before = await db.FicheActions.CountAsync(f => f.Status == FicheStatus.Submitted, Cancellation);
        var cut = Render<NavMenu>();
        cut.WaitForAssertion(() => cut.Find("[data-testid='fiches-to-validate-count']").Shown().ShouldBe(before.ToString()));

        await SubmittedFicheAsync(Services, _julie, "Une de plus");

        cut.WaitForAssertion(() => cut.Find("[data-testid='fiches-to-validate-count']").Shown().ShouldBe((before + 1).ToString()));
        cut.FindAll("a").Select(a => a.Shown()).ShouldContain(t => t.StartsWith("Fiches à valider", StringComparison.Ordinal));
    }
}
