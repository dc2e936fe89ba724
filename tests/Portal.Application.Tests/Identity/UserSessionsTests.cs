using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Identity;
using Portal.Application.Tests.Support;
using Portal.Domain.Identity;
using Portal.Testing;

namespace Portal.Application.Tests.Identity;

/// <summary>
/// Issue #15 (7), ADR 0018: the server-side session records behind the cookies. Idle timeout 10 h, a touch written at most
/// once a minute, ended or expired rows kept one day (the settings below, stated by hand).
/// </summary>
public sealed class UserSessionsTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly UserSessionSettings Settings = new(IdleTimeout: TimeSpan.FromHours(10), TouchInterval: TimeSpan.FromMinutes(1), Retention: TimeSpan.FromDays(1));

    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);
    private readonly RecordingNotifier<UserSessionsEnded> _live = new();
    private SessionTrustCache? _trustCache;
    private SessionTrustCache Trust => _trustCache ??= new SessionTrustCache(_clock);

    private Task<Guid> StartAsync(Guid? userId, string subject = "sub-test") =>
        new StartUserSession.Handler(fixture.Database, _clock, Settings).HandleAsync(new StartUserSession(userId, subject), Ct);

    private async Task<bool> IsLiveAsync(Guid sessionId, bool touch = false) =>
        (await new ValidateUserSession.Handler(fixture.Database, _clock, Settings).HandleAsync(new ValidateUserSession(sessionId, touch), Ct)).IsLive;

    private async Task<UserSession> StoredAsync(Guid sessionId)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.UserSessions.AsNoTracking().SingleAsync(s => s.Id == sessionId, Ct);
    }

    public void Dispose() => _live.Dispose();

    [Fact]
    public async Task Start_RecordsALiveSession_ThatExpiresTenHoursLater_Issue15_7()
    {
        var userId = Guid.NewGuid();

        var id = await StartAsync(userId, "sub-camille");

        var stored = await StoredAsync(id);
        stored.UserId.ShouldBe(userId);
        stored.Subject.ShouldBe("sub-camille");
        stored.CreatedAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero));
        stored.LastSeenAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero));
        stored.ExpiresAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 21, 0, 0, TimeSpan.Zero));
        stored.EndedAt.ShouldBeNull();
        (await IsLiveAsync(id)).ShouldBeTrue();
    }

    [Fact]
    public async Task Start_ForAPendingLogin_RecordsASessionWithoutUser_Issue15_7()
    {
        var id = await StartAsync(userId: null, "sub-inconnu");

        (await StoredAsync(id)).UserId.ShouldBeNull();
        (await IsLiveAsync(id)).ShouldBeTrue();
    }

    [Fact]
    public async Task Validate_AnExpiredSession_IsRefused_Issue15_7()
    {
        var id = await StartAsync(Guid.NewGuid());

        _clock.Advance(TimeSpan.FromHours(10) - TimeSpan.FromSeconds(1));
        (await IsLiveAsync(id)).ShouldBeTrue();
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await IsLiveAsync(id)).ShouldBeFalse();
        // An expired session cannot be brought back by a request.
        (await IsLiveAsync(id, touch: true)).ShouldBeFalse();
        (await StoredAsync(id)).ExpiresAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 21, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Validate_UnknownSession_IsRefused_Issue15_7()
    {
        (await IsLiveAsync(Guid.NewGuid(), touch: true)).ShouldBeFalse();
    }

    [Fact]
    public async Task Validate_WithTouch_SlidesTheExpiry_AtMostOnceAMinute_Issue15_7()
    {
        var id = await StartAsync(Guid.NewGuid());

        // 30 s after the login: within the touch interval, nothing is written.
        _clock.Advance(TimeSpan.FromSeconds(30));
        (await IsLiveAsync(id, touch: true)).ShouldBeTrue();
        (await StoredAsync(id)).ExpiresAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 21, 0, 0, TimeSpan.Zero));

        // 9 h after the login (11:00 → 20:00 UTC): the expiry moves to 20:00 + 10 h = 06:00 the next day.
        _clock.Advance(TimeSpan.FromHours(9) - TimeSpan.FromSeconds(30));
        (await IsLiveAsync(id, touch: true)).ShouldBeTrue();
        var stored = await StoredAsync(id);
        stored.LastSeenAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 20, 0, 0, TimeSpan.Zero));
        stored.ExpiresAt.ShouldBe(new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero));

        // At 21:30, past the first expiry, the session still lives thanks to the touch.
        _clock.Advance(TimeSpan.FromMinutes(90));
        (await IsLiveAsync(id)).ShouldBeTrue();
    }

    [Fact]
    public async Task Validate_WithoutTouch_DoesNotSlide_Issue15_7()
    {
        var id = await StartAsync(Guid.NewGuid());

        _clock.Advance(TimeSpan.FromHours(5));
        (await IsLiveAsync(id, touch: false)).ShouldBeTrue();

        (await StoredAsync(id)).ExpiresAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 21, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task EndUserSession_Logout_EndsThatSessionOnly_AndAnnouncesIt_Issue15_7()
    {
        var userId = Guid.NewGuid();
        var thisTab = await StartAsync(userId);
        var otherBrowser = await StartAsync(userId);
        _clock.Advance(TimeSpan.FromMinutes(3));

        var ended = await new EndUserSession.Handler(fixture.Database, _clock, _live.Notifier, Trust)
            .HandleAsync(new EndUserSession(thisTab, SessionEndReason.Logout), Ct);

        ended.ShouldBeTrue();
        (await IsLiveAsync(thisTab)).ShouldBeFalse();
        (await IsLiveAsync(otherBrowser)).ShouldBeTrue();
        var stored = await StoredAsync(thisTab);
        stored.EndedAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 11, 3, 0, TimeSpan.Zero));
        stored.EndedReason.ShouldBe(SessionEndReason.Logout);
        var published = _live.Published.ShouldHaveSingleItem();
        published.SessionIds.ShouldBe([thisTab]);
        published.UserId.ShouldBe(userId);
    }

    [Fact]
    public async Task EndUserSession_Twice_KeepsTheFirstEnd_AndAnnouncesOnce_Issue15_7()
    {
        var id = await StartAsync(Guid.NewGuid());
        var handler = new EndUserSession.Handler(fixture.Database, _clock, _live.Notifier, Trust);
        await handler.HandleAsync(new EndUserSession(id, SessionEndReason.Logout), Ct);
        _clock.Advance(TimeSpan.FromMinutes(1));

        (await handler.HandleAsync(new EndUserSession(id, SessionEndReason.EndedByAdministrator), Ct)).ShouldBeFalse();

        var stored = await StoredAsync(id);
        stored.EndedAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero));
        stored.EndedReason.ShouldBe(SessionEndReason.Logout);
        _live.Published.Count.ShouldBe(1);
    }

    [Fact]
    public async Task EndAllSessionsForUser_EndsBothSessionsOfTheUser_NotAnotherUsers_Issue14_2()
    {
        var camille = (await fixture.UserAsync(TestUsers.Camille)).UserId;
        var lucas = (await fixture.UserAsync(TestUsers.Lucas)).UserId;
        var office = await StartAsync(camille);
        var laptop = await StartAsync(camille);
        var lucasSession = await StartAsync(lucas);
        _clock.Advance(TimeSpan.FromMinutes(10));

        var count = await new EndAllSessionsForUser.Handler(fixture.Database, _clock, _live.Notifier, Trust)
            .HandleAsync(new EndAllSessionsForUser(camille, SessionEndReason.UserDeactivated), Ct);

        count.ShouldBe(2);
        (await IsLiveAsync(office)).ShouldBeFalse();
        (await IsLiveAsync(laptop)).ShouldBeFalse();
        (await IsLiveAsync(lucasSession)).ShouldBeTrue();
        foreach (var id in new[] { office, laptop })
        {
            var stored = await StoredAsync(id);
            stored.EndedReason.ShouldBe(SessionEndReason.UserDeactivated);
            stored.EndedAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 11, 10, 0, TimeSpan.Zero));
        }
        (await StoredAsync(lucasSession)).EndedAt.ShouldBeNull();
        var published = _live.Published.ShouldHaveSingleItem();
        published.UserId.ShouldBe(camille);
        published.SessionIds.ShouldBe([office, laptop], ignoreOrder: true);
        published.Topics().ShouldNotContain(lucasSession);
    }

    [Fact]
    public async Task EndAllSessionsForUser_DropsThisServersTrust_BeforeItReturns_NotAfterTheEvent_Issue14_2()
    {
        var camille = (await fixture.UserAsync(TestUsers.Camille)).UserId;
        var office = await StartAsync(camille);
        var other = Guid.NewGuid();
        Trust.Trust(office, expiresAt: null);
        Trust.Trust(other, expiresAt: null);
        Trust.IsTrusted(office).ShouldBeTrue();

        // The recording notifier runs no subscriber: only the handler itself can drop the trust.
        await new EndAllSessionsForUser.Handler(fixture.Database, _clock, _live.Notifier, Trust)
            .HandleAsync(new EndAllSessionsForUser(camille, SessionEndReason.UserDeactivated), Ct);

        Trust.IsTrusted(office).ShouldBeFalse();
        Trust.IsTrusted(other).ShouldBeTrue();
    }

    [Fact]
    public void SessionTrustCache_ACheckThatReadTheRecordBeforeTheEnd_CannotTrustTheSessionAfterIt_Issue14_2()
    {
        var ended = Guid.NewGuid();
        var live = Guid.NewGuid();

        // The order of a race: a request read "live", the session ended, then the request's check finished.
        Trust.Ended([ended]);
        Trust.Trust(ended, expiresAt: null);
        Trust.Trust(live, expiresAt: null);

        Trust.IsTrusted(ended).ShouldBeFalse();
        Trust.IsTrusted(live).ShouldBeTrue();
    }

    [Fact]
    public void SessionTrustCache_TrustsFiveSeconds_AndNeverPastTheRecordsExpiry_Issue15_7()
    {
        var session = Guid.NewGuid();
        var expiring = Guid.NewGuid();
        Trust.Trust(session, expiresAt: null);
        // The record of this one expires in 2 s (11:00:02).
        Trust.Trust(expiring, expiresAt: new DateTimeOffset(2026, 11, 27, 11, 0, 2, TimeSpan.Zero));

        _clock.Advance(TimeSpan.FromSeconds(2));
        Trust.IsTrusted(session).ShouldBeTrue();
        Trust.IsTrusted(expiring).ShouldBeFalse();
        _clock.Advance(TimeSpan.FromSeconds(3));
        Trust.IsTrusted(session).ShouldBeFalse();
    }

    [Fact]
    public async Task EndAllSessionsForUser_WithNoOpenSession_EndsNothing_AndAnnouncesNothing_Issue14_2()
    {
        var count = await new EndAllSessionsForUser.Handler(fixture.Database, _clock, _live.Notifier, Trust)
            .HandleAsync(new EndAllSessionsForUser(Guid.NewGuid(), SessionEndReason.MembershipEnded), Ct);

        count.ShouldBe(0);
        _live.Published.ShouldBeEmpty();
    }
}

