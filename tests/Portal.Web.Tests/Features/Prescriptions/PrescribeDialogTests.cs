using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Security;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Candidates;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Prescriptions;

/// <summary>"Prescrire sur une session" from a candidate's page: P7 mandatory fields, S12 criteria shown, P6 three choices. Each test has its own database.</summary>
public sealed class PrescribeDialogTests : PortalTestContext
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private CurrentUser _camille = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _camille = await AuthorizeAsAsync(TestUsers.Camille);
        _snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    private static PrescriptionForm ValidForm => new()
    {
        PriorPath = "CAP cuisine, deux ans en restauration.",
        ProjectValidation = "Immersion de deux semaines (PMSMP).",
        CandidateAgreement = true,
        MaterialConditions = "Transports en commun.",
        Feasibility = "Réaliste.",
        RqthDeclared = false,
        CriteriaReviewed = true,
    };

    private Task<Guid> NewCandidateAsync() => Services.GetRequiredService<CreateCandidate.Handler>().HandleAsync(
        new CreateCandidate("Samia", "Test", new DateOnly(2001, 4, 2), "33063"), _camille, Cancellation);

    private Task<IReadOnlyList<GetPrescribableSessions.Option>> SessionsAsync() =>
        Services.GetRequiredService<GetPrescribableSessions.Handler>().HandleAsync(new GetPrescribableSessions(), _camille, Cancellation);

    private IRenderedComponent<CandidatePage> RenderCandidate(Guid id)
    {
        var cut = Render<CandidatePage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        return cut;
    }

    private static IElement Button<T>(IRenderedComponent<T> host, string text) where T : Microsoft.AspNetCore.Components.IComponent =>
        host.FindAll("button").First(b => b.Shown() == text);

    private string DialogText() => Text.Squash(string.Concat(_dialogs.Nodes.Select(n => n.TextContent)));

    /// <summary>The input control whose label is <paramref name="label"/>.</summary>
    private IElement Field(string label) =>
        _dialogs.FindAll(".mud-input-control").First(c => c.QuerySelector("label")?.Shown() == label);

    private async Task OpenDialogAsync(IRenderedComponent<CandidatePage> cut)
    {
        await cut.InvokeAsync(() => Button(cut, "Prescrire sur une session").Click());
        _dialogs.WaitForAssertion(() => _dialogs.FindAll("button").ShouldContain(b => b.Shown() == "Prescrire"));
    }

    /// <summary>
    /// Picks a session through the MudAutocomplete's own selection API (its popover does not open under bUnit), with an
    /// option from the same handler the component searches with.
    /// </summary>
    private async Task PickSessionAsync(GetPrescribableSessions.Option option)
    {
        var autocomplete = _dialogs.FindComponent<MudAutocomplete<GetPrescribableSessions.Option>>();
        await autocomplete.InvokeAsync(() => autocomplete.Instance.SelectOptionAsync(option));
    }

    private Task SubmitAsync() => _dialogs.InvokeAsync(() => Button(_dialogs, "Prescrire").Click());

    private async Task<int> PrescriptionsOfAsync(Guid candidate)
    {
        await using var db = Database.CreateDbContext();
        return await db.AllPrescriptions.CountAsync(p => p.CandidateId == candidate, Cancellation);
    }

    [Fact]
    public async Task PrescribeDialog_SubmittedEmpty_NamesTheMissingMandatoryFields_AndSavesNothing_P7()
    {
        var candidate = await NewCandidateAsync();
        var cut = RenderCandidate(candidate);
        await OpenDialogAsync(cut);
        DialogText().ShouldContain("Prescrire Samia Test sur une session");

        await SubmitAsync();

        _dialogs.WaitForAssertion(() => _dialogs.Find("[role='alert']").Shown()
            .ShouldBe("Complétez les champs signalés : la fiche de prescription a des champs obligatoires (règle P7)."));
        Field("Session ouverte (mots de l'intitulé, du métier…)").Shown().ShouldContain("Choisissez une session ouverte.");
        foreach (var label in new[]
                 {
                     "Acquis et parcours antérieur", "Validation du projet (modalités et outils utilisés)",
                     "Conditions matérielles (transport, garde, ressources…)", "Faisabilité du projet",
                 })
            Field(label).Shown().ShouldContain("Champ obligatoire.", customMessage: label);
        // Optional fields are not flagged.
        Field("Attentes et motivations du candidat").Shown().ShouldNotContain("Champ obligatoire.");
        Field("Freins identifiés et actions engagées").Shown().ShouldNotContain("Champ obligatoire.");
        DialogText().ShouldContain("Indiquez le statut RQTH.");
        (await PrescriptionsOfAsync(candidate)).ShouldBe(0);
    }

    [Fact]
    public async Task PrescribeDialog_SelectedSession_ShowsItsPrerequisitesAndSelectionCriteria_S12()
    {
        var candidate = await NewCandidateAsync();
        var session = (await SessionsAsync()).First(s => s.SelectionCriteria.Count > 0);
        var cut = RenderCandidate(candidate);
        await OpenDialogAsync(cut);
        _dialogs.FindAll("[data-testid='criteria']").ShouldBeEmpty();

        await PickSessionAsync(session);

        _dialogs.WaitForAssertion(() => _dialogs.FindAll("[data-testid='criteria']").ShouldHaveSingleItem());
        var criteria = _dialogs.Find("[data-testid='criteria']");
        criteria.QuerySelectorAll("h3").Select(h => h.Shown()).ShouldBe(["Prérequis", "Critères de sélection"]);
        criteria.QuerySelector("p")!.Shown().ShouldBe(session.Prerequisites);
        criteria.QuerySelectorAll("li").Select(li => li.Shown()).ShouldBe(session.SelectionCriteria);
        criteria.Shown().ShouldContain($"{session.OpenPlaces} place(s) ouverte(s) sur {session.Capacity} · {session.CommuneName} · inscriptions jusqu'au {session.RegistrationDeadline:dd/MM/yyyy}");
    }

    [Fact]
    public async Task CandidateWithThreeActiveChoices_PrescribeIsDisabled_AndTheP6ExplanationShows_P6()
    {
        var candidate = await NewCandidateAsync();
        var prescribe = Services.GetRequiredService<Prescribe.Handler>();
        foreach (var s in (await SessionsAsync()).Take(3))
            await prescribe.HandleAsync(new Prescribe(candidate, s.SessionId, ValidForm), _camille, Cancellation);

        var cut = RenderCandidate(candidate);

        Button(cut, "Prescrire sur une session").HasAttribute("disabled").ShouldBeTrue();
        cut.Markup.ShouldContain("Trois choix en cours : annulez-en un pour en ajouter un autre (règle P6).");
        cut.Find("h2").Shown().ShouldBe("Choix de formation (3 / 3)");
    }

    [Fact]
    public async Task CandidateWithTwoActiveChoices_PrescribeIsEnabled_AndNoP6Explanation_P6()
    {
        var candidate = await NewCandidateAsync();
        var prescribe = Services.GetRequiredService<Prescribe.Handler>();
        foreach (var s in (await SessionsAsync()).Take(2))
            await prescribe.HandleAsync(new Prescribe(candidate, s.SessionId, ValidForm), _camille, Cancellation);

        var cut = RenderCandidate(candidate);

        Button(cut, "Prescrire sur une session").HasAttribute("disabled").ShouldBeFalse();
        cut.Markup.ShouldNotContain("Trois choix en cours");
    }

    [Fact]
    public async Task PrescribeDialog_CompleteForm_RecordsThePrescriptionAsFirstChoice_P6_P7_S12()
    {
        var candidate = await NewCandidateAsync();
        var session = (await SessionsAsync())[0];
        var cut = RenderCandidate(candidate);
        await OpenDialogAsync(cut);

        await PickSessionAsync(session);
        Field("Acquis et parcours antérieur").QuerySelector("textarea")!.Change("CAP cuisine, deux ans en restauration.");
        Field("Validation du projet (modalités et outils utilisés)").QuerySelector("textarea")!.Change("Immersion de deux semaines (PMSMP).");
        Field("Conditions matérielles (transport, garde, ressources…)").QuerySelector("input")!.Change("Transports en commun.");
        Field("Faisabilité du projet").QuerySelector("input")!.Change("Réaliste.");
        var no = _dialogs.FindAll(".mud-radio").First(r => r.Shown() == "Non").QuerySelector("input")!;
        await _dialogs.InvokeAsync(() => no.Click());
        _dialogs.FindAll(".mud-checkbox").First(c => c.Shown().StartsWith("Le candidat a donné son accord", StringComparison.Ordinal)).QuerySelector("input")!.Change(true);

        // S12: without the criteria reviewed, nothing is saved.
        await SubmitAsync();
        _dialogs.WaitForAssertion(() => _dialogs.Find("[role='alert']").Shown().ShouldStartWith("Complétez les champs signalés"));
        DialogText().ShouldNotContain("Champ obligatoire.");
        (await PrescriptionsOfAsync(candidate)).ShouldBe(0);

        _dialogs.FindAll(".mud-checkbox").First(c => c.Shown().StartsWith("J'ai passé en revue", StringComparison.Ordinal)).QuerySelector("input")!.Change(true);
        await SubmitAsync();

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Prescription enregistrée."));
        await using var db = Database.CreateDbContext();
        var saved = await db.AllPrescriptions.SingleAsync(p => p.CandidateId == candidate, Cancellation);
        saved.SessionId.ShouldBe(session.SessionId);
        saved.Rank.ShouldBe(1);
        saved.Status.ShouldBe(PrescriptionStatus.Submitted);
        saved.PrescriberUserId.ShouldBe(_camille.UserId);
        saved.Form.PriorPath.ShouldBe("CAP cuisine, deux ans en restauration.");
        saved.Form.Feasibility.ShouldBe("Réaliste.");
        saved.Form.RqthDeclared.ShouldBe(false);
        saved.Form.CandidateAgreement.ShouldBeTrue();
        saved.Form.CriteriaReviewed.ShouldBeTrue();
        cut.WaitForAssertion(() => cut.Find("h2").Shown().ShouldBe("Choix de formation (1 / 3)"));
        cut.FindAll($"a[href='/prescriptions/{saved.Id}']").ShouldHaveSingleItem().Shown().ShouldBe(session.FicheTitle);
    }
}
