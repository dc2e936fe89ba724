using System.Globalization;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;
using Portal.Infrastructure.Seed;

namespace Portal.Infrastructure.Persistence;

/// <summary>At start-up: applies migrations, switches SQLite to WAL, loads reference data, seeds the demo, refreshes the planner's statistics.</summary>
public sealed class DatabaseInitializer(IDbContextFactory<PortalDbContext> factory, PortalOptions options, TimeProvider clock, ILogger<DatabaseInitializer> logger)
{
    /// <summary>
    /// SQLite: refreshes the query planner's statistics of every table whose size changed much since they were taken, reading
    /// at most about 400 rows per index (analysis_limit), so it takes milliseconds even at a million prescriptions.
    /// </summary>
    public const string SqliteStatisticsSql = "PRAGMA analysis_limit=400; PRAGMA optimize=0x10002;";

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        await LoadReferenceDataAsync(db, cancellationToken);
        // Q1, Q3, Q4 (ADR 0011): the triggers that keep the observatory facts, and the backfill of older rows.
        if (await ObservatoryFactsSql.EnsureAsync(db, cancellationToken))
            logger.LogInformation("Observatory facts: triggers created and every prescription's facts computed");
        if (options.SeedDemoData && !await db.Organisations.AnyAsync(cancellationToken))
        {
            logger.LogInformation("Empty database: seeding the Nouvelle-Aquitaine demo dataset");
            await DemoData.SeedAsync(db, clock.GetUtcNow(), cancellationToken);
        }
        if (db.Database.IsSqlite())
        {
            // Table statistics for the query planner, bounded in time (analysis_limit): without them SQLite chose the
            // organisation index for the dashboard's choices and read 100 times the rows at 1M prescriptions (issue #7).
            await db.Database.ExecuteSqlRawAsync(SqliteStatisticsSql, cancellationToken);
        }
    }

    private static async Task LoadReferenceDataAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Communes.AnyAsync(cancellationToken))
        {
            foreach (var f in ReadCsv("ReferenceData.communes-nouvelle-aquitaine.csv"))
            {
                db.Communes.Add(new Commune
                {
                    InseeCode = f[0], Name = f[1], DepartementCode = f[2], DepartementName = f[3], PostalCodes = f[5],
                    Population = int.Parse(f[6], CultureInfo.InvariantCulture),
                    Latitude = double.Parse(f[7], CultureInfo.InvariantCulture),
                    Longitude = double.Parse(f[8], CultureInfo.InvariantCulture),
                });
            }
        }
        if (!await db.RomeCodes.AnyAsync(cancellationToken))
        {
            foreach (var f in ReadCsv("ReferenceData.rome-v3-codes.csv"))
                db.RomeCodes.Add(new RomeCode { Code = f[0], Label = f[1] });
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>Reads an embedded CSV (header skipped); handles double-quoted fields.</summary>
    internal static IEnumerable<string[]> ReadCsv(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Missing reference data {resource}");
        using var reader = new StreamReader(stream);
        _ = reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            yield return SplitCsvLine(line);
        }
    }

    internal static string[] SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else current.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(ch);
        }
        fields.Add(current.ToString());
        return [.. fields];
    }
}
