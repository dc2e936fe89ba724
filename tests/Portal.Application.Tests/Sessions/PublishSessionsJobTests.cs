using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Sessions;
using Portal.Application.Tests.Support;
using Portal.Domain.Offer;
using Portal.Testing;
using static Portal.Application.Tests.Support.OfferBuilder;

namespace Portal.Application.Tests.Sessions;

/// <summary>
/// O4: a session is published (opened to prescription) 120 days before it starts, a Paris calendar day.
/// Each test adds sessions of its own and reads only those.
/// </summary>
public sealed class PublishSessionsJobTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);

    private readonly Portal.Infrastructure.Live.LiveNotifier _notifier = new(new Portal.Infrastructure.Live.InProcessBackplane(), Microsoft.Extensions.Logging.Abstractions.NullLogger<Portal.Infrastructure.Live.LiveNotifier>.Instance);

    private Task RunJobAsync() => new PublishSessionsJob(fixture.Database, _clock, _notifier).RunAsync(TestContext.Current.CancellationToken);

    private async Task<TrainingSession> PlannedSessionAsync(DateOnly start, Action<TrainingSession>? arrange = null)
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        return await AddSessionAsync(fixture.Database, julie.OrganisationId, start, arrange: arrange);
    }

    private async Task<SessionStatus> StatusAsync(Guid id) => (await ReloadSessionAsync(fixture.Database, id)).Status;

    [Fact]
    public async Task Job_OpensASessionStarting120DaysAway_ButNot121_O4()
    {
        var today = new DateOnly(2027, 3, 10);
        var in120 = await PlannedSessionAsync(today.AddDays(120));
        var in121 = await PlannedSessionAsync(today.AddDays(121));
        _clock.SetUtcNow(NoonUtc(today));

        await RunJobAsync();

        (await StatusAsync(in120.Id)).ShouldBe(SessionStatus.Open);
        (await StatusAsync(in121.Id)).ShouldBe(SessionStatus.Planned);
    }

    [Fact]
    public async Task Job_OpensASessionWhosePublicationDateHasPassed_O4()
    {
        // A session created late (or a job that did not run for a while) is opened on the next run.
        var today = new DateOnly(2027, 3, 11);
        var late = await PlannedSessionAsync(today.AddDays(30));
        _clock.SetUtcNow(NoonUtc(today));

        await RunJobAsync();

        (await StatusAsync(late.Id)).ShouldBe(SessionStatus.Open);
    }

    [Theory]
    // Publication day 12/01/2027 (winter, Paris = UTC+1): Paris midnight is 11/01 23:00 UTC.
    [InlineData(2027, 1, 12, 1)]
    // Publication day 12/07/2027 (summer, Paris = UTC+2): Paris midnight is 11/07 22:00 UTC.
    [InlineData(2027, 7, 12, 2)]
    public async Task Job_OpensTheSession_AtParisMidnightOfItsPublicationDay_NotAtUtcMidnight_O4(int year, int month, int day, int parisOffsetHours)
    {
        var publicationDay = new DateOnly(year, month, day);
        var session = await PlannedSessionAsync(publicationDay.AddDays(TrainingSession.PublicationDays));
        var parisMidnight = new DateTimeOffset(publicationDay, TimeOnly.MinValue, TimeSpan.FromHours(parisOffsetHours));

        _clock.SetUtcNow(parisMidnight.AddMinutes(-1));
        await RunJobAsync();
        var oneMinuteBefore = await StatusAsync(session.Id);

        _clock.SetUtcNow(parisMidnight.AddMinutes(1)); // still the day before in UTC
        await RunJobAsync();
        var oneMinuteAfter = await StatusAsync(session.Id);

        oneMinuteBefore.ShouldBe(SessionStatus.Planned);
        oneMinuteAfter.ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public async Task Job_RunTwice_OpensOnce_AndIncrementsTheVersionOnce_O4()
    {
        var today = new DateOnly(2027, 3, 15);
        var session = await PlannedSessionAsync(today.AddDays(100));
        _clock.SetUtcNow(NoonUtc(today));

        await RunJobAsync();
        var afterFirst = await ReloadSessionAsync(fixture.Database, session.Id);
        await RunJobAsync();
        _clock.Advance(TimeSpan.FromDays(1));
        await RunJobAsync();
        var afterThird = await ReloadSessionAsync(fixture.Database, session.Id);

        afterFirst.Status.ShouldBe(SessionStatus.Open);
        afterFirst.Version.ShouldBe(session.Version + 1);
        afterThird.Status.ShouldBe(SessionStatus.Open);
        afterThird.Version.ShouldBe(afterFirst.Version);
    }

    [Fact]
    public async Task Job_LeavesSessionsThatAreNoLongerPlannedAlone_O4()
    {
        var today = new DateOnly(2027, 3, 20);
        var cancelled = await PlannedSessionAsync(today.AddDays(60), s => s.Cancel());
        var open = await PlannedSessionAsync(today.AddDays(61), s => s.Publish(NoonUtc(today)));
        _clock.SetUtcNow(NoonUtc(today));

        await RunJobAsync();

        var storedCancelled = await ReloadSessionAsync(fixture.Database, cancelled.Id);
        var storedOpen = await ReloadSessionAsync(fixture.Database, open.Id);
        storedCancelled.Status.ShouldBe(SessionStatus.Cancelled);
        storedCancelled.Version.ShouldBe(cancelled.Version);
        storedOpen.Status.ShouldBe(SessionStatus.Open);
        storedOpen.Version.ShouldBe(open.Version);
    }
}

/// <summary>O4: the sessions the job opens show at once on the screens that display them.</summary>
public sealed class PublishSessionsJobLiveTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    [Fact]
    public async Task Job_PublishesALiveEventForEachSessionItOpens_AndNoneOnASecondRun_O4()
    {
        var clock = new FakeTimeProvider(DemoDatabase.SeededAt);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var today = TrainingSession.Today(DemoDatabase.SeededAt);
        var opened = await AddSessionAsync(fixture.Database, julie.OrganisationId, today.AddDays(120));
        var notYet = await AddSessionAsync(fixture.Database, julie.OrganisationId, today.AddDays(121));
        using var notifier = new Portal.Infrastructure.Live.LiveNotifier(new Portal.Infrastructure.Live.InProcessBackplane(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Portal.Infrastructure.Live.LiveNotifier>.Instance);
        var events = new List<Portal.Application.Abstractions.SessionPlacesChanged>();
        using var subscription = notifier.Subscribe<Portal.Application.Abstractions.SessionPlacesChanged>(e => { events.Add(e); return Task.CompletedTask; });

        await new PublishSessionsJob(fixture.Database, clock, notifier).RunAsync(TestContext.Current.CancellationToken);
        await notifier.DrainAsync();
        events.Select(e => e.SessionId).ShouldContain(opened.Id);
        events.Select(e => e.SessionId).ShouldNotContain(notYet.Id);

        events.Clear();
        await new PublishSessionsJob(fixture.Database, clock, notifier).RunAsync(TestContext.Current.CancellationToken);
        await notifier.DrainAsync();
        events.ShouldBeEmpty();
    }
}
