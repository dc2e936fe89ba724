using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Prescriptions;
using Portal.Web.Features.Selection;
using Portal.Web.Features.Sessions;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Prescriptions;

/// <summary>
/// Issue #13, point 1 (P3, P4, P5, P7): the OF reads the fiche de prescription on the prescription page, opens it from
/// its session and decisions screens and prints it one page per candidate; another OF's id is not found; the Région
/// reads it without acting. Each test has its own database.
/// </summary>
public sealed class FicheDePrescriptionTests : PortalTestContext
{
    private Guid _prescriptionId;
    private Guid _sessionId;
    private string _candidateName = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var camille = await UserAsync(TestUsers.Camille);
        var julie = await UserAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var active = PrescriptionLifecycle.Active;
        var prescription = await db.AllPrescriptions
            .Where(p => p.PrescriberUserId == camille.UserId && p.TrainingBodyId == julie.OrganisationId && active.Contains(p.Status))
            .OrderBy(p => p.Id).FirstAsync(Cancellation);
        (_prescriptionId, _sessionId) = (prescription.Id, prescription.SessionId);
        _candidateName = await db.AllCandidates.Where(c => c.Id == prescription.CandidateId).Select(c => c.FirstName + " " + c.LastName).SingleAsync(Cancellation);
        Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
    }

    /// <summary>The fiche as shown: each row's heading and value.</summary>
    private static Dictionary<string, string> Fiche(IElement fiche) =>
        fiche.QuerySelectorAll("tr[data-field]").ToDictionary(tr => tr.GetAttribute("data-field")!, tr => tr.QuerySelector("td")!.Shown());

    /// <summary>The demo data's fiche de prescription (DemoData.Seed), the RQTH answer of a Mission Locale candidate being "no".</summary>
    private static void ShouldBeTheDemoFiche(Dictionary<string, string> fiche)
    {
        fiche["prior-path"].ShouldBe("CAP obtenu, deux ans d'intérim dans le secteur visé.");
        fiche["project-validation"].ShouldBe("Projet validé par une immersion (PMSMP) de deux semaines et un entretien de diagnostic.");
        fiche["agreement"].ShouldBe("Oui, le candidat a donné son accord");
        fiche["material-conditions"].ShouldBe("Permis B et véhicule ; pas de contrainte de garde.");
        fiche["feasibility"].ShouldBe("Projet réaliste au regard des offres d'emploi locales.");
        fiche["rqth"].ShouldBe("Non");
        fiche["motivations"].ShouldBe("Souhaite un emploi stable dans un métier qui recrute près de chez lui.");
        fiche["barriers"].ShouldBe("Mobilité : aide au permis mobilisée.");
        fiche["criteria"].ShouldBe("Oui");
    }

    private IRenderedComponent<PrescriptionPage> RenderPrescriptionPage(Guid id)
    {
        var cut = Render<PrescriptionPage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.FindAll("h1").ShouldNotBeEmpty());
        return cut;
    }

    private async Task<int> RqthReadsAsync(Guid userId)
    {
        await using var db = Database.CreateDbContext();
        var candidate = await db.AllPrescriptions.Where(p => p.Id == _prescriptionId).Select(p => p.CandidateId).SingleAsync(Cancellation);
        return await db.AllSensitiveReads.CountAsync(r => r.UserId == userId && r.CandidateId == candidate && r.Field == "RQTH", Cancellation);
    }

    [Fact]
    public async Task PrescriptionPage_TheSessionsOf_ReadsTheFicheInFull_BesideTheDocumentsAndTheFicheComplement_AndTheRqthReadIsLogged_P3_P4_P5_P7()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var before = await RqthReadsAsync(julie.UserId);

        var cut = RenderPrescriptionPage(_prescriptionId);

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='fiche-prescription']").Count.ShouldBe(1));
        ShouldBeTheDemoFiche(Fiche(cut.Find("[data-testid='fiche-prescription']")));
        cut.Find("[data-testid='fiche-origin']").Shown().ShouldContain("Mission Locale Technowest");
        cut.Find("[data-testid='print-fiche']").GetAttribute("href").ShouldBe($"/prescriptions/{_prescriptionId}/imprimer");
        var headings = cut.FindAll("h2").Select(h => h.Shown()).ToList();
        headings.ShouldContain("Documents joints");
        headings.ShouldContain("Fiche complément");
        (await RqthReadsAsync(julie.UserId)).ShouldBe(before + 1);
    }

    [Fact]
    public async Task PrescriptionPage_AnotherOf_GetsNotFound_AndNoFiche_P7()
    {
        var thomas = await AuthorizeAsAsync(TestUsers.Thomas);

        var cut = RenderPrescriptionPage(_prescriptionId);

        cut.Find("h1").Shown().ShouldBe("Prescription introuvable");
        cut.FindAll("[data-testid='fiche-prescription']").ShouldBeEmpty();
        cut.Markup.ShouldNotContain("CAP obtenu");
        (await RqthReadsAsync(thomas.UserId)).ShouldBe(0);
    }

    [Fact]
    public async Task PrescriptionPage_TheRegion_ReadsTheFiche_ReadOnly_P7()
    {
        await AuthorizeAsAsync(TestUsers.Claire);

        var cut = RenderPrescriptionPage(_prescriptionId);

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='fiche-prescription']").Count.ShouldBe(1));
        ShouldBeTheDemoFiche(Fiche(cut.Find("[data-testid='fiche-prescription']")));
        var buttons = cut.FindAll("button").Select(b => b.Shown()).ToList();
        buttons.ShouldNotContain(b => b.Contains("Annuler la prescription") || b.Contains("Désistement") || b.Contains("Envoyer") || b.Contains("Ouvrir la fiche complément"));
        cut.FindAll("textarea").ShouldBeEmpty();
        cut.FindAll("input[type='file']").ShouldBeEmpty();
    }

    [Fact]
    public async Task PrintPage_OnePrescription_ForItsOf_IsOnePageWithTheFiche_AndAPrintButton_P7()
    {
        await AuthorizeAsAsync(TestUsers.Julie);

        var cut = Render<FichesPrintPage>(p => p.Add(c => c.PrescriptionId, _prescriptionId));

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='fiche-page']").Count.ShouldBe(1));
        var page = cut.Find("[data-testid='fiche-page']");
        page.QuerySelector("h2")!.Shown().ShouldBe(_candidateName);
        ShouldBeTheDemoFiche(Fiche(page));
        cut.Find("[data-testid='print-button']").HasAttribute("data-portal-print").ShouldBeTrue(); // print.js opens the dialog (no inline handler under the CSP)
    }

    [Fact]
    public async Task PrintPage_Session_ForItsOf_IsOnePagePerPrescription_OrOnlyTheCheckedOnes_P7()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var ids = await db.AllPrescriptions.Where(p => p.SessionId == _sessionId).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Select(p => p.Id).ToListAsync(Cancellation);
        ids.Count.ShouldBeGreaterThan(1);

        var all = Render<FichesPrintPage>(p => p.Add(c => c.SessionId, _sessionId));
        all.WaitForAssertion(() => all.FindAll("[data-testid='fiche-page']").Select(e => Guid.Parse(e.GetAttribute("data-prescription-id")!)).ShouldBe(ids));
        // The decisions screen's link for one checked candidate (the query string ?p=id).
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/sessions/{_sessionId}/fiches/imprimer?p={ids[1]}");
        var only = Render<FichesPrintPage>(p => p.Add(c => c.SessionId, _sessionId));

        only.WaitForAssertion(() => only.FindAll("[data-testid='fiche-page']").Select(e => Guid.Parse(e.GetAttribute("data-prescription-id")!)).ShouldBe([ids[1]]));
        only.FindAll($"[data-prescription-id='{ids[0]}']").ShouldBeEmpty();
    }

    [Fact]
    public async Task PrintPage_AnotherOf_GetsNotFound_ForThePrescriptionAndForTheSession_P7()
    {
        await AuthorizeAsAsync(TestUsers.Thomas);

        var single = Render<FichesPrintPage>(p => p.Add(c => c.PrescriptionId, _prescriptionId));
        var session = Render<FichesPrintPage>(p => p.Add(c => c.SessionId, _sessionId));

        foreach (var cut in new[] { single, session })
        {
            cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Fiche de prescription introuvable"));
            cut.FindAll("[data-testid='fiche-page']").ShouldBeEmpty();
            cut.Markup.ShouldNotContain("CAP obtenu");
        }
    }

    [Fact]
    public async Task SessionPage_Of_OpensEachFiche_AndPrintsThemAll_S4()
    {
        await AuthorizeAsAsync(TestUsers.Julie);

        var cut = Render<SessionPage>(p => p.Add(c => c.Id, _sessionId));

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='open-fiche']").ShouldNotBeEmpty());
        cut.FindAll("[data-testid='open-fiche']").Select(a => a.GetAttribute("href")).ShouldContain($"/prescriptions/{_prescriptionId}");
        cut.Find("[data-testid='print-fiches']").GetAttribute("href").ShouldBe($"/sessions/{_sessionId}/fiches/imprimer");
    }

    [Fact]
    public async Task DecisionsPage_Of_OpensEachFiche_AndPrintsTheCheckedCandidatesFiches_S4()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        // Julie's session with candidates met at the information session (they can be checked).
        var session = await db.Sessions.Where(s => s.OrganisationId == julie.OrganisationId && s.Status == SessionStatus.Open)
            .OrderByDescending(s => db.AllPrescriptions.Count(p => p.SessionId == s.Id && p.Status == PrescriptionStatus.Attended)).Select(s => s.Id).FirstAsync(Cancellation);

        var cut = Render<DecisionsPage>(p => p.Add(c => c.Id, session));

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='row-check']").Count.ShouldBeGreaterThan(1));
        cut.Find("[data-testid='print-fiches']").GetAttribute("href").ShouldBe($"/sessions/{session}/fiches/imprimer");
        var row = cut.FindAll("[data-testid='row-check']")[1].Closest("tr")!;
        var id = row.GetAttribute("data-prescription-id");
        row.QuerySelector("[data-testid='open-fiche']")!.GetAttribute("href").ShouldBe($"/prescriptions/{id}");
        cut.FindAll("[data-testid='row-check']")[1].Change(true);
        cut.WaitForAssertion(() => cut.Find("[data-testid='print-fiches']").GetAttribute("href").ShouldBe($"/sessions/{session}/fiches/imprimer?p={id}"));
        cut.Find("[data-testid='print-fiches']").Shown().ShouldBe("Imprimer les fiches des cochés (1)");
    }
}
