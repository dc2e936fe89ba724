using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.Fiches;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Testing;
using Portal.Web.Features.Fiches;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Fiches;

/// <summary>O2: the OF's "Mes fiches". Tests change rows, so each has its own database.</summary>
public sealed class MyFichesPageTests : PortalTestContext
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _snackbars = Render<MudSnackbarProvider>();
    }

    private IRenderedComponent<MyFichesPage> RenderLoaded()
    {
        var cut = Render<MyFichesPage>();
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        return cut;
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<MyFichesPage> cut, Guid id) => cut.Find($"[data-fiche-id='{id}']").Closest("tr")!;

    [Fact]
    public async Task MyFiches_ShowsTheOrganismesFichesInFrench_WithStatusVersionDateAndTheRegionsComment_O2()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var fiches = await db.FicheActions.Where(f => f.OrganisationId == julie.OrganisationId).ToListAsync(Cancellation);

        var cut = RenderLoaded();

        cut.Find("h1").Shown().ShouldBe("Mes fiches");
        cut.FindAll("[data-fiche-id]").Count.ShouldBe(fiches.Count);
        var returned = fiches.Single(f => f.Status == FicheStatus.Returned);
        var row = Row(cut, returned.Id);
        row.QuerySelector("[data-testid='fiche-status']")!.Shown().ShouldBe("Renvoyée");
        row.QuerySelector("[data-testid='region-comment']")!.Shown().ShouldBe($"Commentaire de la Région : {returned.RegionComment}");
        row.Shown().ShouldContain(FrenchTime.ToFrance(returned.UpdatedAt).ToString("dd/MM/yyyy"));
        row.QuerySelectorAll("button").Select(b => b.Shown()).ShouldContain("Soumettre");
        var validated = fiches.First(f => f.Status == FicheStatus.Validated);
        Row(cut, validated.Id).QuerySelector("[data-testid='fiche-status']")!.Shown().ShouldBe("Validée");
        Row(cut, validated.Id).QuerySelectorAll("button").Select(b => b.Shown()).ShouldNotContain("Soumettre");
        FicheScreens.FicheEnumNames().IsMatch(cut.Markup).ShouldBeFalse();
    }

    [Fact]
    public async Task MyFiches_ManyFiches_ShowsOneServerPageOfFifty_WithTheTotalInThePagerAndTheSummary_O2()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var save = Services.GetRequiredService<SaveFiche.Handler>();
        for (var n = 1; n <= 55; n++) await save.HandleAsync(FicheScreens.Complete(null, $"Brouillon {n:D2}", false), julie, Cancellation);
        await using var db = Database.CreateDbContext();
        var total = await db.FicheActions.CountAsync(f => f.OrganisationId == julie.OrganisationId, Cancellation);
        total.ShouldBeGreaterThan(GetMyFiches.DefaultTake);

        var cut = RenderLoaded();

        cut.WaitForAssertion(() => cut.FindAll("[data-fiche-id]").Count.ShouldBe(GetMyFiches.DefaultTake));
        cut.Find("[data-testid='fiches-pager']").Shown().ShouldContain($"1–50 sur {total}");
        cut.Find("[data-testid='fiches-summary']").Shown().ShouldStartWith($"{total} fiche(s) · ");
        // Returned first: the demo's returned fiche heads the first page.
        cut.FindAll("[data-fiche-id]")[0].Shown().ShouldContain("Remise à niveau vers les métiers de la logistique");
    }

    [Fact]
    public async Task Submit_AnIncompleteDraft_IsRefusedNamingTheMissingFields_O2()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var draft = await Services.GetRequiredService<SaveFiche.Handler>().HandleAsync(
            FicheScreens.Complete(null, "Brouillon incomplet", submit: false) with { Objectives = "", RomeCodes = [] }, julie, Cancellation);
        var cut = RenderLoaded();

        Row(cut, draft.FicheId!.Value).QuerySelectorAll("button").Single(b => b.Shown() == "Soumettre").Click();

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown()
            .ShouldBe("Champs obligatoires manquants : objectifs, métiers visés (codes ROME). Complétez la fiche avant de la soumettre."));
        Row(cut, draft.FicheId!.Value).QuerySelector("[data-testid='fiche-status']")!.Shown().ShouldBe("Brouillon");
    }

    [Fact]
    public async Task Submit_ACompleteDraft_SubmitsItAsVersion1_O2()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var draft = await Services.GetRequiredService<SaveFiche.Handler>().HandleAsync(FicheScreens.Complete(null, "Brouillon complet", false), julie, Cancellation);
        var id = draft.FicheId!.Value;
        var cut = RenderLoaded();

        Row(cut, id).QuerySelectorAll("button").Single(b => b.Shown() == "Soumettre").Click();

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Fiche « Brouillon complet » soumise à la Région."));
        cut.WaitForAssertion(() => Row(cut, id).QuerySelector("[data-testid='fiche-status']")!.Shown().ShouldBe("Soumise"));
        Row(cut, id).QuerySelectorAll("td")[2].Shown().ShouldBe("1");
    }

    [Fact]
    public async Task ReturnedByTheRegionElsewhere_ShowsLiveWithTheComment_O2()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var claire = await UserAsync(TestUsers.Claire);
        var id = await FicheScreens.SubmittedFicheAsync(Services, julie, "Fiche soumise puis renvoyée");
        var cut = RenderLoaded();
        Row(cut, id).QuerySelector("[data-testid='fiche-status']")!.Shown().ShouldBe("Soumise");

        await Services.GetRequiredService<ReturnFiche.Handler>().HandleAsync(new ReturnFiche(id, "Ajoutez la durée en entreprise."), claire, Cancellation);

        cut.WaitForAssertion(() => Row(cut, id).QuerySelector("[data-testid='fiche-status']")!.Shown().ShouldBe("Renvoyée"));
        Row(cut, id).QuerySelector("[data-testid='region-comment']")!.Shown().ShouldBe("Commentaire de la Région : Ajoutez la durée en entreprise.");
        // The row is marked and the announcement set in the batch after the table's own reload.
        cut.WaitForAssertion(() =>
        {
            cut.Find("[data-fiche-id='" + id + "']").ClassList.ShouldContain("portal-live-changed");
            cut.Find("[data-testid='live-announcer']").Shown().ShouldBe("La fiche « Fiche soumise puis renvoyée » est maintenant « Renvoyée ».");
        });
    }
}
