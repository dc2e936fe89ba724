using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Sessions;
using Portal.Application.Tests.Support;
using Portal.Domain.Offer;
using Portal.Testing;
using static Portal.Application.Tests.Support.OfferBuilder;

namespace Portal.Application.Tests.Sessions;

/// <summary>
/// O7: once the registration deadline (a Paris calendar day, inclusive) has passed, the session's
/// prescriptions are closed. Each test adds sessions of its own and reads only those.
/// </summary>
public sealed class CloseRegistrationsJobTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);

    private readonly Portal.Infrastructure.Live.LiveNotifier _notifier = new(new Portal.Infrastructure.Live.InProcessBackplane(), Microsoft.Extensions.Logging.Abstractions.NullLogger<Portal.Infrastructure.Live.LiveNotifier>.Instance);

    private Task RunJobAsync() => new CloseRegistrationsJob(fixture.Database, _clock, _notifier).RunAsync(TestContext.Current.CancellationToken);

    /// <summary>A session open to prescription whose registration deadline is <paramref name="deadline"/>.</summary>
    private async Task<TrainingSession> OpenSessionAsync(DateOnly deadline, Action<TrainingSession>? arrange = null)
    {
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        return await AddSessionAsync(fixture.Database, thomas.OrganisationId, deadline.AddDays(7), deadline, arrange: s =>
        {
            s.Publish(NoonUtc(s.PublicationDate));
            arrange?.Invoke(s);
        });
    }

    private async Task<SessionStatus> StatusAsync(Guid id) => (await ReloadSessionAsync(fixture.Database, id)).Status;

    [Fact]
    public async Task Job_OnTheDeadlineDay_KeepsTheSessionOpen_O7()
    {
        var deadline = new DateOnly(2027, 2, 10);
        var session = await OpenSessionAsync(deadline);
        _clock.SetUtcNow(NoonUtc(deadline));

        await RunJobAsync();

        (await StatusAsync(session.Id)).ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public async Task Job_TheDayAfterTheDeadline_ClosesTheSession_O7()
    {
        var deadline = new DateOnly(2027, 2, 11);
        var session = await OpenSessionAsync(deadline);
        _clock.SetUtcNow(NoonUtc(deadline.AddDays(1)));

        await RunJobAsync();

        (await StatusAsync(session.Id)).ShouldBe(SessionStatus.Closed);
    }

    [Theory]
    // Deadline 15/02/2027 (winter, Paris = UTC+1): it ends at 16/02 00:00 Paris = 15/02 23:00 UTC.
    [InlineData(2027, 2, 15, 1)]
    // Deadline 15/07/2027 (summer, Paris = UTC+2): it ends at 16/07 00:00 Paris = 15/07 22:00 UTC.
    [InlineData(2027, 7, 15, 2)]
    public async Task Job_ClosesTheSession_AtParisMidnightAfterTheDeadline_NotAtUtcMidnight_O7(int year, int month, int day, int parisOffsetHours)
    {
        var deadline = new DateOnly(year, month, day);
        var session = await OpenSessionAsync(deadline);
        var endOfDeadline = new DateTimeOffset(deadline.AddDays(1), TimeOnly.MinValue, TimeSpan.FromHours(parisOffsetHours));

        _clock.SetUtcNow(endOfDeadline.AddMinutes(-1));
        await RunJobAsync();
        var oneMinuteBefore = await StatusAsync(session.Id);

        _clock.SetUtcNow(endOfDeadline.AddMinutes(1)); // still the deadline day in UTC
        await RunJobAsync();
        var oneMinuteAfter = await StatusAsync(session.Id);

        oneMinuteBefore.ShouldBe(SessionStatus.Open);
        oneMinuteAfter.ShouldBe(SessionStatus.Closed);
    }

    [Fact]
    public async Task Job_ClosesASuspendedSessionOnceTheDeadlineHasPassed_O7()
    {
        var deadline = new DateOnly(2027, 3, 1);
        // O7: suspension is allowed once 5 × capacity prescriptions are reached.
        var session = await OpenSessionAsync(deadline, s => s.Suspend(NoonUtc(deadline.AddDays(-20)), s.Capacity * TrainingSession.SuspensionCapacityFactor));
        _clock.SetUtcNow(NoonUtc(deadline.AddDays(1)));

        await RunJobAsync();

        (await StatusAsync(session.Id)).ShouldBe(SessionStatus.Closed);
    }

    [Fact]
    public async Task Job_RunTwice_ClosesOnce_AndIncrementsTheVersionOnce_O7()
    {
        var deadline = new DateOnly(2027, 3, 5);
        var session = await OpenSessionAsync(deadline);
        _clock.SetUtcNow(NoonUtc(deadline.AddDays(1)));

        await RunJobAsync();
        var afterFirst = await ReloadSessionAsync(fixture.Database, session.Id);
        _clock.Advance(TimeSpan.FromDays(1));
        await RunJobAsync();
        var afterSecond = await ReloadSessionAsync(fixture.Database, session.Id);

        afterFirst.Status.ShouldBe(SessionStatus.Closed);
        afterFirst.Version.ShouldBe(session.Version + 1);
        afterSecond.Version.ShouldBe(afterFirst.Version);
    }

    [Fact]
    public async Task Job_LeavesPlannedAndCancelledSessionsAlone_EvenPastTheirDeadline()
    {
        var deadline = new DateOnly(2027, 3, 8);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var planned = await AddSessionAsync(fixture.Database, thomas.OrganisationId, deadline.AddDays(7), deadline);
        var cancelled = await OpenSessionAsync(deadline, s => s.Cancel());
        _clock.SetUtcNow(NoonUtc(deadline.AddDays(3)));

        await RunJobAsync();

        var storedPlanned = await ReloadSessionAsync(fixture.Database, planned.Id);
        var storedCancelled = await ReloadSessionAsync(fixture.Database, cancelled.Id);
        storedPlanned.Status.ShouldBe(SessionStatus.Planned);
        storedPlanned.Version.ShouldBe(planned.Version);
        storedCancelled.Status.ShouldBe(SessionStatus.Cancelled);
        storedCancelled.Version.ShouldBe(cancelled.Version);
    }
}
