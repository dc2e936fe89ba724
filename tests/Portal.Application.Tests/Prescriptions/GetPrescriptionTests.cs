using Microsoft.EntityFrameworkCore;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Prescriptions;

/// <summary>One prescription and its history (S6), within the user's scope only; otherwise "not found".</summary>
public sealed class GetPrescriptionTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GetPrescription.Handler Handler => new(fixture.Database, TimeProvider.System);

    private async Task<Guid> PrescriptionAsync(Func<IQueryable<Prescription>, IQueryable<Prescription>> filter)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await filter(db.AllPrescriptions).OrderBy(p => p.CreatedAt).Select(p => p.Id).FirstAsync();
    }

    [Fact]
    public async Task GetPrescription_OfAnotherPrescriberOrganisation_IsNotFound()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var lucas = await fixture.UserAsync(TestUsers.Lucas);
        var id = await PrescriptionAsync(q => q.Where(p => p.PrescriberOrganisationId == lucas.OrganisationId));

        await Should.ThrowAsync<NotFoundException>(() => Handler.HandleAsync(new GetPrescription(id), camille, Ct));
    }

    [Fact]
    public async Task GetPrescription_OfTheOwnOrganisation_ReturnsItWithItsHistory_S6()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        // A prescription that went through several steps (convoked at least).
        var id = await PrescriptionAsync(q => q.Where(p => p.PrescriberOrganisationId == camille.OrganisationId && p.Status == PrescriptionStatus.NotSelected));
        await using var db = fixture.Database.CreateDbContext();
        var stored = await db.AllPrescriptions.Include(p => p.History).AsNoTracking().SingleAsync(p => p.Id == id, Ct);
        var candidate = await db.AllCandidates.AsNoTracking().SingleAsync(c => c.Id == stored.CandidateId, Ct);

        var details = await Handler.HandleAsync(new GetPrescription(id), camille, Ct);

        details.Id.ShouldBe(id);
        details.CandidateId.ShouldBe(stored.CandidateId);
        details.CandidateName.ShouldBe($"{candidate.FirstName} {candidate.LastName}");
        details.SessionId.ShouldBe(stored.SessionId);
        details.Status.ShouldBe(PrescriptionStatus.NotSelected);
        details.History.Select(h => h.To).ShouldBe(
            [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Attended, PrescriptionStatus.NotSelected]);
        details.History[^1].Reason.ShouldNotBeNullOrWhiteSpace(); // S7: the reasons of a non-selection travel with it
    }

    [Fact]
    public async Task GetPrescription_ByATrainingBody_OnAnotherTrainingBodysSession_IsNotFound()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var id = await PrescriptionAsync(q => q.Where(p => p.TrainingBodyId != julie.OrganisationId));

        await Should.ThrowAsync<NotFoundException>(() => Handler.HandleAsync(new GetPrescription(id), julie, Ct));
    }

    [Fact]
    public async Task GetPrescription_ByATrainingBody_OnItsOwnSession_ReturnsIt()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var id = await PrescriptionAsync(q => q.Where(p => p.TrainingBodyId == julie.OrganisationId));

        var details = await Handler.HandleAsync(new GetPrescription(id), julie, Ct);

        details.Id.ShouldBe(id);
        details.FicheTitle.ShouldBe("Préparation au titre de cariste d'entrepôt (CACES R489)");
    }

    [Theory]
    [InlineData(TestUsers.Nicolas)]
    [InlineData(TestUsers.Aurelie)]
    [InlineData(TestUsers.Pierre)]
    public async Task GetPrescription_ByCarifOrMfe_IsNotFound(string local)
    {
        var user = await fixture.UserAsync(local);
        var id = await PrescriptionAsync(q => q);

        await Should.ThrowAsync<NotFoundException>(() => Handler.HandleAsync(new GetPrescription(id), user, Ct));
    }

    [Fact]
    public async Task GetPrescription_ByTheRegion_ReturnsAnyPrescription()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var lucas = await fixture.UserAsync(TestUsers.Lucas);
        var id = await PrescriptionAsync(q => q.Where(p => p.PrescriberOrganisationId == lucas.OrganisationId));

        var details = await Handler.HandleAsync(new GetPrescription(id), claire, Ct);

        details.Id.ShouldBe(id);
    }

    [Fact]
    public async Task GetPrescription_UnknownId_IsNotFound()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);

        await Should.ThrowAsync<NotFoundException>(() => Handler.HandleAsync(new GetPrescription(Guid.CreateVersion7()), claire, Ct));
    }
}
