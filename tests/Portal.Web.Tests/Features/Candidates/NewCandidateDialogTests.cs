using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.Catalogue;
using Portal.Testing;
using Portal.Web.Features.Home;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Candidates;

/// <summary>"Nouveau candidat" from "Mes candidats": French messages per field, and a candidate of the prescriber's organisation. Each test has its own database.</summary>
public sealed class NewCandidateDialogTests : PortalTestContext
{
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;
    private IRenderedComponent<PrescriberHome> _home = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await AuthorizeAsAsync(TestUsers.Camille);
        Render<MudSnackbarProvider>();
        _popovers = Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
        _home = Render<PrescriberHome>();
        _home.WaitForAssertion(() => _home.FindAll(".mud-progress-linear").ShouldBeEmpty());
        var button = _home.FindAll("button").First(b => b.Shown() == "Nouveau candidat");
        await _home.InvokeAsync(() => button.Click());
        _dialogs.WaitForAssertion(() => _dialogs.FindAll("button").ShouldContain(b => b.Shown() == "Enregistrer le candidat"));
    }

    private string DialogText() => Text.Squash(string.Concat(_dialogs.Nodes.Select(n => n.TextContent)));

    /// <summary>The input control (label, input, helper text) whose label is <paramref name="label"/>.</summary>
    private IElement Field(string label) =>
        _dialogs.FindAll(".mud-input-control").First(c => c.QuerySelector("label")?.Shown() == label);

    private Task SubmitAsync() =>
        _dialogs.InvokeAsync(() => _dialogs.FindAll("button").First(b => b.Shown() == "Enregistrer le candidat").Click());

    private async Task<int> CandidateCountAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.AllCandidates.CountAsync(Cancellation);
    }

    [Fact]
    public async Task NewCandidate_SubmittedEmpty_ShowsTheFrenchMessageUnderEachMandatoryField_AndCreatesNothing()
    {
        var before = await CandidateCountAsync();

        await SubmitAsync();

        _dialogs.WaitForAssertion(() =>
        {
            Field("Prénom").Shown().ShouldContain("Le prénom est obligatoire.");
            Field("Nom").Shown().ShouldContain("Le nom est obligatoire.");
            Field("Date de naissance").Shown().ShouldContain("La date de naissance est obligatoire.");
            Field("Commune de résidence").Shown().ShouldContain("La commune de résidence est obligatoire.");
        });
        Field("E-mail (facultatif)").Shown().ShouldNotContain("invalide");
        DialogText().ShouldContain("Nouveau candidat");
        (await CandidateCountAsync()).ShouldBe(before);
    }

    [Fact]
    public void NewCandidate_TextFields_CarryTheirMaximumLength_Issue15()
    {
        // Limits by hand: names 100, e-mail 254, phone 30, France Travail id 20 characters (the browser stops typing there).
        Field("Prénom").QuerySelector("input")!.GetAttribute("maxlength").ShouldBe("100");
        Field("Nom").QuerySelector("input")!.GetAttribute("maxlength").ShouldBe("100");
        Field("E-mail (facultatif)").QuerySelector("input")!.GetAttribute("maxlength").ShouldBe("254");
        Field("Téléphone (facultatif)").QuerySelector("input")!.GetAttribute("maxlength").ShouldBe("30");
        Field("Identifiant France Travail (facultatif)").QuerySelector("input")!.GetAttribute("maxlength").ShouldBe("20");
    }

    [Fact]
    public async Task NewCandidate_InvalidEmail_IsRefusedInFrench_AndCreatesNothing()
    {
        var before = await CandidateCountAsync();
        Field("Prénom").QuerySelector("input")!.Change("Samia");
        Field("E-mail (facultatif)").QuerySelector("input")!.Change("samia.exemple.fr");

        await SubmitAsync();

        _dialogs.WaitForAssertion(() => Field("E-mail (facultatif)").Shown().ShouldContain("L'adresse e-mail est invalide."));
        Field("Prénom").Shown().ShouldNotContain("obligatoire");
        Field("Nom").Shown().ShouldContain("Le nom est obligatoire.");
        (await CandidateCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task NewCandidate_FilledIn_CreatesTheCandidateInThePrescribersOrganisation_AndOpensItsPage()
    {
        var camille = await UserAsync(TestUsers.Camille);
        Field("Prénom").QuerySelector("input")!.Change("Samia");
        Field("Nom").QuerySelector("input")!.Change("Benhaddou");
        Field("Date de naissance").QuerySelector("input")!.Change("02/04/2001");
        // Typing in the MudAutocomplete does not open its popover under bUnit (no JS focus): the suggestions come from the
        // same handler the component searches with, and the pick goes through the component's own selection API.
        var options = await Services.GetRequiredService<SuggestCommunes.Handler>().HandleAsync(new SuggestCommunes("Mérign"), Cancellation);
        var merignac = options.First(o => o.Display == "Mérignac (33)");
        var autocomplete = _dialogs.FindComponent<MudAutocomplete<SuggestCommunes.Option>>();
        await autocomplete.InvokeAsync(() => autocomplete.Instance.SelectOptionAsync(merignac));
        _dialogs.WaitForAssertion(() => Field("Commune de résidence").QuerySelector("input")!.GetAttribute("value").ShouldBe("Mérignac (33)"));

        await SubmitAsync();

        var navigation = Services.GetRequiredService<NavigationManager>();
        _dialogs.WaitForAssertion(() => navigation.Uri.ShouldContain("/candidats/"));
        await using var db = Database.CreateDbContext();
        var created = await db.AllCandidates.SingleAsync(c => c.LastName == "Benhaddou", Cancellation);
        created.FirstName.ShouldBe("Samia");
        created.BirthDate.ShouldBe(new DateOnly(2001, 4, 2));
        created.CommuneInsee.ShouldBe("33281");
        created.OrganisationId.ShouldBe(camille.OrganisationId);
        created.ReferentUserId.ShouldBe(camille.UserId);
        navigation.Uri.ShouldEndWith($"/candidats/{created.Id}");
    }
}
