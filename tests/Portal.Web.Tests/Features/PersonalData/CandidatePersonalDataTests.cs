using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.PersonalData;
using Portal.Application.Security;
using Portal.Domain.Candidates;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Candidates;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.PersonalData;

/// <summary>
/// Issue #14 (4), ADR 0025: on a candidate's page, the copy of their data (JSON, readable page) for the référent and the
/// prescriber who follows them, the erasure dialog (its effects stated before confirming) for the référent only, and
/// "Candidat anonymisé" shown at once on the open pages. Each test has its own database.
/// </summary>
public sealed class CandidatePersonalDataTests : PortalTestContext
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    /// <summary>A candidate of Mission Locale Technowest followed by <paramref name="followedBy"/>, with one open prescription on an open session.</summary>
    private async Task<(Guid Candidate, string Training)> CandidateAsync(string followedBy)
    {
        var prescriber = await UserAsync(followedBy);
        await using var db = Database.CreateDbContext();
        var session = await db.Sessions.Where(s => s.Status == SessionStatus.Open).OrderBy(s => s.Start).FirstAsync(Cancellation);
        var title = await db.FicheActions.Where(f => f.Id == session.FicheActionId).Select(f => f.Title).FirstAsync(Cancellation);
        var candidate = new Candidate(prescriber.OrganisationId, prescriber.UserId, "Maëlle", "Fontaine", new DateOnly(2002, 6, 3), "33063", Clock.GetUtcNow());
        candidate.SetContact("maelle.fontaine@exemple.fr", "06 98 76 54 32");
        db.AllCandidates.Add(candidate);
        db.AllPrescriptions.Add(new Prescription(candidate.Id, session.Id, session.OrganisationId, prescriber.OrganisationId, prescriber.UserId, 1, new PrescriptionForm
        {
            PriorPath = "Bac pro vente.", ProjectValidation = "Stage.", CandidateAgreement = true, MaterialConditions = "Voiture.", Feasibility = "Oui.", RqthDeclared = false,
        }, Clock.GetUtcNow()));
        await db.SaveChangesAsync(Cancellation);
        return (candidate.Id, title);
    }

    private IRenderedComponent<CandidatePage> RenderLoaded(Guid id)
    {
        var cut = Render<CandidatePage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        return cut;
    }

    private string DialogText() => Text.Squash(string.Concat(_dialogs.Nodes.Select(n => n.TextContent)));

    [Fact]
    public async Task CandidatePage_TheReferent_SeesTheCopyLinks_AndTheErasureButton()
    {
        var (id, _) = await CandidateAsync(TestUsers.Camille);
        await AuthorizeAsAsync(TestUsers.Sophie);

        var cut = RenderLoaded(id);

        cut.Find("[data-testid=candidate-export-json]").GetAttribute("href").ShouldBe($"/api/candidats/{id}/donnees.json");
        cut.Find("[data-testid=candidate-export-html]").GetAttribute("href").ShouldBe($"/api/candidats/{id}/donnees.html");
        cut.Find("[data-testid=candidate-erase]").Shown().ShouldBe("Effacer les données…");
        cut.Find("[data-testid=candidate-personal-data] h2").Shown().ShouldBe("Données personnelles");
    }

    [Fact]
    public async Task CandidatePage_TheFollowingPrescriber_SeesTheCopyLinks_ButNotTheErasure_AColleagueSeesNeither()
    {
        var (followed, _) = await CandidateAsync(TestUsers.Camille);
        var (other, _) = await CandidateAsync(TestUsers.Sophie);
        await AuthorizeAsAsync(TestUsers.Camille);

        var mine = RenderLoaded(followed);
        mine.FindAll("[data-testid=candidate-export-json]").Count.ShouldBe(1);
        mine.FindAll("[data-testid=candidate-erase]").ShouldBeEmpty();

        var colleagues = RenderLoaded(other);
        colleagues.Find("h1").Shown().ShouldBe("Maëlle FONTAINE");
        colleagues.FindAll("[data-testid=candidate-personal-data]").ShouldBeEmpty();
    }

    [Fact]
    public async Task EraseCandidateDialog_StatesTheEffects_AsksForTheRequest_ThenErases_AndThePageShowsCandidatAnonymise()
    {
        var (id, training) = await CandidateAsync(TestUsers.Camille);
        await AuthorizeAsAsync(TestUsers.Sophie);
        var cut = RenderLoaded(id);

        await cut.InvokeAsync(() => cut.Find("[data-testid=candidate-erase]").Click());
        _dialogs.WaitForAssertion(() => _dialogs.FindAll("[data-testid=erasure-withdrawn] li").Count.ShouldBe(1));

        var text = DialogText();
        text.ShouldContain("Vous allez effacer les données de Maëlle Fontaine, à sa demande");
        text.ShouldContain("Effacement des données à la demande du candidat");
        _dialogs.Find("[data-testid=erasure-withdrawn] li").Shown().ShouldStartWith(training);
        text.ShouldContain("« Candidat anonymisé »");
        text.ShouldContain("Les observatoires de la Région gardent leurs chiffres exacts");
        var confirm = _dialogs.Find("[data-testid=erasure-confirm]");
        confirm.HasAttribute("disabled").ShouldBeTrue();

        await _dialogs.InvokeAsync(() => _dialogs.Find(".mud-dialog input[type=checkbox]").Change(true));
        _dialogs.WaitForAssertion(() => _dialogs.Find("[data-testid=erasure-confirm]").HasAttribute("disabled").ShouldBeFalse());
        await _dialogs.InvokeAsync(() => _dialogs.Find("[data-testid=erasure-confirm]").Click());

        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Candidat anonymisé"));
        cut.Find("[data-testid=candidate-pseudonymised]").Shown().ShouldContain("Les données personnelles de ce candidat ont été effacées le 27/11/2026");
        cut.FindAll("button").ShouldNotContain(b => b.Shown() == "Modifier" || b.Shown() == "Prescrire sur une session");
        cut.FindAll("[data-testid=candidate-erase]").ShouldBeEmpty();
        cut.Markup.ShouldNotContain("Fontaine");
        cut.Markup.ShouldNotContain("maelle.fontaine@exemple.fr");
        _snackbars.WaitForAssertion(() => _snackbars.Markup.ShouldContain("Données du candidat effacées."));
    }

    [Fact]
    public async Task CandidatePage_OpenByThePrescriber_ShowsTheErasureLive()
    {
        var (id, _) = await CandidateAsync(TestUsers.Camille);
        var sophie = await UserAsync(TestUsers.Sophie);
        await AuthorizeAsAsync(TestUsers.Camille);
        var cut = RenderLoaded(id);
        cut.Find("h1").Shown().ShouldBe("Maëlle FONTAINE");

        await Services.GetRequiredService<EraseCandidate.Handler>().HandleAsync(new EraseCandidate(id), sophie, Cancellation);

        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Candidat anonymisé"));
        cut.FindAll(".mud-chip").Select(c => c.Shown()).ShouldBe(["Désistement"]);
    }

    [Fact]
    public async Task PrescriberHome_ListsAnErasedCandidate_AsCandidatAnonymise_Live()
    {
        var (id, _) = await CandidateAsync(TestUsers.Camille);
        var sophie = await AuthorizeAsAsync(TestUsers.Sophie);
        var cut = Render<Portal.Web.Features.Home.PrescriberHome>(p => p.Add(c => c.WholeOrganisation, true));
        cut.WaitForAssertion(() => cut.Find($"a[href='/candidats/{id}']").Shown().ShouldBe("FONTAINE Maëlle"));

        await Services.GetRequiredService<EraseCandidate.Handler>().HandleAsync(new EraseCandidate(id), sophie, Cancellation);

        cut.WaitForAssertion(() => cut.Find($"a[href='/candidats/{id}']").Shown().ShouldBe("Candidat anonymisé"));
        cut.FindAll("a").ShouldNotContain(a => a.Shown() == "FONTAINE Maëlle");
    }
}
