namespace Portal.Domain.Common;

/// <summary>The charter's dates are calendar days in metropolitan France.</summary>
public static class FrenchTime
{
    private static readonly TimeZoneInfo Paris = FindParis();

    public static DateTimeOffset ToFrance(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Paris);

    /// <summary>
    /// Midnight in Paris on <paramref name="day"/>, as a UTC instant. UTC because instants are stored on SQLite as
    /// integers of their clock time and offset (ADR 0003), which compare rightly only between instants of the same
    /// offset, and every stored instant comes from the clock in UTC: a bound with Paris's offset would shift every
    /// period by one or two hours.
    /// </summary>
    public static DateTimeOffset StartOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Paris.GetUtcOffset(local)).ToUniversalTime();
    }

    private static TimeZoneInfo FindParis()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }
}
