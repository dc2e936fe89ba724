using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Application.Tests.Support;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Selection;

/// <summary>S3: the OF is warned when a meeting is less than 7 days away and prescribed candidates are not convoked.</summary>
public sealed class ConvocationWarningsJobTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Each test its own meeting date, far from the demo's, so that the set-based job's other rows do not matter.
    private async Task<IReadOnlyList<Guid>> RunAsync(DateTimeOffset now)
    {
        using var recording = new RecordingNotifier<ConvocationWarningsChanged>();
        await new ConvocationWarningsJob(fixture.Database, new FakeTimeProvider(now), recording.Notifier).RunAsync(Ct);
        return [.. recording.Published.Select(e => e.TrainingBodyId)];
    }

    private async Task<List<(DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt)>> WarningsAsync(Guid meeting)
    {
        await using var db = fixture.Database.CreateDbContext();
        return [.. (await db.ConvocationWarnings.Where(w => w.InfoSessionId == meeting).ToListAsync(Ct)).Select(w => (w.RaisedAt, w.ResolvedAt))];
    }

    [Fact]
    public async Task Warning_IsRaisedOnceTheSeventhCalendarDayBeforeIsOver_Once_S3()
    {
        // Meeting Wed 20/01/2027 09:30 Paris (08:30 UTC). Last day to convoke in time: Wed 13/01, until 23:59 Paris = 22:59 UTC.
        // From Thu 14/01 00:00 Paris (13/01 23:00 UTC) the candidates not convoked can only be convoked late: the OF is warned.
        var meetingAt = new DateTimeOffset(2027, 1, 20, 8, 30, 0, TimeSpan.Zero);
        var (session, _) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 2);
        var meeting = await SelectionFixture.MeetingAsync(fixture, session, meetingAt);
        var julie = await SelectionFixture.JulieAsync(fixture);

        await RunAsync(new DateTimeOffset(2027, 1, 13, 22, 59, 0, TimeSpan.Zero));
        (await WarningsAsync(meeting)).ShouldBeEmpty();

        var raisedAt = new DateTimeOffset(2027, 1, 13, 23, 0, 0, TimeSpan.Zero);
        (await RunAsync(raisedAt)).ShouldContain(julie.OrganisationId);
        await RunAsync(raisedAt.AddHours(1));
        (await WarningsAsync(meeting)).ShouldBe([(raisedAt, (DateTimeOffset?)null)], "one warning per info session, however often the job runs");

        var shown = await new GetConvocationWarnings.Handler(fixture.Database).HandleAsync(new GetConvocationWarnings(session), julie, Ct);
        shown.ShouldHaveSingleItem().NotConvoked.ShouldBe(2);
        (await new GetConvocationWarnings.Handler(fixture.Database).HandleAsync(new GetConvocationWarnings(session), await fixture.UserAsync(TestUsers.Thomas), Ct)).ShouldBeEmpty();
        await using var db = fixture.Database.CreateDbContext();
        (await ConvocationWarnings.CountRaisedAsync(db, raisedAt, raisedAt.AddSeconds(1), Ct)).ShouldBeGreaterThanOrEqualTo(1, "the observatory counts it");
    }

    [Fact]
    public async Task Warning_IsResolved_WhenNoPrescribedCandidateIsLeft_AndRaisedAgainIfOneComesBack_S3()
    {
        var meetingAt = new DateTimeOffset(2027, 2, 10, 8, 30, 0, TimeSpan.Zero);
        var (session, ids) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        var meeting = await SelectionFixture.MeetingAsync(fixture, session, meetingAt);
        var raisedAt = meetingAt.AddDays(-3);
        await RunAsync(raisedAt);

        await using (var db = fixture.Database.CreateDbContext())
        {
            var p = await db.AllPrescriptions.SingleAsync(x => x.Id == ids[0], Ct);
            p.Withdraw(p.PrescriberUserId, raisedAt.AddHours(1));
            await db.SaveChangesAsync(Ct);
        }
        await RunAsync(raisedAt.AddHours(2));
        (await WarningsAsync(meeting)).ShouldBe([(raisedAt, (DateTimeOffset?)raisedAt.AddHours(2))]);

        var (_, more) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 0);
        _ = more;
        await using (var db = fixture.Database.CreateDbContext())
        {
            var other = await db.AllPrescriptions.AsNoTracking().SingleAsync(x => x.Id == ids[0], Ct);
            db.AllPrescriptions.Add(new Prescription(other.CandidateId, session, other.TrainingBodyId, other.PrescriberOrganisationId, other.PrescriberUserId, 2,
                Prescriptions.PrescribeTests.Form, raisedAt.AddHours(3)));
            await db.SaveChangesAsync(Ct);
        }
        await RunAsync(raisedAt.AddHours(4));
        (await WarningsAsync(meeting)).ShouldBe([(raisedAt, (DateTimeOffset?)null)], "the same warning, open again");
    }

    [Fact]
    public async Task Warning_IsResolved_OnceTheMeetingHasBegun_S3()
    {
        var meetingAt = new DateTimeOffset(2027, 3, 10, 8, 30, 0, TimeSpan.Zero);
        var (session, _) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        var meeting = await SelectionFixture.MeetingAsync(fixture, session, meetingAt);
        await RunAsync(meetingAt.AddMinutes(-1));
        (await WarningsAsync(meeting)).ShouldHaveSingleItem().ResolvedAt.ShouldBeNull();

        await RunAsync(meetingAt);

        (await WarningsAsync(meeting)).ShouldHaveSingleItem().ResolvedAt.ShouldBe(meetingAt);
    }
}
