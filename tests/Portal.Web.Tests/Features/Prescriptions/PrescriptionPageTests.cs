using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.Prescriptions;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Prescriptions;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Prescriptions;

/// <summary>P8: a prescription's page, its history and its fiche complément between prescriber and OF (live); cancellation. Each test has its own database.</summary>
public sealed class PrescriptionPageTests : PortalTestContext
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private Guid _prescriptionId;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var camille = await UserAsync(TestUsers.Camille);
        var julie = await UserAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var active = PrescriptionLifecycle.Active;
        // Camille's active prescription on one of Julie's sessions with the longest history.
        _prescriptionId = await db.AllPrescriptions
            .Where(p => p.PrescriberUserId == camille.UserId && p.TrainingBodyId == julie.OrganisationId && active.Contains(p.Status))
            .OrderByDescending(p => db.AllPrescriptionTransitions.Count(t => t.PrescriptionId == p.Id)).ThenBy(p => p.Id)
            .Select(p => p.Id).FirstAsync(Cancellation);
        _snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    private IRenderedComponent<PrescriptionPage> RenderPage()
    {
        var cut = Render<PrescriptionPage>(p => p.Add(c => c.Id, _prescriptionId));
        cut.WaitForAssertion(() => cut.FindAll("h1").ShouldNotBeEmpty());
        return cut;
    }

    private static IElement Button<T>(IRenderedComponent<T> host, string text) where T : Microsoft.AspNetCore.Components.IComponent =>
        host.FindAll("button").First(b => b.Shown().Contains(text, StringComparison.Ordinal));

    private static List<string> Messages(IRenderedComponent<PrescriptionPage> cut) =>
        [.. cut.FindAll("[data-testid='complement-messages'] [data-message-id]").Select(m => m.Shown())];

    private string DialogText() => Text.Squash(string.Concat(_dialogs.Nodes.Select(n => n.TextContent)));

    private string Now() => FrenchTime.ToFrance(Clock.GetUtcNow()).ToString("dd/MM/yyyy HH:mm");

    private async Task<int> ThreadCountAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.AllComplementThreads.CountAsync(t => t.PrescriptionId == _prescriptionId, Cancellation);
    }

    private async Task OpenAsCamilleAsync(IRenderedComponent<PrescriptionPage> cut, string firstMessage, bool fragile)
    {
        cut.WaitForAssertion(() => Button(cut, "Ouvrir la fiche complément"));
        if (fragile) cut.Find("input[type='checkbox']").Change(true);
        cut.Find("textarea").Change(firstMessage);
        await cut.InvokeAsync(() => Button(cut, "Ouvrir la fiche complément").Click());
    }

    [Fact]
    public async Task PrescriptionPage_Prescriber_SeesTheHistoryInFrench_S6()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        await using var db = Database.CreateDbContext();
        var p = await db.AllPrescriptions.SingleAsync(x => x.Id == _prescriptionId, Cancellation);
        var steps = await db.AllPrescriptionTransitions.Where(t => t.PrescriptionId == _prescriptionId).OrderBy(t => t.Id).Select(t => t.To).ToListAsync(Cancellation);
        steps.Count.ShouldBeGreaterThan(1);

        var cut = RenderPage();

        cut.WaitForAssertion(() => cut.FindAll(".mud-timeline-item").Count.ShouldBe(steps.Count));
        cut.FindAll(".mud-timeline-item strong").Select(s => s.Shown()).ShouldBe(steps.Select(s => s.Label()));
        cut.Find("h1").Shown().ShouldEndWith($"– choix n° {p.Rank}");
        Text.EnumNamesIn(cut.Find("h1").ParentElement!.TextContent).ShouldBeEmpty();
    }

    [Fact]
    public async Task ComplementThread_PrescriberOpensItWithAFragileFlagAndAFirstMessage_P8()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var cut = RenderPage();

        await OpenAsCamilleAsync(cut, "Candidate très isolée : merci de l'appeler avant l'information collective.", fragile: true);

        cut.WaitForAssertion(() => Messages(cut).ShouldBe([$"Prescripteur · Camille Durand · {Now()} Candidate très isolée : merci de l'appeler avant l'information collective."]));
        cut.FindAll(".mud-chip").Select(c => c.Shown()).ShouldContain("Public fragile");
        Button(cut, "Envoyer").ShouldNotBeNull();
        await using var db = Database.CreateDbContext();
        (await db.AllComplementThreads.SingleAsync(t => t.PrescriptionId == _prescriptionId, Cancellation)).FragilePublic.ShouldBeTrue();
    }

    [Fact]
    public async Task ComplementThread_EmptyFirstMessage_ShowsTheFrenchRefusal_AndSavesNothing_P8()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var cut = RenderPage();

        await OpenAsCamilleAsync(cut, "   ", fragile: true);

        cut.WaitForAssertion(() => cut.Find("[role='alert']").Shown().ShouldBe("Le message est vide."));
        (await ThreadCountAsync()).ShouldBe(0);
        Button(cut, "Ouvrir la fiche complément").ShouldNotBeNull();
    }

    [Fact]
    public async Task ComplementThread_TrainingBodySeesTheThread_AndAnswers_P8()
    {
        var camille = await UserAsync(TestUsers.Camille);
        await Services.GetRequiredService<OpenComplement.Handler>().HandleAsync(
            new OpenComplement(_prescriptionId, true, "Merci d'appeler la candidate."), camille, Cancellation);
        var opened = Now();
        Clock.Advance(TimeSpan.FromHours(2));
        await AuthorizeAsAsync(TestUsers.Julie);
        var cut = RenderPage();
        cut.WaitForAssertion(() => Messages(cut).ShouldBe([$"Prescripteur · Camille Durand · {opened} Merci d'appeler la candidate."]));
        // The OF cannot cancel a prescription.
        cut.FindAll("button").ShouldNotContain(b => b.Shown().Contains("Annuler la prescription", StringComparison.Ordinal));

        cut.Find("textarea").Change("Appel prévu demain matin.");
        await cut.InvokeAsync(() => Button(cut, "Envoyer").Click());

        cut.WaitForAssertion(() => Messages(cut).ShouldBe([
            $"Prescripteur · Camille Durand · {opened} Merci d'appeler la candidate.",
            $"Organisme de formation · Julie Moreau · {Now()} Appel prévu demain matin.",
        ]));
    }

    [Fact]
    public async Task ComplementThread_MessageOfTheOtherSide_ShowsLiveWithoutReload_P8()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        await Services.GetRequiredService<OpenComplement.Handler>().HandleAsync(
            new OpenComplement(_prescriptionId, false, "Situation de handicap à prendre en compte."), camille, Cancellation);
        var cut = RenderPage();
        cut.WaitForAssertion(() => Messages(cut).Count.ShouldBe(1));

        Clock.Advance(TimeSpan.FromMinutes(30));
        var julie = await UserAsync(TestUsers.Julie);
        await Services.GetRequiredService<PostComplementMessage.Handler>().HandleAsync(
            new PostComplementMessage(_prescriptionId, "Bien noté, nous adaptons l'entretien."), julie, Cancellation);

        cut.WaitForAssertion(() => Messages(cut).Count.ShouldBe(2));
        Messages(cut)[1].ShouldBe($"Organisme de formation · Julie Moreau · {Now()} Bien noté, nous adaptons l'entretien.");
        cut.Find("[data-testid='complement-announcer']").Shown().ShouldBe("Nouveau message dans la fiche complément.");
    }

    [Fact]
    public async Task ComplementThread_TheOfSendsADocument_ItShowsAsALinkInTheThread_AndAWrongTypeIsRefusedInFrench_P8()
    {
        var camille = await UserAsync(TestUsers.Camille);
        await Services.GetRequiredService<OpenComplement.Handler>().HandleAsync(
            new OpenComplement(_prescriptionId, true, "Merci d'appeler la candidate."), camille, Cancellation);
        await AuthorizeAsAsync(TestUsers.Julie);
        var cut = RenderPage();
        cut.WaitForAssertion(() => Messages(cut).Count.ShouldBe(1));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([0x4D, 0x5A, 0x90, 0, 3, 0, 0, 0], "outil.pdf", contentType: "application/pdf"));
        cut.WaitForAssertion(() => cut.Find("[role='alert']").Shown().ShouldBe(AddPrescriptionAttachment.Messages.WrongType));
        Messages(cut).Count.ShouldBe(1);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([.. "%PDF-1.7 plan"u8.ToArray()], "plan-acces.pdf", contentType: "application/pdf"));
        cut.WaitForAssertion(() => Messages(cut).Count.ShouldBe(2));
        var link = cut.Find("[data-testid='complement-document']");
        link.Shown().ShouldBe("plan-acces.pdf");
        link.GetAttribute("href").ShouldStartWith($"/api/prescriptions/{_prescriptionId}/attachments/");
    }

    [Fact]
    public async Task PrescriptionPage_PrescriberOfAnotherOrganisation_GetsPrescriptionIntrouvable()
    {
        await AuthorizeAsAsync(TestUsers.Lucas);

        var cut = RenderPage();

        cut.Find("h1").Shown().ShouldBe("Prescription introuvable");
        cut.Find(".mud-alert").Shown().ShouldBe("Cette prescription n'existe pas ou ne concerne pas votre organisation.");
        cut.FindAll("[data-testid='complement-messages']").ShouldBeEmpty();
    }

    [Fact]
    public async Task Withdrawal_ThePrescriberRecordsWhatTheCandidateSaid_ThenTheStatusBecomesDesistement_O9()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var cut = RenderPage();
        cut.WaitForAssertion(() => Button(cut, "Désistement du candidat"));

        await cut.InvokeAsync(() => Button(cut, "Désistement du candidat").Click());
        _dialogs.WaitForAssertion(() => DialogText().ShouldContain("elle se libère et l'organisme la propose au premier de la liste d'attente"));
        _dialogs.Find("textarea").Input("A trouvé un CDI dans la logistique.");
        await _dialogs.InvokeAsync(() => Button(_dialogs, "Enregistrer le désistement").Click());

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Désistement enregistré."));
        cut.WaitForAssertion(() => cut.Find(".mud-chip").Shown().ShouldBe("Désistement"));
        await using var db = Database.CreateDbContext();
        (await db.AllPrescriptionTransitions.Where(t => t.PrescriptionId == _prescriptionId).OrderBy(t => t.Id).Select(t => t.Reason).LastAsync(Cancellation))
            .ShouldBe("Désistement du candidat : A trouvé un CDI dans la logistique.");
    }

    [Fact]
    public async Task CancelPrescription_RequiresAReason_ThenTheStatusBecomesAnnulee()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var cut = RenderPage();
        cut.WaitForAssertion(() => Button(cut, "Annuler la prescription"));

        await cut.InvokeAsync(() => Button(cut, "Annuler la prescription").Click());
        _dialogs.WaitForAssertion(() => DialogText().ShouldContain("Le choix du candidat est libéré."));
        await _dialogs.InvokeAsync(() => Button(_dialogs, "Annuler la prescription").Click());

        _dialogs.WaitForAssertion(() => DialogText().ShouldContain("Le motif est obligatoire."));
        await using (var db = Database.CreateDbContext())
            (await db.AllPrescriptions.Where(p => p.Id == _prescriptionId).Select(p => p.Status).SingleAsync(Cancellation)).ShouldNotBe(PrescriptionStatus.Cancelled);

        _dialogs.Find("textarea").Input("Le candidat a trouvé un emploi.");
        await _dialogs.InvokeAsync(() => Button(_dialogs, "Annuler la prescription").Click());

        _snackbars.WaitForAssertion(() => _snackbars.Find(".mud-snackbar").Shown().ShouldBe("Prescription annulée."));
        cut.WaitForAssertion(() => cut.Find(".mud-chip").Shown().ShouldBe("Annulée"));
        cut.FindAll(".mud-timeline-item strong")[^1].Shown().ShouldBe("Annulée");
        cut.FindAll("button").ShouldNotContain(b => b.Shown().Contains("Annuler la prescription", StringComparison.Ordinal));
        await using (var db = Database.CreateDbContext())
            (await db.AllPrescriptions.Where(p => p.Id == _prescriptionId).Select(p => p.Status).SingleAsync(Cancellation)).ShouldBe(PrescriptionStatus.Cancelled);
    }
    [Fact]
    public async Task PlaceOffered_ThePrescriberSeesTheDeadline_AndRecordsTheAcceptance_TheCandidateIsSelected_O9_S6()
    {
        var julie = await UserAsync(TestUsers.Julie);
        await using (var db = Database.CreateDbContext())
        {
            var p = await db.AllPrescriptions.SingleAsync(x => x.Id == _prescriptionId, Cancellation);
            // Brought to the waiting list whatever its demo status, then offered a place until 02/12/2026.
            if (p.Status is PrescriptionStatus.Submitted)
            {
                var meeting = new Portal.Domain.Offer.InfoSession(p.SessionId, Portal.Domain.Offer.InfoSessionKind.Collective,
                    Clock.GetUtcNow().AddDays(Portal.Domain.Offer.InfoSession.ConvocationNoticeDays), "Salle 3, Bordeaux", "Pièce d'identité");
                db.InfoSessions.Add(meeting);
                p.Convoke(meeting, julie.UserId, Clock.GetUtcNow());
            }
            if (p.Status is PrescriptionStatus.Convoked) p.RecordAttendance(PrescriptionStatus.Attended, julie.UserId, Clock.GetUtcNow());
            if (p.Status != PrescriptionStatus.Waitlisted) p.Waitlist(julie.UserId, Clock.GetUtcNow());
            p.OfferPlace(julie.UserId, Clock.GetUtcNow(), new DateOnly(2026, 12, 2));
            await db.SaveChangesAsync(Cancellation);
        }
        await AuthorizeAsAsync(TestUsers.Camille);

        var cut = RenderPage();

        cut.WaitForAssertion(() => cut.Find("[data-testid='place-offer']").Shown().ShouldContain("au plus tard le 02/12/2026"));
        await cut.InvokeAsync(() => cut.Find("[data-testid='offer-accept']").Click());

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='place-offer']").ShouldBeEmpty());
        await using var check = Database.CreateDbContext();
        (await check.AllPrescriptions.Where(x => x.Id == _prescriptionId).Select(x => x.Status).SingleAsync(Cancellation)).ShouldBe(PrescriptionStatus.Selected);
        _snackbars.Markup.ShouldContain("le candidat est retenu");
    }

    [Fact]
    public async Task PlaceOffered_TheOfSeesTheOffer_WithoutTheAnswerButtons_O9()
    {
        var julie = await UserAsync(TestUsers.Julie);
        await using (var db = Database.CreateDbContext())
        {
            var p = await db.AllPrescriptions.SingleAsync(x => x.Id == _prescriptionId, Cancellation);
            if (p.Status is PrescriptionStatus.Submitted)
            {
                var meeting = new Portal.Domain.Offer.InfoSession(p.SessionId, Portal.Domain.Offer.InfoSessionKind.Collective,
                    Clock.GetUtcNow().AddDays(Portal.Domain.Offer.InfoSession.ConvocationNoticeDays), "Salle 3, Bordeaux", "Pièce d'identité");
                db.InfoSessions.Add(meeting);
                p.Convoke(meeting, julie.UserId, Clock.GetUtcNow());
            }
            if (p.Status is PrescriptionStatus.Convoked) p.RecordAttendance(PrescriptionStatus.Attended, julie.UserId, Clock.GetUtcNow());
            if (p.Status != PrescriptionStatus.Waitlisted) p.Waitlist(julie.UserId, Clock.GetUtcNow());
            p.OfferPlace(julie.UserId, Clock.GetUtcNow(), new DateOnly(2026, 12, 2));
            await db.SaveChangesAsync(Cancellation);
        }
        await AuthorizeAsAsync(TestUsers.Julie);

        var cut = RenderPage();

        cut.WaitForAssertion(() => cut.Find("[data-testid='place-offer']").Shown().ShouldContain("02/12/2026"));
        cut.FindAll("[data-testid='offer-accept']").ShouldBeEmpty();
        cut.FindAll("[data-testid='offer-decline']").ShouldBeEmpty();
    }
}
