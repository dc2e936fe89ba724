namespace Portal.Domain.Common;

/// <summary>The charter's dates are calendar days in metropolitan France.</summary>
public static class FrenchTime
{
    private static readonly TimeZoneInfo Paris = FindParis();

    public static DateTimeOffset ToFrance(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Paris);

    public static DateTimeOffset StartOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Paris.GetUtcOffset(local));
    }

    private static TimeZoneInfo FindParis()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }
}
