using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Selection;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Selection;

/// <summary>S1, S5, S7, S12: the OF's decisions screen and its non-selection dialog. Each test has its own database.</summary>
public sealed class DecisionsPageTests : PortalTestContext
{
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    /// <summary>Julie's open session with the most candidates met at the information session (demo data).</summary>
    private async Task<Guid> JuliesSessionWithAttendedAsync()
    {
        var julie = await UserAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var sessions = await db.Sessions.Where(s => s.OrganisationId == julie.OrganisationId && s.Status == SessionStatus.Open)
            .Select(s => new { s.Id, Count = db.AllPrescriptions.Count(p => p.SessionId == s.Id && p.Status == PrescriptionStatus.Attended) })
            .ToListAsync(Cancellation);
        var best = sessions.OrderByDescending(s => s.Count).First();
        best.Count.ShouldBeGreaterThan(1, "the demo data should have candidates met on Julie's session");
        return best.Id;
    }

    private async Task<List<Guid>> AttendedAsync(Guid sessionId)
    {
        await using var db = Database.CreateDbContext();
        return await db.AllPrescriptions.Where(p => p.SessionId == sessionId && p.Status == PrescriptionStatus.Attended).Select(p => p.Id).ToListAsync(Cancellation);
    }

    private async Task<Prescription> LoadAsync(Guid id)
    {
        await using var db = Database.CreateDbContext();
        return await db.AllPrescriptions.AsNoTracking().SingleAsync(p => p.Id == id, Cancellation);
    }

    private IRenderedComponent<DecisionsPage> RenderPage(Guid sessionId)
    {
        var cut = Render<DecisionsPage>(p => p.Add(c => c.Id, sessionId));
        cut.WaitForAssertion(() => cut.FindAll("h1").ShouldNotBeEmpty());
        return cut;
    }

    private static IElement Row(IRenderedComponent<DecisionsPage> cut, Guid id) => cut.Find($"tr[data-prescription-id='{id}']");

    private static IElement Button<T>(IRenderedComponent<T> host, string text) where T : Microsoft.AspNetCore.Components.IComponent =>
        host.FindAll("button").First(b => b.Shown() == text);

    private string DialogText() => Text.Squash(string.Concat(_dialogs.Nodes.Select(n => n.TextContent)));

    private IElement DialogCheckbox(string label) =>
        _dialogs.FindAll(".mud-checkbox").First(c => c.Shown() == label).QuerySelector("input")!;

    private IElement DialogField(string label) =>
        _dialogs.FindAll(".mud-input-control").First(c => c.QuerySelector("label")?.Shown() == label).QuerySelector("textarea, input")!;

    private async Task OpenRefusalAsync(IRenderedComponent<DecisionsPage> cut, Guid id)
    {
        await cut.InvokeAsync(() => Row(cut, id).QuerySelectorAll("button").First(b => b.Shown() == "Refuser…").Click());
        _dialogs.WaitForAssertion(() => _dialogs.FindAll("[data-testid='non-selection-dialog']").ShouldHaveSingleItem());
    }

    [Fact]
    public async Task EachRowsCells_CarryTheirColumnsName_ForThePhoneLayout()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var sessionId = await JuliesSessionWithAttendedAsync();
        var cut = RenderPage(sessionId);
        var attended = await AttendedAsync(sessionId);

