using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Architecture;

/// <summary>
/// Issue #14 (3), ADR 0026: the migration <c>NonSelectionReasonList</c> installs the list and gives every reason already
/// stored in a decision the code of its kind's installed reason (hand-written SQL: whoever regenerates the migrations
/// must keep it). A demo database is migrated down before it (codes removed), then up again. SQLite here, PostgreSQL in
/// <see cref="NonSelectionReasonListMigrationOnPostgreSqlTests"/>.
/// </summary>
public class NonSelectionReasonListMigrationTests : IAsyncLifetime
{
    protected virtual Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.Sqlite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync(Provider);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<NonSelectionReason>> ReasonsAsync()
    {
        await using var db = _db.CreateDbContext();
        return [.. (await db.AllPrescriptions.AsNoTracking().Where(p => p.Status == PrescriptionStatus.NotSelected)
            // In a stable order: PostgreSQL returns the rows the migration rewrote in another order than before it.
            .OrderBy(p => p.Id).Select(p => p.NonSelectionReasons).ToListAsync(Ct))
            .SelectMany(r => r)];
    }

    [Fact]
    public async Task OlderDecisions_GetTheCodeOfTheirKindsInstalledReason_ADR0026()
    {
        var kinds = (await ReasonsAsync()).Select(r => r.Kind).ToList();
        kinds.ShouldNotBeEmpty("the demo data should hold refusals with reasons");
        await using (var db = _db.CreateDbContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var before = migrations[migrations.FindIndex(m => m.EndsWith("_NonSelectionReasonList", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(before, cancellationToken: Ct);
        }
        (await ReasonsAsync()).ShouldAllBe(r => r.Code == null);

        await using (var db = _db.CreateDbContext())
            await db.GetService<IMigrator>().MigrateAsync(cancellationToken: Ct);

        var after = await ReasonsAsync();
        after.Select(r => r.Kind).ShouldBe(kinds);
        // The installed codes, by hand: one per kind.
        var expected = new Dictionary<NonSelectionReasonKind, string>
        {
            [NonSelectionReasonKind.PrerequisitesNotMet] = "PREREQUIS", [NonSelectionReasonKind.ProjectNotValidated] = "PROJET",
            [NonSelectionReasonKind.Unavailable] = "INDISPONIBLE", [NonSelectionReasonKind.NotReachable] = "INJOIGNABLE",
            [NonSelectionReasonKind.SessionFull] = "COMPLET", [NonSelectionReasonKind.AbsentFromInfoSession] = "ABSENCE_IC",
            [NonSelectionReasonKind.Other] = "AUTRE",
        };
        after.ShouldAllBe(r => r.Code == expected[r.Kind]);
        await using var check = _db.CreateDbContext();
        (await check.NonSelectionReasons.CountAsync(Ct)).ShouldBe(7);
    }
}

/// <summary>The same on PostgreSQL (ADR 0021; skipped with the reason where PostgreSQL is missing).</summary>
public sealed class NonSelectionReasonListMigrationOnPostgreSqlTests : NonSelectionReasonListMigrationTests
{
    protected override Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql;
}
