using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

public sealed class InfoSessionTests
{
    // 10/03/2026 08:30 UTC = 09:30 in Paris (winter, UTC+1).
    private static readonly DateTimeOffset WinterMeeting = new(2026, 3, 10, 8, 30, 0, TimeSpan.Zero);

    // 10/06/2026 07:30 UTC = 09:30 in Paris (summer, UTC+2).
    private static readonly DateTimeOffset SummerMeeting = new(2026, 6, 10, 7, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Create_WithoutPlace_IsRefused_S3(string place)
    {
        var ex = Should.Throw<DomainException>(() =>
            new InfoSession(Guid.CreateVersion7(), InfoSessionKind.Collective, WinterMeeting, place));

        ex.Rule.ShouldBe("S3");
        ex.Message.ShouldContain("lieu");
    }

    [Fact]
    public void Create_KeepsItsSessionKindAndTime_AndTrimsTexts()
    {
        var sessionId = Guid.CreateVersion7();

        var info = new InfoSession(sessionId, InfoSessionKind.Individual, WinterMeeting, "  Salle 2, GRETA  ", "  CV à jour ");

        info.SessionId.ShouldBe(sessionId);
        info.Kind.ShouldBe(InfoSessionKind.Individual);
        info.StartsAt.ShouldBe(WinterMeeting);
        info.Place.ShouldBe("Salle 2, GRETA");
        info.WhatToBring.ShouldBe("CV à jour");
    }

    [Fact]
    public void Convocation_ExactlySevenDaysBefore_IsInTime_S3()
    {
        var info = InfoSessionAt(WinterMeeting);
        var clock = new FakeTimeProvider(WinterMeeting.AddDays(-7));

        Should.NotThrow(() => info.EnsureConvocationInTime(clock.GetUtcNow()));
    }

    [Fact]
    public void Convocation_SevenDaysMinusOneMinuteBefore_IsRefused_S3()
    {
        var info = InfoSessionAt(WinterMeeting);
        var clock = new FakeTimeProvider(WinterMeeting.AddDays(-7));
        clock.Advance(TimeSpan.FromMinutes(1));

        var ex = Should.Throw<DomainException>(() => info.EnsureConvocationInTime(clock.GetUtcNow()));

        ex.Rule.ShouldBe("S3");
        ex.Message.ShouldContain("7 jours avant");
    }

    [Fact]
    public void Convocation_Refusal_GivesTheMeetingInParisTime_InWinter_S3()
    {
        var info = InfoSessionAt(WinterMeeting);

        var ex = Should.Throw<DomainException>(() => info.EnsureConvocationInTime(WinterMeeting.AddDays(-1)));

        ex.Message.ShouldContain("10/03/2026 à 09:30");
    }

    [Fact]
    public void Convocation_Refusal_GivesTheMeetingInParisTime_InSummer_S3()
    {
        var info = InfoSessionAt(SummerMeeting);

        var ex = Should.Throw<DomainException>(() => info.EnsureConvocationInTime(SummerMeeting.AddDays(-2)));

        ex.Message.ShouldContain("10/06/2026 à 09:30");
    }

    [Fact]
    public void Convocation_WellAhead_IsInTime_S3()
    {
        var info = InfoSessionAt(SummerMeeting);
        var clock = new FakeTimeProvider(SummerMeeting.AddDays(-30));

        Should.NotThrow(() => info.EnsureConvocationInTime(clock.GetUtcNow()));
    }

    [Fact]
    public void Convocation_AfterTheMeeting_IsRefused_S3()
    {
        var info = InfoSessionAt(SummerMeeting);

        Should.Throw<DomainException>(() => info.EnsureConvocationInTime(SummerMeeting.AddHours(1))).Rule.ShouldBe("S3");
    }

    [Fact]
    public void Convocation_NoticeIsCountedInElapsedTime_AcrossTheSpringClockChange_S3()
    {
        // Clocks go forward in Paris on 29/03/2026: 7 × 24 h before 31/03 08:00 UTC is 24/03 08:00 UTC.
        var meeting = new DateTimeOffset(2026, 3, 31, 8, 0, 0, TimeSpan.Zero);
        var info = InfoSessionAt(meeting);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 24, 8, 0, 0, TimeSpan.Zero));

        Should.NotThrow(() => info.EnsureConvocationInTime(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromSeconds(1));
        Should.Throw<DomainException>(() => info.EnsureConvocationInTime(clock.GetUtcNow()));
    }
}
