using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Export;
using Portal.Domain.Exports;
using Portal.Testing;
using Portal.Web.Features.Exports;
using Portal.Web.Features.Home;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Exports;

/// <summary>Q3, Q4: the export buttons beside the lists, and "Mes exports" with its live progress then its download link.</summary>
public sealed class ExportScreensTests : PortalTestContext
{
    private async Task<ExportRequest> AddExportAsync(Guid userId, Guid organisationId, Action<ExportRequest>? change = null)
    {
        var request = new ExportRequest(userId, organisationId, "candidats-organisation", "{}", ExportFormat.Csv, "Candidats de l'organisation",
            "candidats-organisation-2026-11-27.csv", 10, TestDatabase.DefaultNow, TimeSpan.FromHours(24));
        request.Start(10);
        change?.Invoke(request);
        await using var db = Database.CreateDbContext();
        db.AllExportRequests.Add(request);
        await db.SaveChangesAsync(Cancellation);
        return request;
    }

    private async Task UpdateAsync(Guid id, Action<ExportRequest> change)
    {
        await using var db = Database.CreateDbContext();
        change(await db.AllExportRequests.SingleAsync(e => e.Id == id, Cancellation));
        await db.SaveChangesAsync(Cancellation);
    }

    [Fact]
    public void ExportButtons_LinkToTheListsCsvAndXlsx_WithTheScreensFilters()
    {
        var cut = Render<ExportButtons>(p => p
            .Add(c => c.ListKey, "mes-candidats")
            .Add(c => c.Title, "Mes candidats")
            .Add(c => c.Parameters, new ExportParameters([KeyValuePair.Create("recherche", "Éloïse D"), KeyValuePair.Create("filtre", "")])));

        cut.Find("[data-testid=export-csv]").GetAttribute("href").ShouldBe("/api/exports/mes-candidats.csv?recherche=%C3%89lo%C3%AFse%20D");
        cut.Find("[data-testid=export-xlsx]").GetAttribute("href").ShouldBe("/api/exports/mes-candidats.xlsx?recherche=%C3%89lo%C3%AFse%20D");
        cut.Find("[data-testid=export-csv]").GetAttribute("aria-label").ShouldBe("Exporter « Mes candidats » en CSV");
    }

    [Fact]
    public async Task PrescriberHome_OfAReferent_ExportsTheOrganisationsCandidates()
    {
        await AuthorizeAsAsync(TestUsers.Sophie);

        var cut = Render<PrescriberHome>(p => p.Add(c => c.WholeOrganisation, true));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=export-csv]").ShouldNotBeEmpty());

        cut.Find("[data-testid=export-csv]").GetAttribute("href").ShouldBe("/api/exports/candidats-organisation.csv");
        cut.Find("[data-testid=export-xlsx]").GetAttribute("href").ShouldBe("/api/exports/candidats-organisation.xlsx");
    }

    [Fact]
    public async Task MyExports_ShowsTheProgressLive_ThenTheDownloadLink_AndNeverAnotherUsersExports()
    {
        var sophie = await AuthorizeAsAsync(TestUsers.Sophie);
        var camille = await UserAsync(TestUsers.Camille);
        var mine = await AddExportAsync(sophie.UserId, sophie.OrganisationId);
        var theirs = await AddExportAsync(camille.UserId, camille.OrganisationId);

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("nouveau", mine.Id.ToString()));
        var cut = Render<MyExportsPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=export-row]").Count.ShouldBe(1));

        cut.Find("h1").TextContent.ShouldBe("Mes exports");
        cut.Find("[data-testid=export-queued]").TextContent.ShouldContain("préparé en arrière-plan");
        cut.Find("[data-testid=export-row]").GetAttribute("data-export-id").ShouldBe(mine.Id.ToString());
        cut.Find("[data-testid=export-status]").TextContent.ShouldBe("En cours");
        cut.Find("[data-testid=export-rows]").TextContent.Trim().ShouldBe("0 / 10 ligne(s) écrite(s)");
        cut.FindAll("[data-testid=export-progress]").Count.ShouldBe(1);
        cut.Markup.ShouldNotContain(theirs.Id.ToString());

        // The job writes a page and publishes its progress.
        await using (var db = Database.CreateDbContext())
            await db.AllExportRequests.Where(e => e.Id == mine.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.RowsWritten, 5), Cancellation);
        await Notifier.PublishAsync(new ExportProgressed(mine.Id, sophie.UserId, ExportStatus.Running, 5, 10), Cancellation);
        cut.WaitForAssertion(() => cut.Find("[data-testid=export-rows]").TextContent.Trim().ShouldBe("5 / 10 ligne(s) écrite(s)"));
        var bar = cut.Find("[data-testid=export-progress]");
        (bar.GetAttribute("aria-valuenow") ?? bar.QuerySelector("[aria-valuenow]")?.GetAttribute("aria-valuenow")).ShouldBe("50", bar.OuterHtml);

        // Another user's progress does not concern this screen.
        await Notifier.PublishAsync(new ExportProgressed(theirs.Id, camille.UserId, ExportStatus.Done, 10, 10), Cancellation);
        await Notifier.DrainAsync();

        await UpdateAsync(mine.Id, r => r.Complete("0123456789abcdef0123456789abcdef", 1234, 10, TestDatabase.DefaultNow.AddMinutes(1)));
        await Notifier.PublishAsync(new ExportProgressed(mine.Id, sophie.UserId, ExportStatus.Done, 10, 10), Cancellation);
        cut.WaitForAssertion(() => cut.Find("[data-testid=export-download]").GetAttribute("href").ShouldBe($"/api/exports/{mine.Id}/fichier"));
        cut.FindAll("[data-testid=export-progress]").ShouldBeEmpty();
        cut.Find("[data-testid=export-status]").TextContent.ShouldBe("Prêt");
        cut.Find("[data-testid=export-rows]").TextContent.Trim().ShouldBe("candidats-organisation-2026-11-27.csv · 10 ligne(s) · disponible jusqu'au 28/11/2026 à 12:00");
        cut.Find("[data-testid=live-announcer]").TextContent.ShouldBe("Un export est prêt à être téléchargé.");
    }

    [Fact]
    public async Task MyExports_ShowsAFailureInFrench_AndAnEmptyStateWhenThereIsNone()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var empty = Render<MyExportsPage>();
        empty.WaitForAssertion(() => empty.Find("[data-testid=empty-state]").TextContent.ShouldContain("Aucun export en cours"));

        await AddExportAsync(julie.UserId, julie.OrganisationId, r => r.Fail("L'export a échoué : Session introuvable.", TestDatabase.DefaultNow));

        var cut = Render<MyExportsPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=export-error]").TextContent.ShouldBe("L'export a échoué : Session introuvable."));
        cut.Find("[data-testid=export-status]").TextContent.ShouldBe("Échec");
        cut.FindAll("[data-testid=export-download]").ShouldBeEmpty();
        cut.FindAll("[data-testid=export-queued]").ShouldBeEmpty();
    }

    [Fact]
    public async Task MyExports_HidesExpiredExports()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        await AddExportAsync(julie.UserId, julie.OrganisationId);
        Clock.Advance(TimeSpan.FromHours(24));

        var cut = Render<MyExportsPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=empty-state]").Count.ShouldBe(1));
    }
}
