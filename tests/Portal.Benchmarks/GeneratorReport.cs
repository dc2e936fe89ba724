using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Catalogue;
using Portal.Application.Features.Home;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Seed;

namespace Portal.Benchmarks;

public static class GeneratorReport
{
    public const string Part = "1. Data at scale (generator)";

    public static void Add(Report report, Generator generator, string database)
    {
        report.Note(Part, "A fresh SQLite file migrated by the app's own `DatabaseInitializer` (real migrations, reference data, demo accounts), "
            + "then bulk inserts: one prepared `SqliteCommand` per table, reused for every row, committed every 100,000 rows, "
            + "`journal_mode=DELETE` + `synchronous=OFF` during the load, the secondary indexes of Candidates, Prescriptions and PrescriptionTransitions dropped during the load and rebuilt from their own definitions after it (included in the time), then the planner statistics taken as a starting server takes them (`DatabaseInitializer.SqliteStatisticsSql`), WAL restored at the end. Seeded `Random`: the same rows every run. "
            + "Histories in every state: each prescription has one transition row per step of its path.");
        report.Add(Part, "migrations + reference data + demo data", generator.MigrateElapsed.TotalSeconds, "s", "wall clock of DatabaseInitializer.InitializeAsync");
        report.Add(Part, "bulk generation", generator.Elapsed.TotalSeconds, "s", "wall clock of the bulk inserts (all tables)");
        report.Add(Part, "rows generated", generator.TotalRows, "rows", string.Join(", ", generator.RowsByTable.Select(kv => $"{kv.Key} {kv.Value:N0}")));
        report.Add(Part, "insert rate", generator.TotalRows / generator.Elapsed.TotalSeconds, "rows/s", "rows generated / bulk generation time");
        report.Add(Part, "database size", new FileInfo(database).Length / (1024.0 * 1024), "MB", "size of the SQLite file after generation");
    }

    /// <summary>Reads the generated rows back through the app's EF context and real handlers (the storage conventions match).</summary>
    public static async Task VerifyAsync(Report report, string database)
    {
        var watch = Stopwatch.StartNew();
        await using var services = Generator.BuildServices(database, seedDemo: false);
        var factory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var prescriptions = await db.AllPrescriptions.CountAsync();
        var sample = await db.AllPrescriptions.Include(p => p.History).OrderByDescending(p => p.CreatedAt).Take(50).ToListAsync();
        if (sample.Count == 0 || sample.Any(p => p.History.Count == 0 || p.History[^1].To != p.Status))
            throw new InvalidOperationException("Generated prescriptions do not read back with their history through EF.");
        var tooMany = await db.AllPrescriptions.Where(p => Portal.Domain.Prescriptions.PrescriptionLifecycle.Active.Contains(p.Status))
            .GroupBy(p => p.CandidateId).Where(g => g.Count() > 3).CountAsync();
        if (tooMany > 0) throw new InvalidOperationException($"{tooMany} candidates have more than 3 active choices (P6).");

        var camille = await DemoUsers.ForAsync(db, "camille.durand");
        var dashboard = await services.GetRequiredService<GetPrescriberDashboard.Handler>().HandleAsync(new GetPrescriberDashboard(false, Take: 50), camille);
        var julie = await DemoUsers.ForAsync(db, "julie.moreau");
        var session = await DemoUsers.BusiestSessionAsync(db, julie.OrganisationId);
        var waitlist = await services.GetRequiredService<GetSessionWaitlist.Handler>().HandleAsync(new GetSessionWaitlist(session), julie);
        var catalogue = await services.GetRequiredService<SearchCatalogue.Handler>().HandleAsync(new SearchCatalogue(Words: "formation"));
        if (dashboard.Total == 0 || catalogue.Total == 0) throw new InvalidOperationException("The handlers read nothing from the generated data.");
        report.Add(Part, "read back through EF and handlers", watch.Elapsed.TotalSeconds, "s",
            $"EF counted {prescriptions:N0} prescriptions, loaded 50 with their history, no candidate above 3 active choices (P6); "
            + $"GetPrescriberDashboard (camille.durand) total {dashboard.Total:N0} candidates, GetSessionWaitlist (julie.moreau) read a session, "
            + $"SearchCatalogue(\"formation\") total {catalogue.Total:N0} fiches");
        _ = waitlist;
    }
}

/// <summary>The <see cref="CurrentUser"/> of a demo account, as ResolveUser builds it after login.</summary>
public static class DemoUsers
{
    public static async Task<CurrentUser> ForAsync(PortalDbContext db, string local)
    {
        var email = DemoData.Email(local);
        var user = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Email == email);
        var orgId = user.Memberships.OrderBy(m => m.Role).First().OrganisationId;
        var org = await db.Organisations.SingleAsync(o => o.Id == orgId);
        return new CurrentUser(user.Id, user.DisplayName, org.Id, org.Name, org.Kind, org.TerritoryId,
            user.Memberships.Where(m => m.OrganisationId == orgId).Select(m => m.Role).ToHashSet());
    }

    /// <summary>The OF's open session with the most prescriptions (the heaviest "session" page it has).</summary>
    public static async Task<Guid> BusiestSessionAsync(PortalDbContext db, Guid trainingBody) =>
        await db.AllPrescriptions.Where(p => p.TrainingBodyId == trainingBody)
            .Where(p => db.Sessions.Any(s => s.Id == p.SessionId && s.Status == Portal.Domain.Offer.SessionStatus.Open))
            .GroupBy(p => p.SessionId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
}