/// <summary>Issue #15 (7): the purge of the session rows ended or expired more than a day ago (own database: it deletes broadly).</summary>
public sealed class PurgeUserSessionsJobTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Purge_DeletesTheRowsEndedOrExpiredMoreThanADayAgo_KeepsTheOthers_Issue15_7()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var settings = new UserSessionSettings(TimeSpan.FromHours(10), TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        var t0 = clock.GetUtcNow();

        // Day 1, 08:00: four logins. A expires at 18:00 (day 1); B is ended at 09:00 (day 1); C is ended later;
        // D keeps being used. Then the clock goes to day 2, 19:00.
        await using (var db = database.CreateDbContext())
        {
            var a = new UserSession(Guid.NewGuid(), "a", t0, settings.IdleTimeout);
            var b = new UserSession(Guid.NewGuid(), "b", t0, settings.IdleTimeout);
            b.End(SessionEndReason.Logout, t0.AddHours(1));
            var c = new UserSession(Guid.NewGuid(), "c", t0, settings.IdleTimeout);
            c.Touch(t0.AddHours(9), settings.IdleTimeout);                 // expires day 2, 03:00
            c.End(SessionEndReason.UserDeactivated, t0.AddHours(30));      // ended day 2, 14:00: within the day kept
            var d = new UserSession(Guid.NewGuid(), "d", t0, settings.IdleTimeout);
            foreach (var hours in new[] { 9, 18, 27, 34 })                  // in use all along; last at day 2, 18:00
                d.Touch(t0.AddHours(hours), settings.IdleTimeout);         // → expires day 3, 04:00
            db.UserSessions.AddRange(a, b, c, d);
            await db.SaveChangesAsync(Ct);
        }
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 19, 0, 0, TimeSpan.Zero));

        await new PurgeUserSessionsJob(database, clock, settings).RunAsync(Ct);
        await new PurgeUserSessionsJob(database, clock, settings).RunAsync(Ct); // idempotent

        await using var check = database.CreateDbContext();
        // A expired day 1 18:00 (25 h ago) and B ended day 1 09:00 (34 h ago): deleted. C expired day 2 03:00 (16 h ago)
        // and was ended 5 h ago: kept a day. D is live.
        (await check.UserSessions.Select(s => s.Subject).OrderBy(s => s).ToListAsync(Ct)).ShouldBe(["c", "d"]);
    }
}
