using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Persistence;

/// <summary>The database engines the portal runs on (ADR 0021): SQLite (the default, one file) and PostgreSQL.</summary>
public enum DatabaseProvider { Sqlite, PostgreSql }

public static class DatabaseProviders
{
    /// <summary>`Database:Provider`, case-insensitive: "Sqlite" or "PostgreSql" (also "PostgreSQL", "Postgres", "Npgsql").</summary>
    public static DatabaseProvider Parse(string? value) => (value ?? "").Trim().ToUpperInvariant() switch
    {
        "" or "SQLITE" => DatabaseProvider.Sqlite,
        "POSTGRESQL" or "POSTGRES" or "NPGSQL" => DatabaseProvider.PostgreSql,
        _ => throw new InvalidOperationException(
            $"Fournisseur de base de données « {value} » non pris en charge : utilisez « Sqlite » ou « PostgreSql » (voir le README)."),
    };

    /// <summary>The provider and its migrations assembly; the caller adds what every provider shares (OpenIddict).</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder db, DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.PostgreSql => db.UseNpgsql(connectionString, o => o.MigrationsAssembly(DependencyInjection.PostgreSqlMigrationsAssembly)),
        _ => db.UseSqlite(connectionString, o => o.MigrationsAssembly(DependencyInjection.SqliteMigrationsAssembly)),
    };

    public static DatabaseProvider Of(Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database) =>
        database.IsNpgsql() ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite;
}
