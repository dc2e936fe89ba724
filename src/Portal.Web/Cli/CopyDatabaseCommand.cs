using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Persistence;

namespace Portal.Web.Cli;

/// <summary>
/// <c>copy-to-postgresql CONNECTION_STRING</c> (issue #16, point 7): copies the configured SQLite portal database (same
/// settings as the web app, and any <c>--Section:Key=value</c> after the connection string) into an EMPTY PostgreSQL
/// database, which it migrates first: every table, ids kept, the observatory facts rebuilt, in one transaction
/// (<see cref="DatabaseCopier"/>); then prints each table's row counts and whether its checksums agree.
/// Exit code 0 when every table matches, 1 with the reason on stderr (nothing copied, or a table that differs),
/// 2 for a usage error. Stop the portal before copying: rows written during the copy would not be in it.
/// </summary>
public static class CopyDatabaseCommand
{
    public const string Name = "copy-to-postgresql";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == Name;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            await stderr.WriteLineAsync($"Usage : {Name} \"Host=…;Database=…;Username=…;Password=…\" [--Section:Clé=valeur ...]");
            return LheoCommands.Usage;
        }
        try
        {
            await using var services = CliServices.Build(args[2..]);
            var sourceFactory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
            await using (var probe = await sourceFactory.CreateDbContextAsync(cancellationToken))
            {
                if (!probe.Database.IsSqlite())
                {
                    await stderr.WriteLineAsync("La base configurée n'est pas SQLite (Database:Provider) : rien à copier vers PostgreSQL.");
                    return LheoCommands.Failure;
                }
                var file = new SqliteConnectionStringBuilder(probe.Database.GetConnectionString()).DataSource;
                if (!File.Exists(file))
                {
                    await stderr.WriteLineAsync($"Base SQLite introuvable : {file}");
                    return LheoCommands.Failure;
                }
                // A database of an older version of the portal is brought to the current schema first (as at start-up).
                await probe.Database.MigrateAsync(cancellationToken);
            }

            var targetOptions = DatabaseProviders.Configure(new DbContextOptionsBuilder<PortalDbContext>(), DatabaseProvider.PostgreSql, args[1])
                .UseOpenIddict().Options;
            var copier = new DatabaseCopier(sourceFactory.CreateDbContext, () => new PortalDbContext((DbContextOptions<PortalDbContext>)targetOptions), stdout);
            var report = await copier.CopyAsync(cancellationToken);

            foreach (var table in report)
            {
                var verdict = table.Matches ? "identique" : "DIFFÉRENTE";
                await stdout.WriteLineAsync($"{table.Table} : {table.SourceRows} → {table.TargetRows} ligne(s), somme de contrôle {verdict}");
            }
            var different = report.Where(t => !t.Matches).Select(t => t.Table).ToList();
            if (different.Count > 0)
            {
                await stderr.WriteLineAsync($"Copie faite mais différente de la source pour : {string.Join(", ", different)}.");
                return LheoCommands.Failure;
            }
            await stdout.WriteLineAsync($"Copie vérifiée : {report.Count} tables, {report.Sum(t => t.TargetRows)} lignes, sommes de contrôle identiques.");
            return LheoCommands.Success;
        }
        catch (InvalidOperationException ex)
        {
            await stderr.WriteLineAsync(ex.Message);
            return LheoCommands.Failure;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or DbUpdateException or ArgumentException or SqliteException)
        {
            // EF's own message only says to look at the inner exception: the database's is the one that explains.
            var cause = ex;
            while (cause.InnerException is { } inner) cause = inner;
            await stderr.WriteLineAsync($"Erreur de base de données, rien n'a été copié : {cause.Message}");
            return LheoCommands.Failure;
        }
    }
}