        // On a phone the table stacks (portal-stack-sm): each cell is shown under the name its data-label gives, so each
        // data cell names its column as the header does, the checkbox's excepted.
        cut.WaitForElement($"tr[data-prescription-id='{attended[0]}']");
        var table = cut.Find(".portal-stack-sm table");
        var headers = table.QuerySelectorAll("thead th").Skip(1).Select(th => th.Shown()).ToList();
        headers.ShouldBe(["Candidat", "Prescripteur", "Choix", "Statut", "Motifs / remarques", "Actions"]);
        var cells = Row(cut, attended[0]).QuerySelectorAll("td").ToList();
        cells[0].HasAttribute("data-label").ShouldBeFalse();
        cells.Skip(1).Select(td => td.GetAttribute("data-label")).ShouldBe(headers);
    }

    [Fact]
    public async Task DecisionsPage_ListsTheCandidatesToDecide_WithKeyboardShortcutsAndBulkActions_S1()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var sessionId = await JuliesSessionWithAttendedAsync();
        await using var db = Database.CreateDbContext();
        var shown = GetSessionDecisions.Shown;
        var expected = await db.AllPrescriptions.CountAsync(p => p.SessionId == sessionId && shown.Contains(p.Status), Cancellation);

        var cut = RenderPage(sessionId);

        cut.WaitForAssertion(() => cut.FindAll("tbody tr").Count.ShouldBe(expected));
        cut.Find("h1").Shown().ShouldStartWith("Décisions – ");
        cut.Find("[data-testid='shortcuts']").Shown().ShouldContain("S sélectionne les cochés");
        Button(cut, "Sélectionner (0)").HasAttribute("disabled").ShouldBeTrue();
        foreach (var id in await AttendedAsync(sessionId))
            Row(cut, id).QuerySelector("input[type='checkbox']").ShouldNotBeNull();
        Text.EnumNamesIn(cut.Find("table").Shown()).ShouldBeEmpty();
        // The narrow "Choix" column keeps its header and its "n° 1" on one line (they wrapped as "Ch/oix" and "n°/1").
        cut.FindAll("th").Single(th => th.Shown() == "Choix").GetAttribute("style").ShouldBe("white-space:nowrap");
        cut.FindAll("tbody td").Where(td => td.Shown().StartsWith("n° ", StringComparison.Ordinal)).ShouldAllBe(td => td.GetAttribute("style") == "white-space:nowrap");
    }

    [Fact]
    public async Task DecisionsPage_CheckTwoRowsWithSpaceAndEnter_ThenS_SelectsThem_S1()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var sessionId = await JuliesSessionWithAttendedAsync();
        var ids = await AttendedAsync(sessionId);
        var cut = RenderPage(sessionId);
        cut.WaitForAssertion(() => cut.FindAll("tbody tr").ShouldNotBeEmpty());

        // Space toggles the native checkbox (change event); Enter on the focused row toggles it too.
        await cut.InvokeAsync(() => Row(cut, ids[0]).QuerySelector("input[type='checkbox']")!.Change(true));
        await cut.InvokeAsync(() => Row(cut, ids[1]).TriggerEvent("onfocusin", new Microsoft.AspNetCore.Components.Web.FocusEventArgs()));
        await cut.InvokeAsync(() => cut.Find("[data-testid='decisions-table']").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" }));
        cut.WaitForAssertion(() => cut.Find("[data-testid='bulk-select']").Shown().ShouldBe("Sélectionner (2)"));

        await cut.InvokeAsync(() => cut.Find("[data-testid='decisions-table']").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "s" }));

        cut.WaitForAssertion(() => Row(cut, ids[1]).Shown().ShouldContain(PrescriptionStatus.Selected.Label()));
        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.Selected);
        (await LoadAsync(ids[1])).Status.ShouldBe(PrescriptionStatus.Selected);
        _snackbars.Markup.ShouldContain("2 candidat(s) sélectionné(s).");
    }

    [Fact]
    public async Task NonSelectionDialog_OffersTheFichesCriteria_RefusesNoReason_ThenRecordsReasonsAndDraftedExplanations_S7_S12()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var sessionId = await JuliesSessionWithAttendedAsync();
        var id = (await AttendedAsync(sessionId))[0];
        var decisions = await new GetSessionDecisions.Handler(Database).HandleAsync(new GetSessionDecisions(sessionId), julie, Cancellation);
        var cut = RenderPage(sessionId);
        cut.WaitForAssertion(() => cut.FindAll("tbody tr").ShouldNotBeEmpty());

        await OpenRefusalAsync(cut, id);

        var criteria = _dialogs.Find("[data-testid='criteria-choices']").QuerySelectorAll(".mud-checkbox").Select(c => c.Shown()).ToList();
        criteria.ShouldBe([.. decisions.SelectionCriteria, $"Prérequis : {decisions.Prerequisites}"]);
        await _dialogs.InvokeAsync(() => Button(_dialogs, "Refuser avec ces motifs").Click());
        _dialogs.WaitForAssertion(() => _dialogs.Find("[data-testid='non-selection-error']").Shown()
            .ShouldBe("Cochez au moins un motif : une non-sélection doit être motivée (S7)."));
        (await LoadAsync(id)).Status.ShouldBe(PrescriptionStatus.Attended);

        var criterion = decisions.SelectionCriteria[0];
        await _dialogs.InvokeAsync(() => DialogCheckbox(criterion).Change(true));
        await _dialogs.InvokeAsync(() => DialogCheckbox(NonSelectionReasonKind.Unavailable.Label()).Change(true));
        _dialogs.WaitForAssertion(() => DialogField("Explication pour le candidat").GetAttribute("value").ShouldNotBeNullOrEmpty());
        await _dialogs.InvokeAsync(() => DialogField("Explication pour le prescripteur").Input("Positionnement insuffisant ; revoir dans trois mois."));
        await _dialogs.InvokeAsync(() => Button(_dialogs, "Refuser avec ces motifs").Click());

        _dialogs.WaitForAssertion(() => _dialogs.FindAll("[data-testid='non-selection-dialog']").ShouldBeEmpty());
        var stored = await LoadAsync(id);
        stored.Status.ShouldBe(PrescriptionStatus.NotSelected);
        // ADR 0026: each reason with the code of the list's reason picked.
        stored.NonSelectionReasons.ShouldBe([new NonSelectionReason(NonSelectionReasonKind.PrerequisitesNotMet, criterion, "PREREQUIS"),
            new NonSelectionReason(NonSelectionReasonKind.Unavailable, null, "INDISPONIBLE")]);
        stored.PrescriberExplanation.ShouldBe("Positionnement insuffisant ; revoir dans trois mois.");
        stored.CandidateExplanation!.ShouldContain(criterion);
        cut.WaitForAssertion(() => Row(cut, id).QuerySelector("[data-testid='decision-reasons']")!.Shown().ShouldContain(criterion));
    }

    [Fact]
    public async Task NonSelectionDialog_OffersTheActiveReasonsOfTheList_ByLabel_AndRecordsTheirCodes_ADR0026_S7()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var sessionId = await JuliesSessionWithAttendedAsync();
        var id = (await AttendedAsync(sessionId))[0];
        await using (var db = Database.CreateDbContext())
        {
            // The Région's list: INDISPONIBLE inactive, two reasons of its own (one of the kind "other", which needs its words).
            var unavailable = await db.NonSelectionReasons.SingleAsync(r => r.Code == "INDISPONIBLE", Cancellation);
            unavailable.Update(unavailable.Label, unavailable.Kind, false, unavailable.DisplayOrder);
            db.NonSelectionReasons.Add(new NonSelectionReasonEntry("MOBILITE", "Lieu de formation inaccessible sans véhicule", NonSelectionReasonKind.Unavailable, true, 3));
            db.NonSelectionReasons.Add(new NonSelectionReasonEntry("FINANCEUR", "Refus du financeur", NonSelectionReasonKind.Other, true, 8));
            await db.SaveChangesAsync(Cancellation);
        }
        var cut = RenderPage(sessionId);
        cut.WaitForAssertion(() => cut.FindAll("tbody tr").ShouldNotBeEmpty());

        await OpenRefusalAsync(cut, id);

        DialogText().ShouldContain("Prérequis non atteints — critères de la fiche action :");
        var offered = _dialogs.Find("[data-testid='reason-choices']").QuerySelectorAll(".mud-checkbox").Select(c => c.Shown())
            .Except(_dialogs.Find("[data-testid='criteria-choices']").QuerySelectorAll(".mud-checkbox").Select(c => c.Shown())).ToList();
        offered.ShouldBe(["Projet professionnel non validé", "Lieu de formation inaccessible sans véhicule", "Candidat injoignable", "Session complète",
            "Absence à l'information collective", "Autre motif", "Refus du financeur"]);
        offered.ShouldNotContain("Candidat indisponible aux dates de la session");

        await _dialogs.InvokeAsync(() => DialogCheckbox("Lieu de formation inaccessible sans véhicule").Change(true));
        await _dialogs.InvokeAsync(() => DialogCheckbox("Refus du financeur").Change(true));
        _dialogs.WaitForAssertion(() => DialogField("Précisez : Refus du financeur").ShouldNotBeNull());
        await _dialogs.InvokeAsync(() => DialogField("Précisez : Refus du financeur").Input("Prise en charge refusée par l'OPCO"));
        _dialogs.WaitForAssertion(() => DialogField("Explication pour le prescripteur").GetAttribute("value")
            .ShouldBe("Candidature non retenue. Motif(s) : Lieu de formation inaccessible sans véhicule ; Refus du financeur : Prise en charge refusée par l'OPCO."));
        await _dialogs.InvokeAsync(() => Button(_dialogs, "Refuser avec ces motifs").Click());

        _dialogs.WaitForAssertion(() => _dialogs.FindAll("[data-testid='non-selection-dialog']").ShouldBeEmpty());
        var stored = await LoadAsync(id);
        stored.Status.ShouldBe(PrescriptionStatus.NotSelected);
        stored.NonSelectionReasons.ShouldBe([new NonSelectionReason(NonSelectionReasonKind.Unavailable, null, "MOBILITE"),
            new NonSelectionReason(NonSelectionReasonKind.Other, "Prise en charge refusée par l'OPCO", "FINANCEUR")]);
        cut.WaitForAssertion(() => Row(cut, id).QuerySelector("[data-testid='decision-reasons']")!.Shown().ShouldContain("Lieu de formation inaccessible sans véhicule"));
    }

    [Fact]
    public async Task NonSelectionDialog_AJustifiedAbsenceAsOnlyReason_IsRefusedInFrench_AndTheDialogKeepsWhatWasTyped_S5()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var sessionId = await JuliesSessionWithAttendedAsync();
        Guid id;
        await using (var db = Database.CreateDbContext())
        {
            // A candidate of the session convoked, then absent with a justification given to the prescriber.
            var p = await db.AllPrescriptions.FirstAsync(x => x.SessionId == sessionId && x.Status == PrescriptionStatus.Submitted, Cancellation);
            var meeting = new Portal.Domain.Offer.InfoSession(p.SessionId, Portal.Domain.Offer.InfoSessionKind.Collective, Clock.GetUtcNow().AddDays(7), "Salle 3, Bordeaux", "");
            db.InfoSessions.Add(meeting);
            p.Convoke(meeting, julie.UserId, Clock.GetUtcNow());
            p.RecordAttendance(PrescriptionStatus.AbsentJustified, julie.UserId, Clock.GetUtcNow(), "Convocation à Pôle santé, prévenu le conseiller");
            await db.SaveChangesAsync(Cancellation);
            id = p.Id;
        }
        var cut = RenderPage(sessionId);
        cut.WaitForAssertion(() => Row(cut, id).Shown().ShouldContain("Absence justifiée : Convocation à Pôle santé"));

        await OpenRefusalAsync(cut, id);
        DialogText().ShouldContain("elle ne peut pas être le seul motif (S5)");
        await _dialogs.InvokeAsync(() => DialogCheckbox(NonSelectionReasonKind.AbsentFromInfoSession.Label()).Change(true));
        await _dialogs.InvokeAsync(() => DialogField("Explication pour le candidat").Input("Vous étiez absent."));
        await _dialogs.InvokeAsync(() => Button(_dialogs, "Refuser avec ces motifs").Click());

        _dialogs.WaitForAssertion(() => _dialogs.Find("[data-testid='non-selection-error']").Shown()
            .ShouldBe("Une absence justifiée auprès du prescripteur ne peut pas être à elle seule un motif de refus."));
        DialogField("Explication pour le candidat").GetAttribute("value").ShouldBe("Vous étiez absent.");
        (await LoadAsync(id)).Status.ShouldBe(PrescriptionStatus.AbsentJustified);
    }

    [Fact]
    public async Task DecisionsPage_WhenAColleagueDecidedMeanwhile_TheSecondDecisionIsRefusedInFrench_S1()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var sessionId = await JuliesSessionWithAttendedAsync();
        var id = (await AttendedAsync(sessionId))[0];
        var cut = RenderPage(sessionId);
        cut.WaitForAssertion(() => cut.FindAll("tbody tr").ShouldNotBeEmpty());
        await cut.InvokeAsync(() => Row(cut, id).QuerySelector("input[type='checkbox']")!.Change(true));
        // The colleague's decision reaches the database, but this screen has not been told yet (another server, no backplane).
        using var elsewhere = new RecordingPrescriptionChanges();
        var version = (await LoadAsync(id)).Version;
        await new DecideSelection.Handler(Database, Clock, elsewhere.Notifier)
            .HandleAsync(new DecideSelection(sessionId, [new DecisionTarget(id, version)], BulkDecision.Waitlist), julie, Cancellation);

        await cut.InvokeAsync(() => cut.Find("[data-testid='bulk-select']").Click());

        cut.WaitForAssertion(() => _snackbars.Markup.ShouldContain("Un autre utilisateur vient de décider pour ce candidat"));
        (await LoadAsync(id)).Status.ShouldBe(PrescriptionStatus.Waitlisted);
        cut.WaitForAssertion(() => Row(cut, id).Shown().ShouldContain(PrescriptionStatus.Waitlisted.Label()));
    }

    [Fact]
    public async Task DecisionsPage_EntryOfASelectedCandidate_IsRecorded_AndCancelsTheirOtherChoices_S11_P6()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var sessionId = await JuliesSessionWithAttendedAsync();
        Guid id;
        List<Guid> others;
        await using (var db = Database.CreateDbContext())
        {
            var active = PrescriptionLifecycle.Active;
            var selected = await db.AllPrescriptions.Where(p => p.SessionId == sessionId && p.Status == PrescriptionStatus.Selected).ToListAsync(Cancellation);
            var withOthers = selected.First(p => db.AllPrescriptions.Any(o => o.CandidateId == p.CandidateId && o.Id != p.Id && active.Contains(o.Status)));
            id = withOthers.Id;
            others = await db.AllPrescriptions.Where(o => o.CandidateId == withOthers.CandidateId && o.Id != id && active.Contains(o.Status)).Select(o => o.Id).ToListAsync(Cancellation);
        }
        var cut = RenderPage(sessionId);
        cut.WaitForAssertion(() => Row(cut, id).Shown().ShouldContain("Entrée en formation"));

        await cut.InvokeAsync(() => Row(cut, id).QuerySelectorAll("button").First(b => b.Shown() == "Entrée en formation").Click());

        cut.WaitForAssertion(() => Row(cut, id).Shown().ShouldContain(PrescriptionStatus.Entered.Label()));
        (await LoadAsync(id)).Status.ShouldBe(PrescriptionStatus.Entered);
        foreach (var other in others) (await LoadAsync(other)).Status.ShouldBe(PrescriptionStatus.Cancelled);
        _snackbars.Markup.ShouldContain("leurs autres choix sont annulés (P6)");
    }

    [Fact]
    public async Task DecisionsPage_APlaceOpenAndTwoWaiting_TellsTheOf_AndOffersThePlaceToTheFirstByDateOfPrescription_O9_S1()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var julie = await UserAsync(TestUsers.Julie);
        var sessionId = await JuliesSessionWithAttendedAsync();
        Guid first, second;
        int openBefore;
        await using (var db = Database.CreateDbContext())
        {
            // Two candidates met are waitlisted, the later-prescribed one decided first.
            var two = await db.AllPrescriptions.Where(p => p.SessionId == sessionId && p.Status == PrescriptionStatus.Attended)
                .OrderBy(p => p.CreatedAt).Take(2).ToListAsync(Cancellation);
            (first, second) = (two[0].Id, two[1].Id);
            two[1].Waitlist(julie.UserId, Clock.GetUtcNow());
            two[0].Waitlist(julie.UserId, Clock.GetUtcNow());
            await db.SaveChangesAsync(Cancellation);
            openBefore = await db.Sessions.Where(s => s.Id == sessionId).Select(s => s.OpenPlaces).SingleAsync(Cancellation);
        }
        openBefore.ShouldBeGreaterThan(0, "the demo session has places open");

        var cut = RenderPage(sessionId);

        cut.WaitForAssertion(() => cut.Find("[data-testid='place-to-offer']").Shown().ShouldContain("2 candidat(s) en liste d'attente"));
        Row(cut, first).Shown().ShouldContain("rang 1");
        Row(cut, second).Shown().ShouldContain("rang 2");
        // Today is 27/11/2026 in Paris; the default response period is 7 days.
        cut.Find("[data-testid='offer-deadline']").Shown().ShouldBe("Réponse au plus tard le 04/12/2026");

        await cut.InvokeAsync(() => cut.Find("[data-testid='offer-place']").Click());

        cut.WaitForAssertion(() => Row(cut, first).Shown().ShouldContain("Place proposée"));
        Row(cut, first).Shown().ShouldContain("réponse au plus tard le 04/12/2026");
        var offered = await LoadAsync(first);
        offered.Status.ShouldBe(PrescriptionStatus.PlaceOffered);
        offered.OfferDeadline.ShouldBe(new DateOnly(2026, 12, 4));
        (await LoadAsync(second)).Status.ShouldBe(PrescriptionStatus.Waitlisted);
        cut.WaitForAssertion(() => cut.Find("[data-testid='open-places']").Shown().ShouldBe((openBefore - 1).ToString()));
        _snackbars.Markup.ShouldContain("son prescripteur est prévenu");
    }

    [Fact]
    public async Task DecisionsPage_AnotherTrainingBody_GetsSessionIntrouvable_AndAPrescriberIsRefused()
    {
        var sessionId = await JuliesSessionWithAttendedAsync();
        await AuthorizeAsAsync(TestUsers.Thomas);
        var cut = RenderPage(sessionId);
        cut.Find("h1").Shown().ShouldBe("Session introuvable");
        cut.FindAll("tbody tr").ShouldBeEmpty();
    }

    [Fact]
    public async Task DecisionsPage_Prescriber_GetsAccesRefuse()
    {
        var sessionId = await JuliesSessionWithAttendedAsync();
        await AuthorizeAsAsync(TestUsers.Camille);
        var cut = RenderPage(sessionId);
        cut.Find("h1").Shown().ShouldBe("Accès refusé");
    }
}
