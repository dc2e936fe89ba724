using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Application.Abstractions;
using Portal.Application.Features.Observatory;
using Portal.Domain.Candidates;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.E2E.Tests;

/// <summary>
/// Q2 end to end: the OF leaves a decision unrecorded past the threshold; the job raises the alert; the OF sees it on
/// its home; the CARIF forwards it to the Région with a comment; the Région sees it; recording the decision resolves it.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class QualityAlertJourneyTests(PortalServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A candidate of Camille's met 20 days ago at an info session of a session of Julie's (not an open one, that other journeys use), never decided.</summary>
    private async Task<Guid> UndecidedCandidateAsync()
    {
        await using var db = await server.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync(Ct);
        var julie = await db.Users.SingleAsync(u => u.Email.StartsWith("julie.moreau@"), Ct);
        var camille = await db.Users.SingleAsync(u => u.Email.StartsWith("camille.durand@"), Ct);
        var formapro = await db.Memberships.Where(m => m.UserId == julie.Id).Select(m => m.OrganisationId).FirstAsync(Ct);
        var missionLocale = await db.Memberships.Where(m => m.UserId == camille.Id).Select(m => m.OrganisationId).FirstAsync(Ct);
        var session = await db.Sessions.Where(s => s.OrganisationId == formapro).OrderBy(s => s.Status == SessionStatus.Open).ThenBy(s => s.Id).FirstAsync(Ct);
        var now = server.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var meeting = new InfoSession(session.Id, InfoSessionKind.Collective, now.AddDays(-20), "Salle 2, Formapro Gironde, Mérignac");
        db.InfoSessions.Add(meeting);
        var candidate = new Candidate(missionLocale, camille.Id, "Zoé", "Zzqualité", new DateOnly(1990, 4, 2), "33063", now.AddDays(-30));
        db.AllCandidates.Add(candidate);
        var p = new Prescription(candidate.Id, session.Id, formapro, missionLocale, camille.Id, 1, new PrescriptionForm
        {
            PriorPath = "CAP", ProjectValidation = "Immersion", CandidateAgreement = true, MaterialConditions = "Permis B", Feasibility = "Oui", RqthDeclared = false,
        }, now.AddDays(-30));
        db.AllPrescriptions.Add(p);
        p.Convoke(meeting, julie.Id, now.AddDays(-28));
        p.RecordAttendance(PrescriptionStatus.Attended, julie.Id, now.AddDays(-20).AddHours(2));
        await db.SaveChangesAsync(Ct);
        return p.Id;
    }

    private async Task RunJobAsync()
    {
        using var scope = server.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<QualityAlertsJob>().RunAsync(Ct);
    }

    [Fact]
    public async Task AnUnrecordedDecision_RaisesAnAlert_TheOfSeesIt_TheCarifForwardsIt_AndRecordingTheDecisionResolvesIt_Q2()
    {
        var prescriptionId = await UndecidedCandidateAsync();
        await RunJobAsync();

        await using var ofContext = await server.ContextForAsync("julie.moreau");
        var home = await ofContext.NewPageAsync();
        await home.GotoAsync("/");
        await home.WaitForInteractiveAsync();
        // Only the "no decision" alert: threshold alerts (Q2) may exist too, from what other journeys recorded.
        var ofAlert = home.GetByTestId("quality-alert").Filter(new() { HasText = "sans décision" });
        await Assertions.Expect(ofAlert).ToContainTextAsync("sans décision 15 jours ou plus après l'information collective");
        await PortalServer.ScreenshotAsync(home, "of-home-quality-alert");

        await using var carifContext = await server.ContextForAsync("nicolas.roux");
        var carif = await carifContext.NewPageAsync();
        await carif.GotoAsync("/");
        await carif.WaitForInteractiveAsync();
        await carif.GetByRole(AriaRole.Navigation, new() { Name = "Menu principal" }).GetByRole(AriaRole.Link, new() { Name = "Qualité de la prescription" }).ClickAsync();
        await Assertions.Expect(carif.GetByRole(AriaRole.Heading, new() { Name = "Qualité de la prescription", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(carif.GetByTestId("table-organismes")).ToContainTextAsync("Formapro Gironde");
        var alert = carif.GetByTestId("quality-alert").Filter(new() { HasText = "Formapro Gironde" }).Filter(new() { HasText = "sans décision" });
        await alert.GetByLabel("Commentaire pour la Région").FillAsync("Décisions non saisies malgré deux relances.");
        await alert.GetByRole(AriaRole.Button, new() { Name = "Transmettre à la Région" }).ClickAsync();
        await Assertions.Expect(alert.GetByTestId("quality-alert-forwarded")).ToContainTextAsync("Décisions non saisies malgré deux relances.");
        await PortalServer.ScreenshotAsync(carif, "observatory-quality");
        // On a phone, the flagged indicator (Formapro's decisions) scrolls within its table's frame: its screen-reader words
        // "(seuil non atteint)" escaped the frame and made the page 894 px wide at 390 px.
        await Assertions.Expect(carif.GetByTestId("table-organismes").Locator("td[data-flagged]").First).ToBeAttachedAsync();
        await carif.SetViewportSizeAsync(390, 844);
        (await carif.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, "la page de l'observatoire ne défile pas de côté");
        await carif.SetViewportSizeAsync(1400, 900);

        await using var regionContext = await server.ContextForAsync("claire.lefevre");
        var region = await regionContext.NewPageAsync();
        await region.GotoAsync("/observatoire/qualite");
        await region.WaitForInteractiveAsync();
        await Assertions.Expect(region.GetByTestId("quality-alert").Filter(new() { HasText = "Formapro Gironde" }).Filter(new() { HasText = "sans décision" }))
            .ToContainTextAsync("Décisions non saisies malgré deux relances.");

        // The OF records the decision; at its next run the job resolves the alert, and the OF's open home shows it live.
        await using (var db = await server.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync(Ct))
        {
            var julie = await db.Users.SingleAsync(u => u.Email.StartsWith("julie.moreau@"), Ct);
            var p = await db.AllPrescriptions.SingleAsync(x => x.Id == prescriptionId, Ct);
            p.Waitlist(julie.Id, server.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            await db.SaveChangesAsync(Ct);
        }
        await RunJobAsync();
        await Assertions.Expect(ofAlert).ToHaveCountAsync(0);
    }
}
