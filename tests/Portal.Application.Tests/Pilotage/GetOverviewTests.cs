using Microsoft.EntityFrameworkCore;
using Portal.Application.Features.Pilotage;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Pilotage;

/// <summary>Aggregates for the Région, the CARIF (observatories, Q2/Q3), the MFE (S10) and the admin; never for prescribers or OFs.</summary>
public sealed class GetOverviewTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GetOverview.Handler Handler => new(fixture.Database);

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Sophie)]
    [InlineData(TestUsers.Karim)]
    [InlineData(TestUsers.Julie)]
    public async Task Overview_IsRefusedToPrescribersAndTrainingBodies(string local)
    {
        var user = await fixture.UserAsync(local);

        await Should.ThrowAsync<AccessDeniedException>(() => Handler.HandleAsync(user, Ct));
    }

    [Theory]
    [InlineData(TestUsers.Claire)]
    [InlineData(TestUsers.Nicolas)]
    [InlineData(TestUsers.Admin)]
    public async Task Overview_ForTheRegionTheCarifAndTheAdmin_CountsTheWholeRegion(string local)
    {
        var user = await fixture.UserAsync(local);
        await using var db = fixture.Database.CreateDbContext();
        var active = PrescriptionLifecycle.Active;

        var result = await Handler.HandleAsync(user, Ct);

        result.FichesToValidate.ShouldBe(await db.FicheActions.CountAsync(f => f.Status == FicheStatus.Submitted, Ct));
        result.FichesValidated.ShouldBe(await db.FicheActions.CountAsync(f => f.Status == FicheStatus.Validated, Ct));
        result.SessionsOpen.ShouldBe(await db.Sessions.CountAsync(s => s.Status == SessionStatus.Open, Ct));
        result.SessionsPlanned.ShouldBe(await db.Sessions.CountAsync(s => s.Status == SessionStatus.Planned, Ct));
        result.PrescriptionsActive.ShouldBe(await db.AllPrescriptions.CountAsync(p => active.Contains(p.Status), Ct));
        result.NotSelected.ShouldBe(await db.AllPrescriptions.CountAsync(p => p.Status == PrescriptionStatus.NotSelected, Ct));
        result.Entered.ShouldBe(await db.AllPrescriptions.CountAsync(p => p.Status == PrescriptionStatus.Entered, Ct));
        result.Organisations.ShouldBe(await db.Organisations.CountAsync(Ct));
        result.Users.ShouldBe(await db.Users.CountAsync(Ct));
        result.SessionsOpen.ShouldBeGreaterThan(0);
        result.PrescriptionsActive.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Overview_ForAnMfe_CountsLessThanTheWholeRegion_A6()
    {
        var pierre = await fixture.UserAsync(TestUsers.Pierre);
        var claire = await fixture.UserAsync(TestUsers.Claire);

        var territory = await Handler.HandleAsync(pierre, Ct);
        var region = await Handler.HandleAsync(claire, Ct);

        territory.PrescriptionsActive.ShouldBeLessThan(region.PrescriptionsActive);
        territory.SessionsOpen.ShouldBeLessThan(region.SessionsOpen);
    }

    [Fact]
    public async Task Overview_ForAnMfe_CountsTheTrainingBodiesOfItsDepartement_IncludingItsEmploymentZones_A6()
    {
        var pierre = await fixture.UserAsync(TestUsers.Pierre); // MFE du Béarn (64)
        var thomas = await fixture.UserAsync(TestUsers.Thomas); // Béarn Formation Pro, zone d'emploi de Pau (64)
        await using var db = fixture.Database.CreateDbContext();
        var openInBearn = await db.Sessions.CountAsync(s => s.OrganisationId == thomas.OrganisationId && s.Status == SessionStatus.Open, Ct);
        openInBearn.ShouldBeGreaterThan(0);

        var result = await Handler.HandleAsync(pierre, Ct);

        result.SessionsOpen.ShouldBeGreaterThanOrEqualTo(openInBearn);
        result.PrescriptionsActive.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Overview_ForAnMfeWithACoverage_CountsTheTrainingBodiesOfTheCoveredDepartements_NotOfItsTerritory_S10()
    {
        await using var database = await TestDatabase.CreateAsync();
        var pierre = await TestUsers.ForAsync(database, TestUsers.Pierre); // MFE du Béarn, territory 64
        await using (var write = database.CreateDbContext())
        {
            write.MfeCoverages.Add(new Portal.Domain.Organisations.MfeCoverage(pierre.OrganisationId, "33"));
            await write.SaveChangesAsync(Ct);
        }
        await using var db = database.CreateDbContext();
        // By hand: the open sessions of the training bodies whose territory lies in Gironde (33), and those of the Béarn (64).
        int OpenIn(string departement) => db.Sessions.Count(s => s.Status == SessionStatus.Open
            && db.Organisations.Any(o => o.Id == s.OrganisationId && db.Territories.Any(t => t.Id == o.TerritoryId && t.DepartementCode == departement)));
        var gironde = OpenIn("33");
        var bearn = OpenIn("64");
        gironde.ShouldBeGreaterThan(0);
        bearn.ShouldBeGreaterThan(0);

        var result = await new GetOverview.Handler(database).HandleAsync(pierre, Ct);

        result.SessionsOpen.ShouldBe(gironde);
    }

    /// <summary>
    /// Issue #12: the CARIF's counters are shared by their readers for a minute. Scenario: the CARIF reads at T; one
    /// submitted prescription becomes "non retenue"; the CARIF reads again at T + 30 s (the figures of T, dated T), then at
    /// T + 61 s (one more non-selection, dated T + 61 s). The counters read without sharing see the change at once.
    /// </summary>
    [Fact]
    public async Task Issue12_CarifCounters_AreSharedForAMinute_ThenCountedAgain()
    {
        await using var database = await TestDatabase.CreateAsync();
        var nicolas = await TestUsers.ForAsync(database, TestUsers.Nicolas); // CARIF-OREF
        var t = new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(t);
        var handler = new GetOverview.Handler(database, clock,
            new Portal.Application.Features.Observatory.ObservatoryResults(clock, new Portal.Application.Features.Observatory.ObservatoryCacheSettings(TimeSpan.FromMinutes(1))));

        var first = await handler.HandleSharedAsync(nicolas, Ct);
        await using (var write = database.CreateDbContext())
        {
            var submitted = await write.AllPrescriptions.Where(p => p.Status == PrescriptionStatus.Submitted).Select(p => p.Id).FirstAsync(Ct);
            await write.AllPrescriptions.Where(p => p.Id == submitted)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, PrescriptionStatus.NotSelected), Ct);
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        var shared = await handler.HandleSharedAsync(nicolas, Ct);
        var live = await handler.HandleAsync(nicolas, Ct);
        clock.Advance(TimeSpan.FromSeconds(31));
        var again = await handler.HandleSharedAsync(nicolas, Ct);

        first.ComputedAt.ShouldBe(t);
        shared.ComputedAt.ShouldBe(t);
        shared.NotSelected.ShouldBe(first.NotSelected);
        shared.PrescriptionsActive.ShouldBe(first.PrescriptionsActive);
        live.NotSelected.ShouldBe(first.NotSelected + 1);
        live.ComputedAt.ShouldBeNull();
        again.ComputedAt.ShouldBe(t.AddSeconds(61));
        again.NotSelected.ShouldBe(first.NotSelected + 1);
        again.PrescriptionsActive.ShouldBe(first.PrescriptionsActive - 1);
    }

    /// <summary>
    /// Issue #12, S10: a shared figure is never another reader's. After the CARIF (whole region) has read, the MFE du
    /// Béarn reads its territory's figures, not the region's; a prescriber is refused before anything is computed or shared.
    /// </summary>
    [Fact]
    public async Task Issue12_SharedCounters_AreKeptApartByScope_AndRefusedToAPrescriber()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
        var results = new Portal.Application.Features.Observatory.ObservatoryResults(clock, new Portal.Application.Features.Observatory.ObservatoryCacheSettings(TimeSpan.FromMinutes(1)));
        var handler = new GetOverview.Handler(fixture.Database, clock, results);
        var nicolas = await fixture.UserAsync(TestUsers.Nicolas);
        var pierre = await fixture.UserAsync(TestUsers.Pierre);
        var camille = await fixture.UserAsync(TestUsers.Camille);

        var region = await handler.HandleSharedAsync(nicolas, Ct);
        var territory = await handler.HandleSharedAsync(pierre, Ct);

        // Each as counted without sharing: the MFE's are its territory's, fewer than the region's.
        territory.PrescriptionsActive.ShouldBe((await Handler.HandleAsync(pierre, Ct)).PrescriptionsActive);
        territory.PrescriptionsActive.ShouldBeLessThan(region.PrescriptionsActive);
        region.PrescriptionsActive.ShouldBe((await Handler.HandleAsync(nicolas, Ct)).PrescriptionsActive);
        await Should.ThrowAsync<AccessDeniedException>(() => handler.HandleSharedAsync(camille, Ct));
        results.Count.ShouldBe(2);
    }
}
