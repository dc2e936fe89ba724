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

    private static DateTimeOffset Utc(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    // S3 (ADR 0017): "at the latest 7 days before" the meeting is counted in Paris calendar days: the meeting's Paris day
    // minus 7 is the last day in time, whatever the hour. Each expectation below is worked out by hand in the comments.

    [Fact]
    public void Convocation_OnTheSeventhCalendarDayBefore_IsInTime_WhateverTheHour_S3()
    {
        // Meeting Tue 10/03/2026 09:30 Paris (08:30 UTC, winter): last day in time Tue 03/03, until 23:59 Paris (22:59 UTC).
        var info = InfoSessionAt(WinterMeeting);

        info.ConvocationDeadline.ShouldBe(new DateOnly(2026, 3, 3));
        info.IsConvocationLate(Utc(3, 3, 22, 59)).ShouldBeFalse();
        Should.NotThrow(() => info.EnsureCanConvoke(Utc(3, 3, 22, 59), lateConfirmed: false));
    }

    [Fact]
    public void Convocation_OnTheSixthCalendarDayBefore_IsLate_AndRefusedWithoutConfirmation_S3()
    {
        // Wed 04/03 00:00 Paris = 03/03 23:00 UTC: six calendar days before the 10/03.
        var info = InfoSessionAt(WinterMeeting);

        info.IsConvocationLate(Utc(3, 3, 23, 0)).ShouldBeTrue();
        var ex = Should.Throw<DomainException>(() => info.EnsureCanConvoke(Utc(3, 3, 23, 0), lateConfirmed: false));
        ex.Rule.ShouldBe("S3");
        ex.Message.ShouldContain("Convocation tardive");
        ex.Message.ShouldContain("10/03/2026 à 09:30");
        ex.Message.ShouldContain("au plus tard le 03/03/2026");
    }

    [Fact]
    public void Convocation_Late_IsAllowedOnceConfirmed_S3_S2()
    {
        var info = InfoSessionAt(WinterMeeting);

        Should.NotThrow(() => info.EnsureCanConvoke(WinterMeeting.AddDays(-1), lateConfirmed: true));
    }

    [Fact]
    public void Convocation_Refusal_GivesTheMeetingInParisTime_InSummer_S3()
    {
        var info = InfoSessionAt(SummerMeeting);

        var ex = Should.Throw<DomainException>(() => info.EnsureCanConvoke(SummerMeeting.AddDays(-2), lateConfirmed: false));

        ex.Message.ShouldContain("10/06/2026 à 09:30");
    }

    [Fact]
    public void Convocation_WellAhead_IsInTime_S3()
    {
        var info = InfoSessionAt(SummerMeeting);
        var clock = new FakeTimeProvider(SummerMeeting.AddDays(-30));

        info.IsConvocationLate(clock.GetUtcNow()).ShouldBeFalse();
        Should.NotThrow(() => info.EnsureCanConvoke(clock.GetUtcNow(), lateConfirmed: false));
    }

    [Fact]
    public void Convocation_AfterTheMeetingBegan_IsRefused_EvenConfirmed_S3()
    {
        var info = InfoSessionAt(SummerMeeting);

        var ex = Should.Throw<DomainException>(() => info.EnsureCanConvoke(SummerMeeting.AddHours(1), lateConfirmed: true));
        ex.Rule.ShouldBe("S3");
        ex.Message.ShouldContain("a déjà commencé");
    }

    [Fact]
    public void Convocation_AcrossTheSpringClockChange_IsInTimeUntilParisMidnight_NotAnHourEarly_S3()
    {
        // Clocks go forward in Paris on Sun 29/03/2026. Meeting Tue 31/03 09:00 Paris (summer, UTC+2) = 07:00 UTC.
        // Last day in time: Tue 24/03 (winter, UTC+1). 24/03 08:30 Paris = 07:30 UTC is only 6 d 23 h 30 of elapsed
        // time before the meeting (the old 168-hour rule refused it), yet it is on the 7th calendar day: in time.
        var info = InfoSessionAt(Utc(3, 31, 7, 0));
        var clock = new FakeTimeProvider(Utc(3, 24, 7, 30));

        info.ConvocationDeadline.ShouldBe(new DateOnly(2026, 3, 24));
        info.IsConvocationLate(clock.GetUtcNow()).ShouldBeFalse();
        clock.SetUtcNow(Utc(3, 24, 22, 59)); // 23:59 Paris on the 24th
        info.IsConvocationLate(clock.GetUtcNow()).ShouldBeFalse();
        clock.SetUtcNow(Utc(3, 24, 23, 0)); // 00:00 Paris on Wed 25/03
        info.IsConvocationLate(clock.GetUtcNow()).ShouldBeTrue();
    }

    [Fact]
    public void Convocation_BeforeTheSpringClockChange_BothInWinterTime_S3()
    {
        // Meeting Sat 28/03 09:00 Paris (still UTC+1) = 08:00 UTC; last day in time Sat 21/03, until 23:59 Paris = 22:59 UTC.
        var info = InfoSessionAt(Utc(3, 28, 8, 0));

        info.IsConvocationLate(Utc(3, 21, 22, 59)).ShouldBeFalse();
        info.IsConvocationLate(Utc(3, 21, 23, 0)).ShouldBeTrue();
    }

    [Fact]
    public void Convocation_AfterTheSpringClockChange_BothInSummerTime_S3()
    {
        // Meeting Fri 10/04 09:00 Paris (UTC+2) = 07:00 UTC; last day in time Fri 03/04, until 23:59 Paris = 21:59 UTC.
        var info = InfoSessionAt(Utc(4, 10, 7, 0));

        info.IsConvocationLate(Utc(4, 3, 21, 59)).ShouldBeFalse();
        info.IsConvocationLate(Utc(4, 3, 22, 0)).ShouldBeTrue();
    }

    [Fact]
    public void Convocation_AcrossTheAutumnClockChange_IsCountedInCalendarDays_S3()
    {
        // Clocks go back in Paris on Sun 25/10/2026. Meeting Tue 27/10 09:00 Paris (winter, UTC+1) = 08:00 UTC.
        // Last day in time: Tue 20/10 (summer, UTC+2), until 23:59 Paris = 21:59 UTC; 10:30 Paris that day (08:30 UTC)
        // is 6 d 23 h 30 of elapsed time before the meeting: in time all the same.
        var info = InfoSessionAt(Utc(10, 27, 8, 0));

        info.ConvocationDeadline.ShouldBe(new DateOnly(2026, 10, 20));
        info.IsConvocationLate(Utc(10, 20, 8, 30)).ShouldBeFalse();
        info.IsConvocationLate(Utc(10, 20, 21, 59)).ShouldBeFalse();
        info.IsConvocationLate(Utc(10, 20, 22, 0)).ShouldBeTrue(); // 00:00 Paris on Wed 21/10
    }

    [Fact]
    public void Convocation_AcrossTheAutumnClockChange_MoreThan168HoursAhead_CanStillBeLate_S3()
    {
        // Meeting Tue 27/10 23:30 Paris (UTC+1) = 22:30 UTC. Convocation Wed 21/10 00:15 Paris (UTC+2) = 20/10 22:15 UTC:
        // 7 d 0 h 15 of elapsed time (the 168-hour rule let it pass) but only 6 calendar days before: late.
        var info = InfoSessionAt(Utc(10, 27, 22, 30));

        info.IsConvocationLate(Utc(10, 20, 22, 15)).ShouldBeTrue();
        Should.Throw<DomainException>(() => info.EnsureCanConvoke(Utc(10, 20, 22, 15), lateConfirmed: false)).Rule.ShouldBe("S3");
    }

    [Fact]
    public void Convocation_AfterTheAutumnClockChange_BothInWinterTime_S3()
    {
        // Meeting Tue 10/11 09:00 Paris (UTC+1) = 08:00 UTC; last day in time Tue 03/11, until 23:59 Paris = 22:59 UTC.
        var info = InfoSessionAt(Utc(11, 10, 8, 0));

        info.IsConvocationLate(Utc(11, 3, 22, 59)).ShouldBeFalse();
        info.IsConvocationLate(Utc(11, 3, 23, 0)).ShouldBeTrue();
    }

    [Fact]
    public void Convocation_BeforeTheAutumnClockChange_BothInSummerTime_S3()
    {
        // Meeting Fri 23/10 09:00 Paris (UTC+2) = 07:00 UTC; last day in time Fri 16/10, until 23:59 Paris = 21:59 UTC.
        var info = InfoSessionAt(Utc(10, 23, 7, 0));

        info.IsConvocationLate(Utc(10, 16, 21, 59)).ShouldBeFalse();
        info.IsConvocationLate(Utc(10, 16, 22, 0)).ShouldBeTrue();
    }
}
