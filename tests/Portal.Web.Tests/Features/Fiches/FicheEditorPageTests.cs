using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.Fiches;
using Portal.Domain.Offer;
using Portal.Testing;
using Portal.Web.Features.Fiches;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Features.Fiches.FicheScreens;

namespace Portal.Web.Tests.Features.Fiches;

/// <summary>O2, S12: the fiche editor. Tests change rows, so each has its own database.</summary>
public sealed class FicheEditorPageTests : PortalTestContext
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
    }

    private IRenderedComponent<FicheEditorPage> RenderLoaded(Guid? id = null)
    {
        var cut = Render<FicheEditorPage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        return cut;
    }

    private async Task<int> FichesCountAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.FicheActions.CountAsync(Cancellation);
    }

    [Fact]
    public async Task NewFiche_ShowsTheLabelledSectionsInFrench_O2()
    {
        await AuthorizeAsAsync(TestUsers.Julie);

        var cut = RenderLoaded();

        cut.Find("h1").Shown().ShouldBe("Nouvelle fiche action");
        cut.FindAll("h2").Select(h => h.Shown()).ShouldBe(["Identification", "Contenu et certification", "Débouchés et suites de parcours", "Public et admission", "Sélection des candidats", "Lieux et contact"]);
        var labels = cut.FindAll("label").Select(l => l.Shown()).ToList();
        labels.ShouldContain("Intitulé *");
        labels.ShouldContain("Objectifs *");
        labels.ShouldContain("Code RNCP");
        labels.ShouldContain("Accessibilité aux personnes handicapées");
        labels.ShouldContain("Ajouter un métier (code ou intitulé ROME)");
        cut.Markup.ShouldContain("Critères de sélection *");
        FicheEnumNames().Matches(cut.Markup).Select(m => m.Value).ShouldBeEmpty();
        cut.Find("[data-field='EntryMode']").GetAttribute("value").ShouldBe("Entrées groupées");
    }

    [Fact]
    public async Task SaveAndSubmit_EmptyForm_ShowsFrenchMessagesOnTheMandatoryFields_AndSavesNothing_O2()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var before = await FichesCountAsync();
        var cut = RenderLoaded();

        ButtonIn(cut, "Enregistrer et soumettre").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid='form-errors']").ShouldNotBeNull());
        FieldError(cut, "Title").ShouldBe("L'intitulé est obligatoire.");
        FieldError(cut, "Objectives").ShouldBe("Les objectifs sont obligatoires pour soumettre la fiche.");
        FieldError(cut, "AdmissionConditions").ShouldBe("Les conditions d'admission sont obligatoires pour soumettre la fiche.");
        FieldError(cut, "HoursInCentre").ShouldBe("Indiquez la durée de la formation (en centre et/ou en entreprise) pour soumettre la fiche.");
        cut.Find("[data-testid='criteria']").Shown().ShouldContain("Ajoutez au moins un critère de sélection pour soumettre la fiche (S12).");
        cut.Find("[data-testid='rome']").Shown().ShouldContain("Ajoutez au moins un métier visé (code ROME) pour soumettre la fiche.");
        cut.Find("[data-testid='form-errors']").Shown().ShouldStartWith("La fiche n'est pas enregistrée. Corrigez les 9 champs suivants");
        (await FichesCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task SaveDraft_WithATitleOnly_IsSaved_AndOpensTheFiche_O2()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var cut = RenderLoaded();
        cut.Find("[data-field='Title']").Change("Soudeur TIG");
        cut.Find("[data-field='ContactEmail']").Change("soudure@of.exemple.fr");

        ButtonIn(cut, "Enregistrer le brouillon").Click();

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Brouillon enregistré."));
        await using var db = Database.CreateDbContext();
        var saved = await db.FicheActions.SingleAsync(f => f.Title == "Soudeur TIG", Cancellation);
        saved.OrganisationId.ShouldBe(julie.OrganisationId);
        saved.Status.ShouldBe(FicheStatus.Draft);
        saved.ContactEmail.ShouldBe("soudure@of.exemple.fr");
        Services.GetRequiredService<NavigationManager>().Uri.ShouldEndWith($"/fiches/{saved.Id}");
    }

    [Fact]
    public async Task MalformedEmail_IsShownUnderTheField_AndWhatWasTypedStays_O2()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var cut = RenderLoaded();
        cut.Find("[data-field='Title']").Change("Soudeur TIG");
        cut.Find("[data-field='ContactEmail']").Change("soudure.of.fr");

        ButtonIn(cut, "Enregistrer le brouillon").Click();

        cut.WaitForAssertion(() => FieldError(cut, "ContactEmail").ShouldBe("L'adresse e-mail du contact est invalide (par exemple contact@organisme.fr)."));
        cut.Find("[data-field='Title']").GetAttribute("value").ShouldBe("Soudeur TIG");
        cut.Find("[data-field='ContactEmail']").GetAttribute("value").ShouldBe("soudure.of.fr");
    }

    [Fact]
    public async Task AddingCriteria_WithEnter_MakesSeparateItems_ThatAreSaved_S12()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var cut = RenderLoaded();
        cut.Find("[data-field='Title']").Change("Fiche aux critères");
        var input = cut.Find("[data-testid='criteria-input']");

        input.Input("Permis B");
        input.KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });
        cut.Find("[data-testid='criteria-input']").Input("Port de charges");
        cut.Find("[data-testid='criteria-input']").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        cut.WaitForAssertion(() => cut.FindAll(".portal-criteria li").Select(li => li.Shown()).ShouldBe(["Permis B", "Port de charges"]));
        cut.Find("[data-testid='criteria-input']").Input("Criterion to remove");
        cut.Find("[data-testid='criteria-input']").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });
        cut.WaitForAssertion(() => cut.FindAll(".portal-criteria li").Count.ShouldBe(3));
        cut.Find("button[aria-label='Retirer le critère « Criterion to remove »']").Click();
        cut.WaitForAssertion(() => cut.FindAll(".portal-criteria li").Select(li => li.Shown()).ShouldBe(["Permis B", "Port de charges"]));
        ButtonIn(cut, "Enregistrer le brouillon").Click();
        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Brouillon enregistré."));
        await using var db = Database.CreateDbContext();
        (await db.FicheActions.SingleAsync(f => f.Title == "Fiche aux critères", Cancellation)).SelectionCriteria.ShouldBe(["Permis B", "Port de charges"]);
    }

    [Fact]
    public async Task ReturnedFiche_ShowsTheRegionsComment_AndItsFieldsAndLists_O2()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var returned = await db.FicheActions.SingleAsync(f => f.OrganisationId == julie.OrganisationId && f.Status == FicheStatus.Returned, Cancellation);

        var cut = RenderLoaded(returned.Id);

        cut.Find("h1").Shown().ShouldBe(returned.Title);
        cut.Find("[data-testid='region-comment']").Shown().ShouldBe($"Renvoyée par la Région : {returned.RegionComment}");
        var objectives = cut.Find("[data-field='Objectives']");
        (objectives.GetAttribute("value") ?? objectives.TextContent).ShouldBe(returned.Objectives);
        cut.FindAll("[data-testid='rome'] [data-code]").Select(c => c.GetAttribute("data-code")).ShouldBe(returned.RomeCodes);
        cut.FindAll(".portal-criteria li").Select(li => li.Shown()).ShouldBe(returned.SelectionCriteria);
        cut.Find("[data-testid='places']").Shown().ShouldContain("Bordeaux (33063)");
    }

    [Fact]
    public async Task ServerRefusal_FicheSubmittedMeanwhile_IsShown_AndTheTypedTitleStays_O2()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var draft = await Services.GetRequiredService<SaveFiche.Handler>().HandleAsync(Complete(null, "Fiche partagée", false), julie, Cancellation);
        var cut = RenderLoaded(draft.FicheId);
        cut.Find("[data-field='Title']").Change("Fiche partagée (titre corrigé)");
        // A colleague submits it from another screen before this one saves.
        await Services.GetRequiredService<SubmitFiche.Handler>().HandleAsync(new SubmitFiche(draft.FicheId!.Value), julie, Cancellation);

        ButtonIn(cut, "Enregistrer le brouillon").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid='server-refusal']").Shown().ShouldBe("Une fiche « Soumise » ne peut plus être modifiée."));
        cut.Find("[data-field='Title']").GetAttribute("value").ShouldBe("Fiche partagée (titre corrigé)");
    }

    [Fact]
    public async Task SubmittedFiche_IsShownReadOnly_WithoutSaveButtons_O2()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var id = await SubmittedFicheAsync(Services, julie, "Fiche déjà soumise");

        var cut = RenderLoaded(id);

        cut.Markup.ShouldContain("Cette fiche est « Soumise » : elle ne peut plus être modifiée.");
        cut.Find("[data-field='Title']").HasAttribute("disabled").ShouldBeTrue();
        cut.FindAll("button").Select(b => b.Shown()).ShouldNotContain(t => t.StartsWith("Enregistrer", StringComparison.Ordinal));
        cut.FindAll("[data-testid='criteria-input']").ShouldBeEmpty();
        cut.FindAll("button[aria-label^='Retirer']").ShouldBeEmpty();
    }

    [Fact]
    public async Task AnotherOrganismesFiche_IsFicheIntrouvable()
    {
        var thomas = await UserAsync(TestUsers.Thomas);
        await AuthorizeAsAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var other = await db.FicheActions.FirstAsync(f => f.OrganisationId == thomas.OrganisationId, Cancellation);

        var cut = RenderLoaded(other.Id);

        cut.Find("h1").Shown().ShouldBe("Fiche introuvable");
        cut.Markup.ShouldNotContain(other.Title);
    }
}
