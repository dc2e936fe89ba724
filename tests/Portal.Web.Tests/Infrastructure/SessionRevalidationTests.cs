using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Identity;
using Portal.Application.Security;
using Portal.Domain.Identity;
using Portal.Infrastructure.Live;
using Portal.Testing;
using Portal.Web.Auth;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// Issue #15 (7), ADR 0018: the request gate (cached a few seconds, sliding) and the circuits' revalidating provider,
/// on a real database. Settings stated by hand: 10 h without a request, a touch written at most once a minute.
/// </summary>
public sealed class SessionRevalidationTests : IAsyncLifetime
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static readonly UserSessionSettings Settings = new(TimeSpan.FromHours(10), TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));

    private readonly FakeTimeProvider _clock = new(TestDatabase.DefaultNow);
    private readonly LiveNotifier _notifier = new(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);
    private TestDatabase _database = null!;
    private readonly SessionTrustCache _trust;

    public SessionRevalidationTests() => _trust = new SessionTrustCache(_clock);
    private UserSessionGate _gate = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(seedDemo: false);
        _gate = Gate(_notifier);
    }

    public async ValueTask DisposeAsync()
    {
        _gate.Dispose();
        _notifier.Dispose();
        await _database.DisposeAsync();
    }

    private UserSessionGate Gate(LiveNotifier notifier) => new(
        new StartUserSession.Handler(_database, _clock, Settings),
        new ValidateUserSession.Handler(_database, _clock, Settings),
        new EndUserSession.Handler(_database, _clock, notifier, _trust),
        _trust, notifier);

    private static ClaimsPrincipal SignedIn(Guid sessionId) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "Camille Durand"), new Claim(PortalClaims.SessionId, sessionId.ToString())], "cookie"));

    /// <summary>Ends the session as another server would: in the database, with no event reaching this one.</summary>
    private async Task EndElsewhereAsync(Guid sessionId)
    {
        using var elsewhere = new LiveNotifier(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);
        await new EndUserSession.Handler(_database, _clock, elsewhere, new SessionTrustCache(_clock)).HandleAsync(new EndUserSession(sessionId, SessionEndReason.Logout), Ct);
    }

    private PortalRevalidatingAuthenticationStateProvider Provider(TimeSpan interval, SessionEndedState ended) =>
        new(NullLoggerFactory.Instance, _gate, new AuthSettings { RevalidationInterval = interval }, ended, _notifier);

    private static async Task<bool> BecomesAnonymousAsync(AuthenticationStateProvider provider, TimeSpan within)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(within.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (TimeProvider.System.GetTimestamp() < deadline)
        {
            if ((await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated != true) return true;
            await Task.Delay(50, Ct);
        }
        return false;
    }

    [Fact]
    public async Task Gate_RefusesACookieWithoutSessionId_Issue15_7()
    {
        var oldCookie = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "Camille Durand")], "cookie"));

        (await _gate.IsLiveAsync(oldCookie, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task Gate_TrustsWhatItCheckedForFiveSecondsAtMost_ThenSeesTheEndFromAnotherServer_Issue15_7()
    {
        var id = await _gate.StartAsync(Guid.NewGuid(), "sub", Ct);
        (await _gate.IsLiveAsync(SignedIn(id), Ct)).ShouldBeTrue();

        await EndElsewhereAsync(id);

        _clock.Advance(TimeSpan.FromSeconds(4));
        (await _gate.IsLiveAsync(SignedIn(id), Ct)).ShouldBeTrue();
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await _gate.IsLiveAsync(SignedIn(id), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task Gate_LogoutOnThisServer_BitesAtOnce_Issue15_7()
    {
        var id = await _gate.StartAsync(Guid.NewGuid(), "sub", Ct);
        (await _gate.IsLiveAsync(SignedIn(id), Ct)).ShouldBeTrue();

        await _gate.EndAsync(id, SessionEndReason.Logout, Ct);

        (await _gate.IsLiveAsync(SignedIn(id), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task Gate_AnEndAnnouncedByTheLiveEvent_BitesAtOnce_Issue14_2()
    {
        var userId = Guid.NewGuid();
        var id = await _gate.StartAsync(userId, "sub", Ct);
        (await _gate.IsLiveAsync(SignedIn(id), Ct)).ShouldBeTrue();

        await new EndAllSessionsForUser.Handler(_database, _clock, _notifier, _trust).HandleAsync(new EndAllSessionsForUser(userId, SessionEndReason.MembershipEnded), Ct);
        await _notifier.DrainAsync();

        (await _gate.IsLiveAsync(SignedIn(id), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task Gate_RequestsSlideTheSession_AndTenHoursWithoutOneExpireIt_Issue15_7()
    {
        var id = await _gate.StartAsync(Guid.NewGuid(), "sub", Ct);

        // 11:00 login; a request at 20:00 moves the expiry to 06:00 the next day; at 05:59:59 it still lives, at 06:00 not.
        _clock.Advance(TimeSpan.FromHours(9));
        (await _gate.IsLiveAsync(SignedIn(id), Ct)).ShouldBeTrue();
        _clock.Advance(TimeSpan.FromHours(10) - TimeSpan.FromSeconds(1));
        (await _gate.IsStillLiveAsync(SignedIn(id), Ct)).ShouldBeTrue();
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await _gate.IsLiveAsync(SignedIn(id), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task Circuit_WhenTheSessionIsEndedElsewhere_BecomesAnonymous_WithinTheRevalidationInterval_Issue15_7()
    {
        var id = await _gate.StartAsync(Guid.NewGuid(), "sub", Ct);
        var ended = new SessionEndedState();
        using var provider = Provider(TimeSpan.FromMilliseconds(200), ended);
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(SignedIn(id))));

        await EndElsewhereAsync(id);

        (await BecomesAnonymousAsync(provider, TimeSpan.FromSeconds(10))).ShouldBeTrue();
        ended.Ended.ShouldBeTrue();
    }

    [Fact]
    public async Task Circuit_WhenTheEndIsAnnounced_BecomesAnonymousAtOnce_WithoutWaitingForTheInterval_Issue15_7()
    {
        var id = await _gate.StartAsync(Guid.NewGuid(), "sub", Ct);
        var ended = new SessionEndedState();
        using var provider = Provider(TimeSpan.FromHours(1), ended);
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(SignedIn(id))));

        await _gate.EndAsync(id, SessionEndReason.Logout, Ct);

        (await BecomesAnonymousAsync(provider, TimeSpan.FromSeconds(10))).ShouldBeTrue();
        ended.Ended.ShouldBeTrue();
    }

    [Fact]
    public async Task Circuit_WhileTheSessionLives_StaysSignedIn_Issue15_7()
    {
        var id = await _gate.StartAsync(Guid.NewGuid(), "sub", Ct);
        var other = await _gate.StartAsync(Guid.NewGuid(), "sub-2", Ct);
        var ended = new SessionEndedState();
        using var provider = Provider(TimeSpan.FromMilliseconds(100), ended);
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(SignedIn(id))));

        // Another session's end concerns this circuit in no way.
        await _gate.EndAsync(other, SessionEndReason.Logout, Ct);
        await Task.Delay(600, Ct);
        await _notifier.DrainAsync();

        (await provider.GetAuthenticationStateAsync()).User.Identity!.IsAuthenticated.ShouldBeTrue();
        ended.Ended.ShouldBeFalse();
    }
}
