using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Application.Abstractions;
using Portal.Application.Features.Administration;
using Portal.Application.Security;
using Portal.Domain.Organisations;

namespace Portal.E2E.Tests;

/// <summary>
/// A1 end to end: the Région suspends a prescriber organisation on its form; the prescriber's open screens say so at
/// once (banner, live) and their prescribe and new-candidate buttons are disabled, while their candidates stay readable.
/// Nora Benali's Cap Emploi Pyrénées-Atlantiques; its habilitation is restored at the end for the other journeys.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class HabilitationJourneyTests(PortalServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Organisation = "Cap Emploi Pyrénées-Atlantiques";

    [Fact]
    public async Task TheAdminSuspendsAPrescriber_TheirOpenScreenShowsTheBannerLive_AndPrescribingIsRefused_A1()
    {
        Guid organisationId, candidateId;
        await using (var db = await server.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync(Ct))
        {
            organisationId = await db.Organisations.Where(o => o.Name == Organisation).Select(o => o.Id).SingleAsync(Ct);
            candidateId = await db.AllCandidates.Where(c => c.OrganisationId == organisationId).OrderBy(c => c.LastName).Select(c => c.Id).FirstAsync(Ct);
        }
        try
        {
            await using var noraContext = await server.ContextForAsync("nora.benali");
            var nora = await noraContext.NewPageAsync();
            await nora.GotoAsync($"/candidats/{candidateId}");
            await nora.WaitForInteractiveAsync();
            var prescribe = nora.GetByRole(AriaRole.Button, new() { Name = "Prescrire sur une session" });
            await Assertions.Expect(prescribe).ToBeEnabledAsync();
            await Assertions.Expect(nora.GetByTestId("habilitation-banner")).ToHaveCountAsync(0);

            // The Région decides habilitations (A1), as the administrator may.
            await using var regionContext = await server.ContextForAsync("claire.lefevre");
            var region = await regionContext.NewPageAsync();
            await region.GotoAsync("/");
            await region.WaitForInteractiveAsync();
            await region.GetByRole(AriaRole.Navigation, new() { Name = "Menu principal" }).GetByRole(AriaRole.Link, new() { Name = "Organisations" }).ClickAsync();
            await Assertions.Expect(region.GetByRole(AriaRole.Heading, new() { Name = "Organisations", Level = 1 })).ToBeVisibleAsync();
            await region.GetByLabel("Rechercher (nom ou SIRET)").FillAsync("Cap Emploi");
            var link = region.GetByTestId("organisations").GetByRole(AriaRole.Link, new() { Name = Organisation });
            await Assertions.Expect(link).ToBeVisibleAsync();
            // The search has run (in SQL, after the typing pauses): only the two Cap Emploi are left.
            await Assertions.Expect(region.GetByTestId("organisations").GetByRole(AriaRole.Link)).ToHaveCountAsync(2);
            await PortalServer.ScreenshotAsync(region, "region-organisations");
            await link.ClickAsync();
            await Assertions.Expect(region.GetByRole(AriaRole.Heading, new() { Name = Organisation, Level = 1 })).ToBeVisibleAsync();

            await region.GetByTestId("to-Suspended").ClickAsync();
            await region.GetByLabel("Motif").FillAsync("Convention en cours de révision");
            await region.GetByTestId("confirm-habilitation").ClickAsync();
            await Assertions.Expect(region.GetByTestId("habilitation-chip")).ToHaveTextAsync("Habilitation suspendue");
            await Assertions.Expect(region.GetByTestId("history")).ToContainTextAsync("Convention en cours de révision");
            await PortalServer.ScreenshotAsync(region, "region-organisation-suspended");

            // The prescriber's page, left open, follows without reload.
            await Assertions.Expect(nora.GetByTestId("habilitation-banner")).ToContainTextAsync("L'habilitation de votre structure est suspendue");
            await Assertions.Expect(prescribe).ToBeDisabledAsync();
            await Assertions.Expect(nora.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await PortalServer.ScreenshotAsync(nora, "prescriber-suspended-banner");

            // Her home says it too, and no new candidate can be recorded.
            await nora.GotoAsync("/");
            await nora.WaitForInteractiveAsync();
            await Assertions.Expect(nora.GetByTestId("habilitation-banner")).ToBeVisibleAsync();
            await Assertions.Expect(nora.GetByRole(AriaRole.Button, new() { Name = "Nouveau candidat" })).ToBeDisabledAsync();

            // An MFE's form shows the départements it covers (S10), read only here: nothing is changed.
            await region.GotoAsync("/admin/organisations");
            await region.WaitForInteractiveAsync();
            await region.GetByTestId("organisations").GetByRole(AriaRole.Link, new() { Name = "MFE du Béarn" }).ClickAsync();
            await Assertions.Expect(region.GetByTestId("coverage")).ToContainTextAsync("Départements couverts");
            await PortalServer.ScreenshotAsync(region, "region-organisation-mfe");
        }
        finally
        {
            await RestoreAsync(organisationId);
        }
    }

    /// <summary>Habilitated again, as the Région would, so that the other journeys prescribe as before.</summary>
    private async Task RestoreAsync(Guid organisationId)
    {
        await using var db = await server.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync(Ct);
        var org = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == organisationId, Ct);
        if (org.Habilitation == HabilitationStatus.Habilitated) return;
        var region = await db.Users.SingleAsync(u => u.Email.StartsWith("claire.lefevre@"), Ct);
        var regionOrg = await db.Memberships.Where(m => m.UserId == region.Id).Select(m => m.OrganisationId).FirstAsync(Ct);
        var claire = new CurrentUser(region.Id, region.DisplayName, regionOrg, "Région", OrganisationKind.Region, Guid.Empty, new HashSet<Role> { Role.Region });
        using var scope = server.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<ChangeHabilitation.Handler>().HandleAsync(
            new ChangeHabilitation(organisationId, HabilitationStatus.Habilitated, "Fin du parcours de test", Version: org.Version), claire, Ct);
    }
}
