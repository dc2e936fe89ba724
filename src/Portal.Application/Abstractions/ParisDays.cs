using System.Linq.Expressions;
using Portal.Domain.Common;

namespace Portal.Application.Abstractions;

/// <summary>Filters of the journals and registers by days of the Paris calendar (instants are stored in UTC, ADR 0021).</summary>
public static class ParisDays
{
    /// <summary>
    /// The rows whose instant <paramref name="at"/> falls on the Paris days from <paramref name="from"/> to
    /// <paramref name="to"/>, both included; either end may be open. Compared in SQL with the first instant of each day.
    /// </summary>
    public static IQueryable<T> WithinParisDays<T>(this IQueryable<T> query, Expression<Func<T, DateTimeOffset>> at, DateOnly? from, DateOnly? to)
    {
        if (from is { } first)
        {
            var since = FrenchTime.StartOfDay(first);
            query = query.Where(Compare(at, () => since, Expression.GreaterThanOrEqual));
        }
        if (to is { } last)
        {
            var before = FrenchTime.StartOfDay(last.AddDays(1));
            query = query.Where(Compare(at, () => before, Expression.LessThan));
        }
        return query;
    }

    // The bound is read from its closure, so that EF sends it as a parameter (one cached query whatever the days).
    private static Expression<Func<T, bool>> Compare<T>(Expression<Func<T, DateTimeOffset>> at, Expression<Func<DateTimeOffset>> bound,
        Func<Expression, Expression, BinaryExpression> compare) =>
        Expression.Lambda<Func<T, bool>>(compare(at.Body, bound.Body), at.Parameters);
}
