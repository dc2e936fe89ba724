using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// Instants stored as UTC by construction (issue #16 point 2, ADR 0021): every <see cref="DateTimeOffset"/> column goes
/// through one of these converters, which normalise any offset to UTC (the same instant) on the way in, on both
/// providers, so that a value built with a local offset (the bug of commit f6641a7) can neither be stored with it nor
/// compared in SQL against UTC values in another encoding. What is read back is always UTC (offset zero).
/// </summary>
public static class UtcInstants
{
    private static readonly DateTimeOffsetToBinaryConverter Binary = new();

    /// <summary>SQLite: the ADR 0003 integer encoding ((ticks / 1000) &lt;&lt; 11 | offset minutes) of the UTC instant, so the offset bits are always 0.</summary>
    public sealed class SqliteConverter() : ValueConverter<DateTimeOffset, long>(v => ToSqlite(v), v => FromSqlite(v));

    /// <summary>PostgreSQL: <c>timestamptz</c>, which Npgsql writes only from offset zero: normalised here instead of refused.</summary>
    public sealed class PostgreSqlConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v.ToUniversalTime());

    public static long ToSqlite(DateTimeOffset value) => (long)Binary.ConvertToProvider(value.ToUniversalTime())!;

    public static DateTimeOffset FromSqlite(long value) => ((DateTimeOffset)Binary.ConvertFromProvider(value)!).ToUniversalTime();
}
