using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Candidates;
using Portal.Web.Features.Catalogue;
using Portal.Web.Features.Fiches;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Features.Fiches.FicheScreens;

namespace Portal.Web.Tests.Features.Prescriptions;

/// <summary>
/// P1, P2 (issue #13): the OF writes the débouchés and suites de parcours in the fiche editor, the public fiche shows
/// them, and the prescribe dialog shows the jobs, débouchés, suites, admission conditions and selection modalities
/// before the prescriber commits. Each test has its own database.
/// </summary>
public sealed class FicheOutcomesScreensTests : PortalTestContext
{
    /// <summary>The demo data's débouchés and suites de parcours (DemoData.Seed), written by hand here.</summary>
    private const string DemoProspects = "Métiers en tension sur le territoire : plusieurs dizaines d'offres par an chez les employeurs partenaires.";
    private const string DemoPaths = "Accès direct à l'emploi ; poursuite possible vers une qualification de niveau supérieur ou un bloc de compétences complémentaire.";

    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    [Fact]
    public async Task FicheEditor_SavesTheDebouchesAndSuitesDeParcours_P1()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var cut = Render<FicheEditorPage>(p => p.Add(c => c.Id, (Guid?)null));
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        cut.Find("[data-field='Title']").Change("Soudeur TIG P1");
        cut.Find("[data-field='JobProspects']").Change("Soudeur en chaudronnerie ; métier en tension.");
        cut.Find("[data-field='FollowOnPaths']").Change("Poursuite vers le titre de soudeur assembleur industriel.");

        ButtonIn(cut, "Enregistrer le brouillon").Click();

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Brouillon enregistré."));
        await using var db = Database.CreateDbContext();
        var saved = await db.FicheActions.SingleAsync(f => f.Title == "Soudeur TIG P1", Cancellation);
        saved.JobProspects.ShouldBe("Soudeur en chaudronnerie ; métier en tension.");
        saved.FollowOnPaths.ShouldBe("Poursuite vers le titre de soudeur assembleur industriel.");
    }

    [Fact]
    public async Task FicheEditor_TooLongDebouches_ShowsTheFrenchMessageUnderTheField_O2()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var cut = Render<FicheEditorPage>(p => p.Add(c => c.Id, (Guid?)null));
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        cut.Find("[data-field='Title']").Change("Soudeur TIG trop long");
        cut.Find("[data-field='JobProspects']").Change(new string('x', 4001));

        ButtonIn(cut, "Enregistrer le brouillon").Click();

        cut.WaitForAssertion(() => FieldError(cut, "JobProspects").ShouldBe("Débouchés : 4000 caractères au plus."));
        await using var db = Database.CreateDbContext();
        (await db.FicheActions.AnyAsync(f => f.Title == "Soudeur TIG trop long", Cancellation)).ShouldBeFalse();
    }

    [Fact]
    public async Task PublicFichePage_ShowsTheDebouchesAndSuitesDeParcours_P1()
    {
        await using var db = Database.CreateDbContext();
        var id = await db.FicheActions.Where(f => f.Title == "Préparation au titre de cariste d'entrepôt (CACES R489)").Select(f => f.Id).SingleAsync(Cancellation);

        var cut = Render<CatalogueFichePage>(p => p.Add(c => c.Id, id));

        cut.WaitForAssertion(() => cut.FindAll("h2").Select(h => h.Shown()).ShouldContain("Débouchés"));
        var sections = cut.FindAll("section").ToDictionary(s => s.QuerySelector("h2")?.Shown() ?? "", s => s.QuerySelector("p")?.Shown() ?? "");
        sections["Débouchés"].ShouldBe(DemoProspects);
        sections["Suites de parcours"].ShouldBe(DemoPaths);
    }

    [Fact]
    public async Task PrescribeDialog_SelectedSession_ShowsJobsDebouchesSuitesAdmissionAndSelection_BeforeCommitting_P1_P2()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        var candidate = await Services.GetRequiredService<CreateCandidate.Handler>().HandleAsync(
            new CreateCandidate("Samia", "Test", new DateOnly(2001, 4, 2), "33063"), camille, Cancellation);
        var option = (await Services.GetRequiredService<GetPrescribableSessions.Handler>().HandleAsync(new GetPrescribableSessions("cariste"), camille, Cancellation)).First();
        var cut = Render<CandidatePage>(p => p.Add(c => c.Id, candidate));
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.Shown() == "Prescrire sur une session").Click());
        _dialogs.WaitForAssertion(() => _dialogs.FindAll("button").ShouldContain(b => b.Shown() == "Prescrire"));
        _dialogs.FindAll("[data-testid='fiche-outcomes']").ShouldBeEmpty();

        var autocomplete = _dialogs.FindComponent<MudAutocomplete<GetPrescribableSessions.Option>>();
        await autocomplete.InvokeAsync(() => autocomplete.Instance.SelectOptionAsync(option));

        _dialogs.WaitForAssertion(() => _dialogs.FindAll("[data-testid='fiche-outcomes']").ShouldHaveSingleItem());
        _dialogs.Find("[data-testid='fiche-outcomes']").QuerySelectorAll("h3").Select(h => h.Shown()).ShouldBe(["Métiers visés", "Débouchés", "Suites de parcours"]);
        _dialogs.Find("[data-testid='jobs']").Shown().ShouldContain("(N1101)");
        _dialogs.Find("[data-testid='job-prospects']").Shown().ShouldBe(DemoProspects);
        _dialogs.Find("[data-testid='follow-on-paths']").Shown().ShouldBe(DemoPaths);
        _dialogs.Find("[data-testid='admission'] h3").Shown().ShouldBe("Conditions d'admission");
        _dialogs.Find("[data-testid='admission-conditions']").Shown().ShouldBe("Demandeur d'emploi inscrit ou jeune accompagné par une Mission Locale ; prescription obligatoire.");
        _dialogs.Find("[data-testid='selection-modalities']").Shown().ShouldBe("Information collective, tests de positionnement, entretien individuel de motivation.");
        _dialogs.FindAll("[data-testid='criteria']").ShouldHaveSingleItem();
    }
}
