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
}
