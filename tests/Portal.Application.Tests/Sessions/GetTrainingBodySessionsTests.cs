using Microsoft.EntityFrameworkCore;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Sessions;

/// <summary>The OF's "Mes sessions": its own sessions only, with open places (O8) and the prescriptions received.</summary>
public sealed class GetTrainingBodySessionsTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GetTrainingBodySessions.Handler Handler => new(fixture.Database);

    [Theory]
    [InlineData(TestUsers.Julie)]
    [InlineData(TestUsers.Thomas)]
    public async Task Sessions_OfATrainingBody_AreExactlyItsOwnSessions(string local)
    {
        var user = await fixture.UserAsync(local);
        await using var db = fixture.Database.CreateDbContext();
        var own = await db.Sessions
            .Where(s => s.OrganisationId == user.OrganisationId && s.Status != SessionStatus.Finished && s.Status != SessionStatus.Cancelled)
            .Select(s => s.Id).ToListAsync(Ct);
        own.ShouldNotBeEmpty();

        var rows = await Handler.HandleAsync(new GetTrainingBodySessions(), user, Ct);

        rows.Select(r => r.SessionId).ShouldBe(own, ignoreOrder: true);
        rows.Select(r => r.Start).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task Sessions_OfATrainingBody_IncludeItsPlannedSessions_O4()
    {
        // A planned session is hidden from prescribers (O4) but its OF prepares it.
        var julie = await fixture.UserAsync(TestUsers.Julie);

        var rows = await Handler.HandleAsync(new GetTrainingBodySessions(), julie, Ct);

        rows.ShouldContain(r => r.Status == SessionStatus.Planned);
        rows.ShouldContain(r => r.Status == SessionStatus.Open);
    }

    [Fact]
    public async Task Sessions_CountEveryPrescriptionReceived_AndTheWaitlisted_OfEachSession_O7_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        await using var db = fixture.Database.CreateDbContext();
        var prescriptions = await db.AllPrescriptions.Where(p => p.TrainingBodyId == julie.OrganisationId).AsNoTracking().ToListAsync(Ct);

        var rows = await Handler.HandleAsync(new GetTrainingBodySessions(), julie, Ct);

        rows.Sum(r => r.Prescriptions).ShouldBeGreaterThan(0);
        foreach (var row in rows)
        {
            row.Prescriptions.ShouldBe(prescriptions.Count(p => p.SessionId == row.SessionId), $"session {row.SessionId}");
            row.Waitlisted.ShouldBe(prescriptions.Count(p => p.SessionId == row.SessionId && p.Status == PrescriptionStatus.Waitlisted), $"session {row.SessionId}");
        }
    }

    [Fact]
    public async Task Sessions_HideCancelledSessions_UnlessFinishedOnesAreAskedFor()
    {
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var cancelled = await OfferBuilder.AddSessionAsync(fixture.Database, thomas.OrganisationId, new DateOnly(2027, 2, 1), arrange: s => s.Cancel());

        var current = await Handler.HandleAsync(new GetTrainingBodySessions(), thomas, Ct);
        var all = await Handler.HandleAsync(new GetTrainingBodySessions(IncludeFinished: true), thomas, Ct);

        current.ShouldNotContain(r => r.SessionId == cancelled.Id);
        all.ShouldContain(r => r.SessionId == cancelled.Id && r.Status == SessionStatus.Cancelled);
    }

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Sophie)]
    [InlineData(TestUsers.Claire)]
    [InlineData(TestUsers.Nicolas)]
    [InlineData(TestUsers.Pierre)]
    [InlineData(TestUsers.Admin)]
    public async Task Sessions_AreRefusedToAnyoneButATrainingBody(string local)
    {
        var user = await fixture.UserAsync(local);

        await Should.ThrowAsync<AccessDeniedException>(() => Handler.HandleAsync(new GetTrainingBodySessions(), user, Ct));
    }
}
