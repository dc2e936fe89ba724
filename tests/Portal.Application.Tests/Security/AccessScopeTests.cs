using Microsoft.EntityFrameworkCore;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Offer;
using Portal.Testing;

namespace Portal.Application.Tests.Security;

/// <summary>
/// The one place that says which rows a user may read. The handlers' tests check the scope through each use
/// case; these check the scopes themselves against the demo dataset.
/// </summary>
public sealed class AccessScopeTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Karim)]
    [InlineData(TestUsers.Ines)]
    public async Task Candidates_OfThePrescriberSide_AreExactlyTheirOrganisations(string local)
    {
        var user = await fixture.UserAsync(local);
        await using var db = fixture.Database.CreateDbContext();
        var expected = await db.AllCandidates.Where(c => c.OrganisationId == user.OrganisationId).Select(c => c.Id).ToListAsync(Ct);
        expected.ShouldNotBeEmpty();

        var scoped = await db.Candidates(user).Select(c => c.Id).ToListAsync(Ct);

        scoped.ShouldBe(expected, ignoreOrder: true);
    }

    [Fact]
    public async Task Candidates_OfATrainingBody_AreThosePrescribedOnItsSessions()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        await using var db = fixture.Database.CreateDbContext();
        var expected = await db.AllPrescriptions.Where(p => p.TrainingBodyId == julie.OrganisationId).Select(p => p.CandidateId).Distinct().ToListAsync(Ct);
        var total = await db.AllCandidates.CountAsync(Ct);

        var scoped = await db.Candidates(julie).Select(c => c.Id).ToListAsync(Ct);

        scoped.ShouldBe(expected, ignoreOrder: true);
        scoped.Count.ShouldBeLessThan(total);
    }

    [Theory]
    [InlineData(TestUsers.Nicolas)]
    [InlineData(TestUsers.Aurelie)]
    [InlineData(TestUsers.Pierre)]
    public async Task CandidatesAndPrescriptions_OfCarifAndMfe_AreEmpty(string local)
    {
        var user = await fixture.UserAsync(local);
        await using var db = fixture.Database.CreateDbContext();

        (await db.Candidates(user).CountAsync(Ct)).ShouldBe(0);
        (await db.Prescriptions(user).CountAsync(Ct)).ShouldBe(0);
    }

    [Theory]
    [InlineData(TestUsers.Claire)]
    [InlineData(TestUsers.Admin)]
    public async Task CandidatesAndPrescriptions_OfTheRegionAndTheAdmin_AreAll(string local)
    {
        var user = await fixture.UserAsync(local);
        await using var db = fixture.Database.CreateDbContext();

        (await db.Candidates(user).CountAsync(Ct)).ShouldBe(await db.AllCandidates.CountAsync(Ct));
        (await db.Prescriptions(user).CountAsync(Ct)).ShouldBe(await db.AllPrescriptions.CountAsync(Ct));
    }

    [Fact]
    public async Task Prescriptions_OfAPrescriber_AreTheirOrganisations_AndOfATrainingBody_ThoseOnItsSessions()
    {
        var lucas = await fixture.UserAsync(TestUsers.Lucas);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        await using var db = fixture.Database.CreateDbContext();

        var ofLucas = await db.Prescriptions(lucas).Select(p => p.PrescriberOrganisationId).Distinct().ToListAsync(Ct);
        var ofThomas = await db.Prescriptions(thomas).Select(p => p.TrainingBodyId).Distinct().ToListAsync(Ct);

        ofLucas.ShouldBe([lucas.OrganisationId]);
        ofThomas.ShouldBe([thomas.OrganisationId]);
    }

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Nicolas)]
    public async Task Sessions_Planned_AreHiddenOutsideTheirTrainingBodyAndTheRegion_O4(string local)
    {
        var user = await fixture.UserAsync(local);
        await using var db = fixture.Database.CreateDbContext();
        (await db.Sessions.CountAsync(s => s.Status == SessionStatus.Planned, Ct)).ShouldBeGreaterThan(0);

        var statuses = await db.Sessions(user).Select(s => s.Status).ToListAsync(Ct);
        var anonymous = await db.Sessions(null).Select(s => s.Status).ToListAsync(Ct);

        statuses.ShouldNotBeEmpty();
        statuses.ShouldNotContain(SessionStatus.Planned);
        anonymous.ShouldNotContain(SessionStatus.Planned);
    }

    [Fact]
    public async Task Sessions_Planned_AreVisibleToTheirOwnTrainingBodyOnly_O4()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        await using var db = fixture.Database.CreateDbContext();

        var julieSees = await db.Sessions(julie).Where(s => s.Status == SessionStatus.Planned).Select(s => s.OrganisationId).ToListAsync(Ct);
        var thomasSees = await db.Sessions(thomas).Where(s => s.Status == SessionStatus.Planned).Select(s => s.OrganisationId).ToListAsync(Ct);

        julieSees.ShouldNotBeEmpty();
        julieSees.ShouldAllBe(o => o == julie.OrganisationId);
        thomasSees.ShouldNotContain(julie.OrganisationId);
    }

    [Fact]
    public async Task FicheActions_NotValidated_AreVisibleToTheirTrainingBodyAndTheRegionOnly_O2()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var claire = await fixture.UserAsync(TestUsers.Claire);
        await using var db = fixture.Database.CreateDbContext();
        var unvalidated = await db.FicheActions.Where(f => f.Status != FicheStatus.Validated).Select(f => new { f.Id, f.OrganisationId }).ToListAsync(Ct);
        unvalidated.ShouldContain(f => f.OrganisationId == julie.OrganisationId);
        unvalidated.ShouldContain(f => f.OrganisationId != julie.OrganisationId);

        var forJulie = await db.FicheActions(julie).Where(f => f.Status != FicheStatus.Validated).Select(f => f.Id).ToListAsync(Ct);
        var forCamille = await db.FicheActions(camille).Where(f => f.Status != FicheStatus.Validated).CountAsync(Ct);
        var forPublic = await db.FicheActions(null).Where(f => f.Status != FicheStatus.Validated).CountAsync(Ct);
        var forRegion = await db.FicheActions(claire).Where(f => f.Status != FicheStatus.Validated).CountAsync(Ct);

        forJulie.ShouldBe(unvalidated.Where(f => f.OrganisationId == julie.OrganisationId).Select(f => f.Id), ignoreOrder: true);
        forCamille.ShouldBe(0);
        forPublic.ShouldBe(0);
        forRegion.ShouldBe(unvalidated.Count);
    }
}
