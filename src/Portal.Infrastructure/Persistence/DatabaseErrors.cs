using Microsoft.Data.Sqlite;
using Npgsql;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// Provider-neutral reading of a database failure (ADR 0021), for the layers above that must not know the engine:
/// the exception itself or any inner exception (EF wraps them in DbUpdateException) is looked at.
/// </summary>
public static class DatabaseErrors
{
    /// <summary>
    /// The database could not serve the statement now but may in a moment: SQLite busy or locked (codes 5, 6);
    /// PostgreSQL serialization failure, deadlock, lock not available, too many connections (40001, 40P01, 55P03, 53300).
    /// </summary>
    public static bool IsBusy(Exception exception) => Causes(exception).Any(e => e switch
    {
        SqliteException s => s.SqliteErrorCode is 5 or 6,
        PostgresException p => p.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.TooManyConnections,
        _ => false,
    });

    /// <summary>A unique index or primary key refused the row: SQLite constraint (19, extended 2067 or 1555); PostgreSQL 23505.</summary>
    public static bool IsUniqueViolation(Exception exception) => Causes(exception).Any(e => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    });

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            yield return e;
    }
}
