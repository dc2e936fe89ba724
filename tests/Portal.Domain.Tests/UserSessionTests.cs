using Portal.Domain.Common;
using Portal.Domain.Identity;

namespace Portal.Domain.Tests;

/// <summary>Issue #15 (7), ADR 0018: a server-side session record's life.</summary>
public sealed class UserSessionTests
{
    private static readonly DateTimeOffset Login = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan TenHours = TimeSpan.FromHours(10);

    [Fact]
    public void NewSession_IsLiveUntilItsExpiry_Issue15_7()
    {
        var session = new UserSession(Guid.NewGuid(), "sub", Login, TenHours);

        session.ExpiresAt.ShouldBe(new DateTimeOffset(2026, 12, 3, 18, 0, 0, TimeSpan.Zero));
        session.IsLiveAt(new DateTimeOffset(2026, 12, 3, 17, 59, 59, TimeSpan.Zero)).ShouldBeTrue();
        session.IsLiveAt(new DateTimeOffset(2026, 12, 3, 18, 0, 0, TimeSpan.Zero)).ShouldBeFalse();
    }

    [Fact]
    public void Touch_OfALiveSession_SlidesItsExpiry_ButNeverRevivesAnExpiredOne_Issue15_7()
    {
        var session = new UserSession(Guid.NewGuid(), "sub", Login, TenHours);

        session.Touch(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero), TenHours);
        session.ExpiresAt.ShouldBe(new DateTimeOffset(2026, 12, 3, 22, 0, 0, TimeSpan.Zero));

        session.Touch(new DateTimeOffset(2026, 12, 3, 23, 0, 0, TimeSpan.Zero), TenHours);
        session.ExpiresAt.ShouldBe(new DateTimeOffset(2026, 12, 3, 22, 0, 0, TimeSpan.Zero));
        session.LastSeenAt.ShouldBe(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void End_IsFinal_KeepsTheFirstReason_AndTouchCannotRevive_Issue15_7()
    {
        var session = new UserSession(Guid.NewGuid(), "sub", Login, TenHours);

        session.End(SessionEndReason.Logout, Login.AddMinutes(5));
        session.End(SessionEndReason.UserDeactivated, Login.AddMinutes(6));
        session.Touch(Login.AddMinutes(7), TenHours);

        session.EndedAt.ShouldBe(Login.AddMinutes(5));
        session.EndedReason.ShouldBe(SessionEndReason.Logout);
        session.IsLiveAt(Login.AddMinutes(7)).ShouldBeFalse();
        session.ExpiresAt.ShouldBe(new DateTimeOffset(2026, 12, 3, 18, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void NewSession_WithoutAPositiveLifetime_IsRefusedInFrench()
    {
        Should.Throw<DomainException>(() => new UserSession(null, "sub", Login, TimeSpan.Zero))
            .Message.ShouldBe("La durée d'une session doit être positive.");
    }
}
