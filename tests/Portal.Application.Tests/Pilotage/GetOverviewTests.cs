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
}
