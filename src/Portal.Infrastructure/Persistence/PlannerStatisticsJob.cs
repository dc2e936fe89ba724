using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// Issue #12: keeps SQLite's query planner statistics true while the server runs. <see cref="DatabaseInitializer"/> takes
/// them at start-up only; a portal started on a small database and grown to a million prescriptions without a restart
/// would plan with the small one's figures (measured on the benchmark's data: the OF's session list took 184 ms instead
/// of 2.6 ms, the dashboard 42 ms instead of 14 ms). Hourly; each run re-analyses only the tables whose size changed much,
/// reading a few hundred rows per index. PostgreSQL keeps its own statistics (autovacuum's analyse): nothing to do there.
/// </summary>
public sealed class PlannerStatisticsJob(IDbContextFactory<PortalDbContext> factory) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!db.Database.IsSqlite()) return;
        await db.Database.ExecuteSqlRawAsync(DatabaseInitializer.SqliteStatisticsSql, cancellationToken);
    }
}
