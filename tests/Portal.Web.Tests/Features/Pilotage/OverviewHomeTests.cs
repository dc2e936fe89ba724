using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Persistence;
using Portal.Testing;
using Portal.Web.Features.Pilotage;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Pilotage;

/// <summary>The aggregate homes (Pilotage, Observatoires, Arbitrages, Administration), on the shared demo database.</summary>
public sealed class OverviewHomeTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    private async Task<IRenderedComponent<OverviewHome>> RenderAsAsync(string account, Role role)
    {
        await AuthorizeAsAsync(account);
        var cut = Render<OverviewHome>(p => p.Add(c => c.Role, role));
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        return cut;
    }

    /// <summary>Each tile as (label, value), in screen order.</summary>
    private static List<(string Label, int Value)> Tiles(IRenderedComponent<OverviewHome> cut) =>
        [.. cut.FindAll(".mud-grid .mud-paper").Select(tile =>
        {
            var lines = tile.QuerySelectorAll("p").Select(p => p.Shown()).ToList();
            lines.Count.ShouldBe(2);
            return (lines[1], int.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture));
        })];

    /// <summary>The counters, counted here independently of GetOverview; <paramref name="trainingBodies"/> narrows sessions and prescriptions.</summary>
    private static async Task<Counts> CountAsync(PortalDbContext db, IReadOnlyCollection<Guid>? trainingBodies = null)
    {
        var sessions = await db.Sessions.Select(s => new { s.OrganisationId, s.Status }).ToListAsync(Cancellation);
        var prescriptions = await db.AllPrescriptions.Select(p => new { p.TrainingBodyId, p.Status }).ToListAsync(Cancellation);
        if (trainingBodies is not null)
        {
            sessions = [.. sessions.Where(s => trainingBodies.Contains(s.OrganisationId))];
            prescriptions = [.. prescriptions.Where(p => trainingBodies.Contains(p.TrainingBodyId))];
        }
        var fiches = await db.FicheActions.Select(f => f.Status).ToListAsync(Cancellation);
        return new Counts(
            fiches.Count(f => f == FicheStatus.Submitted), fiches.Count(f => f == FicheStatus.Validated),
            sessions.Count(s => s.Status == SessionStatus.Open), sessions.Count(s => s.Status == SessionStatus.Planned),
            prescriptions.Count(p => p.Status.IsActive()), prescriptions.Count(p => p.Status == PrescriptionStatus.NotSelected),
            prescriptions.Count(p => p.Status == PrescriptionStatus.Entered),
            await db.Organisations.CountAsync(Cancellation), await db.Users.CountAsync(Cancellation));
    }

    private sealed record Counts(int FichesSubmitted, int FichesValidated, int SessionsOpen, int SessionsPlanned,
        int Active, int NotSelected, int Entered, int Organisations, int Users);

    [Fact]
    public async Task OverviewHome_Region_ShowsPilotageCounts()
    {
        await using var db = Database.CreateDbContext();
        var c = await CountAsync(db);

        var cut = await RenderAsAsync(TestUsers.Claire, Role.Region);

        cut.Find("h1").Shown().ShouldBe("Pilotage");
        Tiles(cut).ShouldBe([
            ("fiches action à valider", c.FichesSubmitted), ("fiches action validées", c.FichesValidated),
            ("sessions ouvertes", c.SessionsOpen), ("prescriptions actives", c.Active)]);
        // The demo data has some of each, so that a wrong counter cannot hide behind a zero.
        c.FichesSubmitted.ShouldBe(1);
        c.FichesValidated.ShouldBe(4);
        c.SessionsOpen.ShouldBe(4);
        c.Active.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task OverviewHome_Carif_ShowsObservatoiresCounts()
    {
        await using var db = Database.CreateDbContext();
        var c = await CountAsync(db);

        var cut = await RenderAsAsync(TestUsers.Nicolas, Role.Carif);

        cut.Find("h1").Shown().ShouldBe("Observatoires");
        Tiles(cut).ShouldBe([
            ("prescriptions actives", c.Active), ("non-sélections", c.NotSelected),
            ("entrées en formation", c.Entered), ("sessions ouvertes", c.SessionsOpen)]);
        c.NotSelected.ShouldBeGreaterThan(0);
        // Issue #12: shared for a minute, so the screen says when they were counted (the test clock: 27/11/2026 11:00 UTC, 12:00 in Paris).
        cut.Find("[data-testid='computed-at']").Shown().ShouldBe("Chiffres calculés le 27/11/2026 à 12:00:00 (heure de Paris).");
    }

    [Fact]
    public async Task OverviewHome_Region_CountsAtEachLoad_WithoutAComputedAtNote_Issue12()
    {
        var cut = await RenderAsAsync(TestUsers.Claire, Role.Region);

        cut.Find("h1").Shown().ShouldBe("Pilotage");
        cut.FindAll("[data-testid='computed-at']").ShouldBeEmpty();
    }

    [Fact]
    public async Task OverviewHome_Admin_ShowsAdministrationCounts_PendingHabilitations_AndTheJobsLink_A1()
    {
        await using var db = Database.CreateDbContext();
        var c = await CountAsync(db);

        var cut = await RenderAsAsync(TestUsers.Admin, Role.Admin);

        cut.Find("h1").Shown().ShouldBe("Administration");
        Tiles(cut).ShouldBe([
            ("organisations", c.Organisations), ("habilitations en attente", 0), ("demandes d'accès en attente", 0), ("comptes", c.Users),
            ("sessions ouvertes", c.SessionsOpen)]);
        cut.Find("a[href='/hangfire']").Shown().ShouldBe("Ouvrir le tableau des tâches planifiées");
    }

    [Theory]
    [InlineData(TestUsers.Claire, Role.Region, "/fiches-a-valider|/commande-regionale|/region/coherence-eos|/arbitrages|/observatoire/qualite|/admin/organisations")]
    [InlineData(TestUsers.Nicolas, Role.Carif, "/observatoire/qualite|/observatoire/acces|/observatoire/evaluation")]
    [InlineData(TestUsers.Aurelie, Role.Mfe, "/arbitrages|/observatoire/qualite")]
    [InlineData(TestUsers.Admin, Role.Admin, "/admin/organisations|/acces/demandes|/admin/utilisateurs|/admin/journal|/hangfire|/offre/import-lheo|/observatoire/qualite")]
    public async Task OverviewHome_ShowsOnlyWhatExists_ShortcutsToTheRolesScreens_NoPromiseOfAFutureVersion(string account, Role role, string links)
    {
        var cut = await RenderAsAsync(account, role);

        cut.FindAll("[data-testid='shortcuts'] a").Select(a => a.GetAttribute("href")).ShouldBe(links.Split('|'));
        cut.Markup.ShouldNotContain("prochaine", Case.Insensitive);
        cut.Markup.ShouldNotContain("arrive", Case.Insensitive);
    }

    [Fact]
    public async Task OverviewHome_Region_HasNoJobsLink()
    {
        var cut = await RenderAsAsync(TestUsers.Claire, Role.Region);

        cut.FindAll("a[href='/hangfire']").ShouldBeEmpty();
    }

    [Fact]
    public async Task OverviewHome_Mfe_ShowsArbitragesTiles()
    {
        var cut = await RenderAsAsync(TestUsers.Aurelie, Role.Mfe);

        cut.Find("h1").Shown().ShouldBe("Arbitrages");
        Tiles(cut).Select(t => t.Label).ShouldBe([
            "arbitrages ouverts", "sessions ouvertes du territoire", "prescriptions actives du territoire", "non-sélections du territoire"]);
        Tiles(cut)[0].Value.ShouldBe(0);
    }

    [Theory]
    [InlineData(TestUsers.Aurelie)]
    [InlineData(TestUsers.Pierre)]
    public async Task OverviewHome_Mfe_CountsTheTrainingBodiesOfItsTerritory_IncludingItsEmploymentZones_S10(string account)
    {
        var mfe = await UserAsync(account);
        await using var db = Database.CreateDbContext();
        var territories = await db.Territories.Where(t => t.Id == mfe.TerritoryId || t.ParentId == mfe.TerritoryId).Select(t => t.Id).ToListAsync(Cancellation);
        var trainingBodies = await db.Organisations.Where(o => territories.Contains(o.TerritoryId)).Select(o => o.Id).ToListAsync(Cancellation);
        var c = await CountAsync(db, trainingBodies);

        var cut = await RenderAsAsync(account, Role.Mfe);

        c.SessionsOpen.ShouldBeGreaterThan(0);
        Tiles(cut).ShouldBe([
            ("arbitrages ouverts", 0), ("sessions ouvertes du territoire", c.SessionsOpen),
            ("prescriptions actives du territoire", c.Active), ("non-sélections du territoire", c.NotSelected)]);
    }

    [Fact]
    public async Task OverviewHome_Prescriber_IsRefusedInFrench_WithoutCounts()
    {
        var cut = await RenderAsAsync(TestUsers.Camille, Role.Region);

        cut.Find(".mud-alert-text-warning").Shown().ShouldBe("Cet écran est réservé à la Région, au CARIF-OREF, aux MFE et aux administrateurs.");
        cut.FindAll(".mud-grid").ShouldBeEmpty();
    }
}
