using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.Administration;
using Portal.Domain.Organisations;
using Portal.Testing;
using Portal.Web.Features.Administration;
using Portal.Web.Features.Home;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Administration;

/// <summary>A1, A2, S10: the organisations list, the organisation form (identity, habilitation, délégué, MFE coverage, history) and the prescriber's live banner. Each test has its own database.</summary>
public sealed class OrganisationScreensTests : PortalTestContext
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
    }

    private static IElement Button<T>(IRenderedComponent<T> host, string testId) where T : IComponent =>
        host.Find($"[data-testid='{testId}']");

    /// <summary>A MudTextField's input (MudBlazor puts the test id on it) or a checkbox's.</summary>
    private static IElement Field<T>(IRenderedComponent<T> host, string testId) where T : IComponent =>
        host.Find($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input, [data-testid='{testId}'] textarea");

    private async Task<Guid> OrganisationIdAsync(string name)
    {
        await using var db = Database.CreateDbContext();
        return await db.Organisations.Where(o => o.Name == name).Select(o => o.Id).SingleAsync(Cancellation);
    }

    private async Task<Organisation> StoredAsync(Guid id)
    {
        await using var db = Database.CreateDbContext();
        return await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == id, Cancellation);
    }

    private static IReadOnlyList<string> Names(IRenderedComponent<OrganisationsPage> cut) =>
        [.. cut.FindAll("[data-testid='organisations'] tbody tr td:first-child").Select(td => td.Shown())];

    [Fact]
    public async Task OrganisationsPage_Admin_ListsByName_SearchesInSql_AndOffersToCreate_A1()
    {
        await AuthorizeAsAsync(TestUsers.Admin);

        var cut = Render<OrganisationsPage>();

        cut.WaitForAssertion(() => Names(cut).ShouldContain("Mission Locale Technowest"));
        Names(cut).ShouldBe(Names(cut).Order(StringComparer.Ordinal).ToList());
        cut.Find("a[href='/admin/organisations/nouvelle']").Shown().ShouldBe("Nouvelle organisation");
        // The habilitation column: a prescriber's status, "Sans objet" for an OF.
        var rows = cut.FindAll("[data-testid='organisations'] tbody tr");
        rows.First(r => r.Shown().Contains("Mission Locale Technowest", StringComparison.Ordinal)).Shown().ShouldContain("Habilitée");
        rows.First(r => r.Shown().Contains("Formapro Gironde", StringComparison.Ordinal)).Shown().ShouldContain("Sans objet");

        // What the debounced field hands the page once the typing pauses.
        await cut.InvokeAsync(() => cut.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync("Pau"));

        cut.WaitForAssertion(() =>
        {
            Names(cut).ShouldContain("France Travail Pau Université");
            Names(cut).ShouldNotContain("Mission Locale Technowest");
        });
    }

    [Fact]
    public async Task OrganisationsPage_KindFilter_KeepsOnlyThatKind_A1()
    {
        await AuthorizeAsAsync(TestUsers.Claire);
        var cut = Render<OrganisationsPage>();
        cut.WaitForAssertion(() => Names(cut).ShouldContain("Formapro Gironde"));

        await cut.InvokeAsync(() => cut.FindComponents<MudSelect<OrganisationKind?>>()[0].Instance.SelectOption(OrganisationKind.Mfe));

        cut.WaitForAssertion(() => Names(cut).ShouldBe(["MFE du Béarn", "MFE du Médoc"]));
        // The Région decides habilitations but does not create organisations.
        cut.FindAll("a[href='/admin/organisations/nouvelle']").ShouldBeEmpty();
    }

    [Fact]
    public async Task OrganisationsPage_APrescriber_IsRefusedInFrench_WithoutAnyRow()
    {
        await AuthorizeAsAsync(TestUsers.Camille);

        var cut = Render<OrganisationsPage>();

        cut.WaitForAssertion(() => cut.Find(".mud-alert").Shown().ShouldBe("La liste des organisations est réservée à l'administrateur et à la Région."));
        cut.FindAll("[data-testid='organisations']").ShouldBeEmpty();
    }

    [Fact]
    public async Task OrganisationForm_AWrongSiretKey_IsToldInFrench_AndAGoodOneIsSaved()
    {
        await AuthorizeAsAsync(TestUsers.Admin);
        var id = await OrganisationIdAsync("Cap Emploi Gironde");
        var cut = Render<OrganisationFormPage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Cap Emploi Gironde"));

        // 73282932000075: Luhn sum 51, not a multiple of 10.
        var siret = Field(cut, "siret");
        siret.Input("73282932000075");
        siret.Blur();
        cut.WaitForAssertion(() => cut.Markup.ShouldContain("sa clé de contrôle ne correspond pas"));
        await cut.InvokeAsync(() => Button(cut, "save").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid='form-error']").Shown()
            .ShouldBe("Le SIRET 73282932000075 n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez les chiffres saisis."));
        (await StoredAsync(id)).Siret.ShouldBe("77568899100012");

        // 732 829 320 00074: Luhn sum 50.
        Field(cut, "siret").Input("732 829 320 00074");
        await cut.InvokeAsync(() => Button(cut, "save").Click());

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Organisation enregistrée."));
        (await StoredAsync(id)).Siret.ShouldBe("73282932000074");
    }

    [Fact]
    public async Task OrganisationForm_New_WithoutKind_SaysSoInFrench()
    {
        await AuthorizeAsAsync(TestUsers.Admin);
        var cut = Render<OrganisationFormPage>();
        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Nouvelle organisation"));

        Field(cut, "name").Change("Association Avenir Emploi");
        await cut.InvokeAsync(() => Button(cut, "save").Click());

        cut.WaitForAssertion(() => cut.Find("[data-testid='form-error']").Shown().ShouldBe("Choisissez le type de l'organisation."));
        cut.FindAll("[data-testid='habilitation']").ShouldBeEmpty();
    }

    [Fact]
    public async Task OrganisationForm_TheRegionSuspendsAMissionLocale_WithItsReason_TheHistoryShowsIt_A1()
    {
        var claire = await AuthorizeAsAsync(TestUsers.Claire);
        var id = await OrganisationIdAsync("Mission Locale Technowest");
        var cut = Render<OrganisationFormPage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => Button(cut, "to-Suspended"));
        // The Région reads the identity but does not edit it.
        cut.FindAll("[data-testid='save']").ShouldBeEmpty();

        await cut.InvokeAsync(() => Button(cut, "to-Suspended").Click());
        await cut.InvokeAsync(() => Button(cut, "confirm-habilitation").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid='form-error']").Shown().ShouldBe("Indiquez le motif de ce changement d'habilitation."));

        Field(cut, "habilitation-reason").Change("Contrôle de la convention en cours");
        await cut.InvokeAsync(() => Button(cut, "confirm-habilitation").Click());

        cut.WaitForAssertion(() => cut.Find("[data-testid='habilitation-chip']").Shown().ShouldBe("Habilitation suspendue"));
        var row = cut.Find("[data-testid='history'] tbody tr").Shown();
        row.ShouldContain(claire.DisplayName);
        row.ShouldContain("Habilitée Habilitation suspendue Contrôle de la convention en cours");
        (await StoredAsync(id)).Habilitation.ShouldBe(HabilitationStatus.Suspended);
        // Suspended: it may be habilitated again or revoked, not suspended twice.
        cut.FindAll("[data-testid^='to-']").Select(b => b.GetAttribute("data-testid")).ShouldBe(["to-Habilitated", "to-Revoked"]);
    }

    [Fact]
    public async Task OrganisationForm_HabilitatingAPendingPrescriber_AsksForTheDecisionsDateAndReference_A1()
    {
        await AuthorizeAsAsync(TestUsers.Admin);
        Guid id;
        await using (var db = Database.CreateDbContext())
        {
            var gironde = await db.Territories.Where(t => t.Code == "33").Select(t => t.Id).SingleAsync(Cancellation);
            var org = new Organisation("Association Avenir Emploi", OrganisationKind.OtherApprovedPrescriber, gironde);
            db.Organisations.Add(org);
            await db.SaveChangesAsync(Cancellation);
            id = org.Id;
        }
        var cut = Render<OrganisationFormPage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.Find("[data-testid='habilitation-chip']").Shown().ShouldBe("Habilitation en attente"));
        cut.Find("[data-testid='habilitation-state']").Shown().ShouldContain("ne peuvent pas prescrire");

        await cut.InvokeAsync(() => Button(cut, "to-Habilitated").Click());
        Field(cut, "habilitation-reason").Change("Agrément accordé");
        await cut.InvokeAsync(() => Button(cut, "confirm-habilitation").Click());

        cut.WaitForAssertion(() => cut.Find("[data-testid='form-error']").Shown().ShouldBe("Indiquez la date de la décision d'habilitation."));
        (await StoredAsync(id)).Habilitation.ShouldBe(HabilitationStatus.Pending);
    }

    [Fact]
    public async Task OrganisationForm_TheAdminNamesTheCorrespondantDelegue_A2()
    {
        await AuthorizeAsAsync(TestUsers.Admin);
        var camille = await UserAsync(TestUsers.Camille);
        var id = await OrganisationIdAsync("Mission Locale Technowest");
        var cut = Render<OrganisationFormPage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => Button(cut, "save-delegate"));

        await cut.InvokeAsync(() => cut.FindComponents<MudSelect<Guid?>>()[0].Instance.SelectOption(camille.UserId));
        await cut.InvokeAsync(() => Button(cut, "save-delegate").Click());

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Correspondant délégué enregistré."));
        (await StoredAsync(id)).DelegateUserId.ShouldBe(camille.UserId);
        cut.WaitForAssertion(() => cut.Find("[data-testid='history'] tbody tr").Shown().ShouldContain("Correspondant délégué Aucun Camille Durand"));
    }

    [Fact]
    public async Task OrganisationForm_MfeCoverage_IsSaved_AndLogged_S10()
    {
        await AuthorizeAsAsync(TestUsers.Claire);
        var id = await OrganisationIdAsync("MFE du Béarn");
        var cut = Render<OrganisationFormPage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.Find("[data-testid='coverage']"));
        cut.FindAll("[data-testid='habilitation']").ShouldBeEmpty();
        cut.FindAll("[data-testid='delegate']").ShouldBeEmpty();

        await cut.InvokeAsync(() => Field(cut, "cover-64").Change(true));
        Field(cut, "coverage-reason").Change("Couverture explicite du Béarn");
        await cut.InvokeAsync(() => Button(cut, "save-coverage").Click());

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldStartWith("Couverture enregistrée"));
        await using var db = Database.CreateDbContext();
        (await db.MfeCoverages.Where(c => c.OrganisationId == id).Select(c => c.DepartementCode).ToListAsync(Cancellation)).ShouldBe(["64"]);
        cut.WaitForAssertion(() => cut.Find("[data-testid='history'] tbody tr").Shown().ShouldContain("Couverture Territoire de la MFE Départements 64 Couverture explicite du Béarn"));
    }

    [Fact]
    public async Task OrganisationForm_AnUnknownId_SaysOrganisationIntrouvable()
    {
        await AuthorizeAsAsync(TestUsers.Admin);

        var cut = Render<OrganisationFormPage>(p => p.Add(c => c.Id, Guid.NewGuid()));

        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Organisation introuvable"));
    }

    [Fact]
    public async Task PrescriberHome_TheBannerAppearsLive_WhenTheRegionSuspends_AndGoesWhenHabilitatedAgain_A1()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        var claire = await UserAsync(TestUsers.Claire);
        var cut = Render<PrescriberHome>(p => p.Add(c => c.WholeOrganisation, false));
        cut.WaitForAssertion(() => cut.Find("table"));
        cut.FindAll("[data-testid='habilitation-banner']").ShouldBeEmpty();
        var handler = Services.GetRequiredService<ChangeHabilitation.Handler>();

        await handler.HandleAsync(new ChangeHabilitation(camille.OrganisationId, HabilitationStatus.Suspended, "Contrôle en cours", Version: 0), claire, Cancellation);

        cut.WaitForAssertion(() => cut.Find("[data-testid='habilitation-banner']").Shown().ShouldBe(
            "Habilitation suspendue — L'habilitation de votre structure est suspendue : vos candidats et vos prescriptions restent consultables, "
            + "mais aucune nouvelle prescription ni aucun nouveau candidat ne peut être enregistré (règle A1)."));
        // The candidates stay listed; no new one can be recorded.
        cut.FindAll("table tbody tr").ShouldNotBeEmpty();
        cut.WaitForAssertion(() => cut.FindAll("button").First(b => b.Shown() == "Nouveau candidat").HasAttribute("disabled").ShouldBeTrue());

        await handler.HandleAsync(new ChangeHabilitation(camille.OrganisationId, HabilitationStatus.Habilitated, "Contrôle levé", Version: 1), claire, Cancellation);

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='habilitation-banner']").ShouldBeEmpty());
        // The banner and the home's button render on their own: wait for the button too.
        cut.WaitForAssertion(() => cut.FindAll("button").First(b => b.Shown() == "Nouveau candidat").HasAttribute("disabled").ShouldBeFalse());
    }
}
