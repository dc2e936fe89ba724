using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Application.Abstractions;
using Portal.Domain.Candidates;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #14 (4) end to end through the real login: Camille opens her candidate's page (the RQTH is read and logged);
/// Sophie, the référent of the same Mission Locale, finds that read in the journal from the menu; a counsellor has no
/// such menu entry.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class SensitiveReadsJourneyTests(PortalServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AReadOfTheRqth_IsInTheReferentsJournal()
    {
        Guid candidateId;
        await using (var db = await server.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync(Ct))
        {
            var camille = await db.Users.SingleAsync(u => u.Email.StartsWith("camille.durand@"), Ct);
            var missionLocale = await db.Memberships.Where(m => m.UserId == camille.Id).Select(m => m.OrganisationId).FirstAsync(Ct);
            var now = server.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            var candidate = new Candidate(missionLocale, camille.Id, "Zélie", "Zzjournal", new DateOnly(1994, 6, 3), "33063", now);
            db.AllCandidates.Add(candidate);
            await db.SaveChangesAsync(Ct);
            candidateId = candidate.Id;
        }

        await using var camilleContext = await server.ContextForAsync("camille.durand");
        var counsellor = await camilleContext.NewPageAsync();
        await counsellor.GotoAsync($"/candidats/{candidateId}");
        await counsellor.WaitForInteractiveAsync();
        await Assertions.Expect(counsellor.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("ZZJOURNAL");
        await Assertions.Expect(counsellor.GetByRole(AriaRole.Navigation, new() { Name = "Menu principal" })
            .GetByRole(AriaRole.Link, new() { Name = "Journal des consultations RQTH" })).ToHaveCountAsync(0);

        await using var sophieContext = await server.ContextForAsync("sophie.bernard");
        var referent = await sophieContext.NewPageAsync();
        await referent.GotoAsync("/");
        await referent.WaitForInteractiveAsync();
        await referent.GetByRole(AriaRole.Navigation, new() { Name = "Menu principal" })
            .GetByRole(AriaRole.Link, new() { Name = "Journal des consultations RQTH" }).ClickAsync();
        await Assertions.Expect(referent.GetByRole(AriaRole.Heading, new() { Name = "Journal des consultations RQTH", Level = 1 })).ToBeVisibleAsync();
        await referent.WaitForInteractiveAsync();
        await referent.GetByLabel("Candidat ou lecteur").FillAsync("Zzjournal");
        await referent.GetByTestId("reads-apply").ClickAsync();
        var line = referent.Locator("tbody tr").Filter(new() { HasText = "Zélie Zzjournal" });
        await Assertions.Expect(line).ToHaveCountAsync(1);
        await Assertions.Expect(line).ToContainTextAsync("Camille Durand");
        await PortalServer.ScreenshotAsync(referent, "rqth-reads-journal");
    }
}
