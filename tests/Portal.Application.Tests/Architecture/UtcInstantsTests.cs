using Microsoft.EntityFrameworkCore;
using Portal.Domain.Candidates;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.Application.Tests.Architecture;

/// <summary>
/// Issue #16 point 2 (ADR 0021): instants are stored as UTC by construction on both providers. An instant built with a
/// local offset (the bug of commit f6641a7) reads back as the same instant in UTC, and SQL compares and orders it by the
/// instant, not by its local clock reading.
/// </summary>
public class UtcInstantsTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TestDatabase _db = null!;

    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync(Provider);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task AnInstantWithAParisSummerOffset_ReadsBackAsTheSameInstantInUtc_AndSqlComparesInstants()
    {
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        // 10:00 in Paris in summer time is 08:00 UTC; the other one is 09:00 UTC: later, though its clock reads earlier.
        var paris = new DateTimeOffset(2027, 6, 10, 10, 0, 0, TimeSpan.FromHours(2));
        var utcLater = new DateTimeOffset(2027, 6, 10, 9, 0, 0, TimeSpan.Zero);
        var local = new Candidate(camille.OrganisationId, camille.UserId, "Alix", "HeureDeParis", new DateOnly(2000, 1, 1), "33063", paris);
        var later = new Candidate(camille.OrganisationId, camille.UserId, "Alix", "HeureUtc", new DateOnly(2000, 1, 1), "33063", utcLater);
        await using (var db = _db.CreateDbContext())
        {
            db.AllCandidates.AddRange(local, later);
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = _db.CreateDbContext())
        {
            var read = await db.AllCandidates.AsNoTracking().SingleAsync(c => c.Id == local.Id, Ct);
            read.CreatedAt.ShouldBe(new DateTimeOffset(2027, 6, 10, 8, 0, 0, TimeSpan.Zero));
            read.CreatedAt.Offset.ShouldBe(TimeSpan.Zero);

            // In SQL: before 08:30 UTC (given with Paris's offset: 10:30+02:00) is the Paris one only.
            var bound = new DateTimeOffset(2027, 6, 10, 10, 30, 0, TimeSpan.FromHours(2));
            Guid[] ours = [local.Id, later.Id];
            var before = await db.AllCandidates.Where(c => ours.Contains(c.Id) && c.CreatedAt < bound).Select(c => c.Id).ToListAsync(Ct);
            before.ShouldBe([local.Id]);
            before.ShouldNotContain(later.Id);
            var ordered = await db.AllCandidates.Where(c => ours.Contains(c.Id)).OrderBy(c => c.CreatedAt).Select(c => c.Id).ToListAsync(Ct);
            ordered.ShouldBe([local.Id, later.Id]);
        }
    }
}

/// <summary>The same on PostgreSQL (timestamptz): skipped with the reason without PostgreSQL 15.</summary>
public sealed class UtcInstantsTestsOnPostgreSql : UtcInstantsTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
