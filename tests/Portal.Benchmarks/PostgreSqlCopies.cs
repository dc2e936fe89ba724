using Npgsql;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// Issue #16: the generated SQLite file copied ONCE into a PostgreSQL base database by the portal's own verb
/// (<c>copy-to-postgresql</c>, timed and reported), then cloned for each use (<c>CREATE DATABASE … TEMPLATE</c>, a file
/// copy on the server): the jobs part gets a fresh clone per scenario, the server parts one of their own.
/// </summary>
public sealed class PostgreSqlCopies(Report report, BenchmarkOptions options, string database, TextWriter log)
{
    private string? _base;

    /// <summary>A new database holding the generated data, dropped by <see cref="DropAsync"/>.</summary>
    public async Task<string> CloneAsync()
    {
        _base ??= await PortalFarm.CopyToPostgreSqlAsync(report, options, database, log, await EmptyDatabaseAsync());
        var source = new NpgsqlConnectionStringBuilder(_base);
        // A template cannot be copied while a connection is open on it.
        await using (var pooled = new NpgsqlConnection(_base)) NpgsqlConnection.ClearPool(pooled);
        var name = "bench_" + Guid.NewGuid().ToString("N");
        await ExecuteOnServerAsync($"CREATE DATABASE {name} TEMPLATE \"{source.Database}\"");
        source.Database = name;
        return source.ConnectionString;
    }

    public async Task DropAsync(string connectionString)
    {
        await using (var pooled = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(pooled);
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" WITH (FORCE)");
    }

    private async Task<string> EmptyDatabaseAsync()
    {
        if (options.PostgreSql is { } given) return given;
        var cluster = await PostgreSqlCluster.GetAsync();
        return await cluster.CreateDatabaseAsync("benchmark-empty", _ => Task.CompletedTask);
    }

    /// <summary>A statement on the server's maintenance database (names made here, not input).</summary>
    private async Task ExecuteOnServerAsync(string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(_base) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }
}
