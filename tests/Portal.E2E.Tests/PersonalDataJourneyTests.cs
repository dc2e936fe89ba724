using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Application.Abstractions;
using Portal.Domain.Candidates;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #14 (4), ADR 0025 end to end through the real login: Sophie, the référent of the Mission Locale, downloads a
/// candidate's copy of their data (JSON and the readable page), then erases them on request: the dialog states the
/// effects, the open prescription is withdrawn, the page shows "Candidat anonymisé", and Camille's page, open on the
/// same candidate, follows live.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class PersonalDataJourneyTests(PortalServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheReferent_ExportsThenErasesACandidate_AndTheOpenPagesFollow()
    {
        Guid candidateId;
        string training;
        await using (var db = await server.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync(Ct))
        {
            var camille = await db.Users.SingleAsync(u => u.Email.StartsWith("camille.durand@"), Ct);
            var missionLocale = await db.Memberships.Where(m => m.UserId == camille.Id).Select(m => m.OrganisationId).FirstAsync(Ct);
            var now = server.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            var session = await db.Sessions.Where(s => s.Status == SessionStatus.Open).OrderBy(s => s.Start).FirstAsync(Ct);
            training = await db.FicheActions.Where(f => f.Id == session.FicheActionId).Select(f => f.Title).FirstAsync(Ct);
            var candidate = new Candidate(missionLocale, camille.Id, "Anaïs", "Zzeffacement", new DateOnly(1996, 9, 21), "33063", now);
            candidate.SetContact("anais.zzeffacement@exemple.fr", "06 01 02 03 04");
            db.AllCandidates.Add(candidate);
            db.AllPrescriptions.Add(new Prescription(candidate.Id, session.Id, session.OrganisationId, missionLocale, camille.Id, 1, new PrescriptionForm
            {
                PriorPath = "CAP petite enfance.", ProjectValidation = "Stage de découverte.", CandidateAgreement = true, MaterialConditions = "Vélo.",
                Feasibility = "Réaliste.", RqthDeclared = false, Motivations = "Anaïs veut travailler en crèche.",
            }, now));
            await db.SaveChangesAsync(Ct);
            candidateId = candidate.Id;
        }

        // Camille, who follows the candidate, keeps the page open.
        await using var camilleContext = await server.ContextForAsync("camille.durand");
        var counsellor = await camilleContext.NewPageAsync();
        await counsellor.GotoAsync($"/candidats/{candidateId}");
        await counsellor.WaitForInteractiveAsync();
        await Assertions.Expect(counsellor.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Anaïs ZZEFFACEMENT");

        await using var sophieContext = await server.ContextForAsync("sophie.bernard");
        var referent = await sophieContext.NewPageAsync();
        await referent.GotoAsync($"/candidats/{candidateId}");
        await referent.WaitForInteractiveAsync();
        await Assertions.Expect(referent.GetByRole(AriaRole.Heading, new() { Name = "Données personnelles" })).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(referent, "personal-data-candidate-page");

        // The copy as JSON: a file, with every stored field.
        var download = await referent.RunAndWaitForDownloadAsync(() => referent.GetByTestId("candidate-export-json").ClickAsync());
        download.SuggestedFilename.ShouldStartWith($"donnees-candidat-{candidateId:N}-");
        var path = await download.PathAsync();
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(path, Ct)))
        {
            json.RootElement.GetProperty("candidate").GetProperty("email").GetString().ShouldBe("anais.zzeffacement@exemple.fr");
            json.RootElement.GetProperty("prescriptions")[0].GetProperty("form").GetProperty("motivations").GetString().ShouldBe("Anaïs veut travailler en crèche.");
        }

        // The readable copy opens in a new tab, to print.
        var copy = await sophieContext.RunAndWaitForPageAsync(() => referent.GetByTestId("candidate-export-html").ClickAsync());
        await copy.WaitForLoadStateAsync();
        await Assertions.Expect(copy.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Données personnelles de Anaïs Zzeffacement");
        await Assertions.Expect(copy.Locator("body")).ToContainTextAsync(training);
        await PortalServer.ScreenshotAsync(copy, "personal-data-readable-copy");
        await copy.CloseAsync();

        // The erasure: the dialog states its effects first.
        await referent.GetByTestId("candidate-erase").ClickAsync();
        var dialog = referent.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByTestId("erasure-withdrawn")).ToContainTextAsync(training);
        await Assertions.Expect(dialog).ToContainTextAsync("Candidat anonymisé");
        await Assertions.Expect(dialog.GetByTestId("erasure-confirm")).ToBeDisabledAsync();
        await PortalServer.ScreenshotAsync(referent, "personal-data-erasure-dialog");
        await dialog.GetByRole(AriaRole.Checkbox).CheckAsync();
        await dialog.GetByTestId("erasure-confirm").ClickAsync();

        await Assertions.Expect(referent.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Candidat anonymisé");
        await Assertions.Expect(referent.GetByTestId("candidate-pseudonymised")).ToBeVisibleAsync();
        await Assertions.Expect(referent.Locator("main")).Not.ToContainTextAsync("Zzeffacement");
        await Assertions.Expect(referent.Locator("main .mud-chip")).ToHaveTextAsync("Désistement");
        await PortalServer.ScreenshotAsync(referent, "personal-data-erased");

        // Camille's open page followed, without a reload.
        await Assertions.Expect(counsellor.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Candidat anonymisé");

        // The register of the organisation lists the erasure (and the copies) for the référent, under the pseudonym.
        await referent.GotoAsync("/donnees-personnelles/registre");
        await referent.WaitForInteractiveAsync();
        var erasure = referent.GetByTestId("register-table").Locator("tbody tr", new() { HasText = "Effacement" }).First;
        await Assertions.Expect(erasure).ToContainTextAsync("Candidat anonymisé");
        await Assertions.Expect(referent.GetByTestId("register-table")).Not.ToContainTextAsync("Zzeffacement");
        await PortalServer.ScreenshotAsync(referent, "personal-data-register");

        await using var check = await server.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync(Ct);
        (await check.AllPersonalDataLog.Where(l => l.CandidateId == candidateId).Select(l => l.Action).ToListAsync(Ct))
            .ShouldBe([PersonalDataAction.Export, PersonalDataAction.Export, PersonalDataAction.Erasure]);
    }
}
