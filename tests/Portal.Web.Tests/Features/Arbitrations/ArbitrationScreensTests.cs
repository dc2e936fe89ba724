using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.Arbitrations;
using Portal.Domain.Arbitrations;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Arbitrations;
using Portal.Web.Features.Prescriptions;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Arbitrations;

/// <summary>S10: contesting on the prescription page, the MFE's Arbitrages list and case page, and the outcome seen live. Each test has its own database.</summary>
public sealed class ArbitrationScreensTests : PortalTestContext
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private Guid _prescriptionId;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Database.CreateDbContext();
        // Nadia Chevalier's refusal in Gironde (demo data), on Formapro Gironde's CACES session.
        _prescriptionId = await db.AllPrescriptions
            .Where(p => db.AllCandidates.Any(c => c.Id == p.CandidateId && c.FirstName == "Nadia" && c.LastName == "Chevalier"))
            .Select(p => p.Id).SingleAsync(Cancellation);
        _snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    private static IElement Button<T>(IRenderedComponent<T> host, string text) where T : Microsoft.AspNetCore.Components.IComponent =>
        host.FindAll("button").First(b => b.Shown().Contains(text, StringComparison.Ordinal));

    private async Task<Guid> OpenAsCamilleAsync(string argument = "Le projet a été validé par une immersion en entrepôt.")
    {
        var camille = await UserAsync(TestUsers.Camille);
        return await Services.GetRequiredService<OpenArbitration.Handler>().HandleAsync(new OpenArbitration(_prescriptionId, argument), camille, Cancellation);
    }

    private async Task<PrescriptionStatus> StatusAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.AllPrescriptions.Where(p => p.Id == _prescriptionId).Select(p => p.Status).SingleAsync(Cancellation);
    }

    [Fact]
    public async Task PrescriptionPage_PrescriberContests_ThenSeesTheMfesOutcomeLive_S10()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var cut = Render<PrescriptionPage>(p => p.Add(c => c.Id, _prescriptionId));
        cut.WaitForAssertion(() => Button(cut, "Contester"));

        await cut.InvokeAsync(() => Button(cut, "Contester").Click());
        _dialogs.WaitForAssertion(() => _dialogs.Find("textarea"));
        _dialogs.Find("textarea").Input("La candidate a validé son projet par une immersion de deux semaines.");
        await _dialogs.InvokeAsync(() => Button(_dialogs, "Demander l'arbitrage").Click());

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Demande d'arbitrage transmise."));
        cut.WaitForAssertion(() => cut.Find("[data-testid='arbitration-status']").Shown().ShouldContain("en cours auprès de MFE du Médoc"));
        cut.Find("[data-testid='prescriber-argument']").Shown().ShouldBe("La candidate a validé son projet par une immersion de deux semaines.");
        cut.FindAll("button").ShouldNotContain(b => b.Shown().Contains("Contester", StringComparison.Ordinal));

        // The MFE decides elsewhere: the open page follows without reload.
        var aurelie = await UserAsync(TestUsers.Aurelie);
        await using (var db = Database.CreateDbContext())
        {
            var id = await db.AllArbitrations.Where(a => a.PrescriptionId == _prescriptionId).Select(a => a.Id).SingleAsync(Cancellation);
            await Services.GetRequiredService<DecideArbitration.Handler>().HandleAsync(
                new DecideArbitration(id, ArbitrationOutcome.Overturned, "Le projet est validé.", PrescriptionStatus.Selected), aurelie, Cancellation);
        }

        cut.WaitForAssertion(() => cut.Find("[data-testid='arbitration-outcome'] strong").Shown().ShouldBe(
            $"Arbitrage rendu par MFE du Médoc le {Portal.Domain.Common.FrenchTime.ToFrance(Clock.GetUtcNow()):dd/MM/yyyy} : décision infirmée, nouvelle décision : Retenue"));
        cut.Find("[data-testid='arbitration-outcome']").Shown().ShouldContain("Le projet est validé.");
        // S10: the ruling is final; the prescriber may no longer contest this decision.
        cut.WaitForAssertion(() => cut.Find("[data-testid='arbitration-final']").Shown()
            .ShouldBe("Cet arbitrage est définitif : seule une nouvelle décision pourra être contestée (règle S10)."));
        cut.FindAll("button").ShouldNotContain(b => b.Shown().Contains("Contester", StringComparison.Ordinal));
        cut.WaitForAssertion(() => cut.FindAll(".mud-timeline-item")[^1].Shown().ShouldContain("Décision de l'arbitrage (S10)"));
        cut.FindAll(".mud-chip").Select(c => c.Shown()).ShouldContain("Retenue");
    }

    [Fact]
    public async Task PrescriptionPage_TheTrainingBodyAddsItsArgument_ToTheOpenCase_S10()
    {
        await OpenAsCamilleAsync();
        await AuthorizeAsAsync(TestUsers.Julie);
        var cut = Render<PrescriptionPage>(p => p.Add(c => c.Id, _prescriptionId));
        cut.WaitForAssertion(() => cut.Find("[data-testid='arbitration-panel'] textarea"));

        await cut.InvokeAsync(() => Button(cut, "Transmettre à l'arbitre").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid='arbitration-panel'] .mud-alert-text-warning").Shown().ShouldBe("Exposez votre argument : il est transmis à l'arbitre."));

        cut.Find("[data-testid='arbitration-panel'] textarea").Input("Le projet logistique n'était pas confirmé lors de l'entretien.");
        await cut.InvokeAsync(() => Button(cut, "Transmettre à l'arbitre").Click());

        cut.WaitForAssertion(() => cut.Find("[data-testid='training-body-argument']").Shown().ShouldBe("Le projet logistique n'était pas confirmé lors de l'entretien."));
    }

    [Fact]
    public async Task ArbitragesPage_TheMfeSeesANewCaseLive_S10()
    {
        await AuthorizeAsAsync(TestUsers.Aurelie);
        var cut = Render<ArbitrationsPage>();
        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Arbitrages"));
        cut.FindAll("[data-arbitration-id]").ShouldBeEmpty();

        var id = await OpenAsCamilleAsync();

        cut.WaitForAssertion(() => cut.Find($"[data-arbitration-id='{id}']").Closest("tr")!.Shown().ShouldBe(
            $"Nadia Chevalier Préparation au titre de cariste d'entrepôt (CACES R489) Formapro Gironde Mission Locale Technowest Prescripteur Non retenue {Portal.Domain.Common.FrenchTime.ToFrance(Clock.GetUtcNow()):dd/MM/yyyy} En cours d'arbitrage"));
        cut.Find("[data-testid='arbitrations-announcer']").Shown().ShouldBe("Nouvelle demande d'arbitrage.");
        Text.EnumNamesIn(cut.Markup).ShouldBeEmpty();
    }

    [Fact]
    public async Task ArbitragesPage_ShowsOneServerPage_WithTheTotalAndTheCounts_S10()
    {
        var id = await OpenAsCamilleAsync();
        await AuthorizeAsAsync(TestUsers.Aurelie);

        var cut = Render<ArbitrationsPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-arbitration-id]").Count.ShouldBe(1));
        cut.Find($"[data-arbitration-id='{id}']");
        cut.Find("[data-testid='arbitrations-counts']").Shown().ShouldBe("1 en cours · 0 rendu(s)");
        cut.Find("[data-testid='arbitrations-pager']").Shown().ShouldContain("1–1 sur 1");
        cut.FindComponent<MudTable<GetArbitrations.Row>>().Instance.RowsPerPage.ShouldBe(GetArbitrations.DefaultTake);
    }

    [Fact]
    public async Task ArbitragesPage_AnotherMfe_DoesNotSeeTheCase_S10()
    {
        var id = await OpenAsCamilleAsync();
        await AuthorizeAsAsync(TestUsers.Pierre);

        var cut = Render<ArbitrationsPage>();

        cut.WaitForAssertion(() => cut.Find(".mud-alert").Shown().ShouldBe("Aucun arbitrage pour le moment."));
        cut.FindAll($"[data-arbitration-id='{id}']").ShouldBeEmpty();
    }

    [Fact]
    public async Task CasePage_ShowsCriteriaHistoryAndArguments_AndTheMfeOverturnsTheRefusal_S10()
    {
        var id = await OpenAsCamilleAsync("Argument du prescripteur.");
        await AuthorizeAsAsync(TestUsers.Aurelie);
        var cut = Render<ArbitrationCasePage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Arbitrage : Nadia Chevalier"));

        cut.FindAll("[data-testid='selection-criteria'] li").Select(l => l.Shown()).ShouldBe([
            "Maîtrise des savoirs de base (lecture, calcul)", "Aptitude médicale au port de charges", "Projet professionnel dans la logistique validé"]);
        cut.FindAll(".mud-timeline-item strong").Select(s => s.Shown()).ShouldBe(["Prescrite", "Convoquée", "Présente", "Non retenue"]);
        cut.Find("[data-testid='prescriber-argument']").Shown().ShouldBe("Argument du prescripteur.");
        cut.Find("[data-testid='training-body-argument']").Shown().ShouldBe("Pas encore d'argument.");

        // The other party's argument arrives while the MFE reads the case.
        var julie = await UserAsync(TestUsers.Julie);
        await Services.GetRequiredService<ArgueArbitration.Handler>().HandleAsync(new ArgueArbitration(_prescriptionId, "Argument de l'OF."), julie, Cancellation);
        cut.WaitForAssertion(() => cut.Find("[data-testid='training-body-argument']").Shown().ShouldBe("Argument de l'OF."));

        await cut.InvokeAsync(() => cut.FindAll("input[type='radio']")[1].Click()); // Infirmer la décision
        cut.WaitForAssertion(() => cut.Find("[data-testid='decision-form']").Shown().ShouldContain("Nouvelle décision"));
        await cut.InvokeAsync(() => cut.FindAll("input[type='radio']")[3].Click()); // Retenue
        await cut.InvokeAsync(() => Button(cut, "Rendre l'arbitrage").Click());

        cut.WaitForAssertion(() => cut.Find("[data-testid='case-outcome']").Shown().ShouldStartWith("Décision infirmée : nouvelle décision « Retenue »"));
        (await StatusAsync()).ShouldBe(PrescriptionStatus.Selected);
    }

    [Fact]
    public async Task CasePage_AnotherOutcomeWithoutWords_IsRefusedInFrench_AndNothingIsDecided_S10()
    {
        var id = await OpenAsCamilleAsync();
        await AuthorizeAsAsync(TestUsers.Aurelie);
        var cut = Render<ArbitrationCasePage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.Find("[data-testid='decision-form']"));

        await cut.InvokeAsync(() => Button(cut, "Rendre l'arbitrage").Click());
        cut.WaitForAssertion(() => cut.Find("[role='alert']").Shown().ShouldBe("Choisissez l'issue de l'arbitrage."));

        await cut.InvokeAsync(() => cut.FindAll("input[type='radio']")[2].Click()); // Autre issue
        await cut.InvokeAsync(() => Button(cut, "Rendre l'arbitrage").Click());

        cut.WaitForAssertion(() => cut.Find("[role='alert']").Shown().ShouldBe("Décrivez l'issue retenue."));
        await using var db = Database.CreateDbContext();
        (await db.AllArbitrations.Where(a => a.Id == id).Select(a => a.Status).SingleAsync(Cancellation)).ShouldBe(ArbitrationStatus.Open);
    }

    [Fact]
    public async Task CasePage_AnotherMfe_GetsNotFound_S10()
    {
        var id = await OpenAsCamilleAsync();
        await AuthorizeAsAsync(TestUsers.Pierre);

        var cut = Render<ArbitrationCasePage>(p => p.Add(c => c.Id, id));

        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Arbitrage introuvable"));
        cut.FindAll("[data-testid='decision-form']").ShouldBeEmpty();
    }
}
