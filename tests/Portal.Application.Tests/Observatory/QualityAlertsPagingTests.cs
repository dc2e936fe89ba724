using Microsoft.EntityFrameworkCore;
using Portal.Application.Features.Observatory;
using Portal.Application.Security;
using Portal.Domain.Organisations;
using Portal.Domain.Quality;
using Portal.Testing;

namespace Portal.Application.Tests.Observatory;

/// <summary>
/// Q2: the open alerts are paged, ordered (oldest first) and counted in SQL, within the user's scope. Two new OFs:
/// "Organisme A" has 7 open alerts raised a day apart (A1..A7) and one resolved; "Organisme B" has one open alert.
/// </summary>
public class QualityAlertsPagingTests : IAsyncLifetime
{
    /// <summary>The provider the tests run on: SQLite here, PostgreSQL in <see cref="QualityAlertsPagingTestsOnPostgreSql"/> (ADR 0021).</summary>
    protected virtual Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.Sqlite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;
    private CurrentUser _ofA = null!;
    private CurrentUser _ofB = null!;
    private readonly List<Guid> _openA = [];
    private Guid _resolvedA;
    private Guid _openB;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(Provider);
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        await using var db = _db.CreateDbContext();
        var a = new Organisation("Organisme A", OrganisationKind.TrainingBody, julie.TerritoryId);
        var b = new Organisation("Organisme B", OrganisationKind.TrainingBody, julie.TerritoryId);
        db.Organisations.AddRange(a, b);
        for (var n = 1; n <= 7; n++)
        {
            var alert = new QualityAlert(QualityAlertKind.ThresholdMissed, a.Id, $"indicateur-{n}", 5 + n, 0.5, 0.8, Start.AddDays(n));
            db.QualityAlerts.Add(alert);
            _openA.Add(alert.Id);
        }
        var resolved = new QualityAlert(QualityAlertKind.ThresholdMissed, a.Id, "indicateur-resolu", 6, 0.5, 0.8, Start);
        var other = new QualityAlert(QualityAlertKind.DecisionsMissing, b.Id, 3, Start.AddHours(1));
        db.QualityAlerts.AddRange(resolved, other);
        await db.SaveChangesAsync(Ct);
        await db.QualityAlerts.Where(x => x.Id == resolved.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.ResolvedAt, Start.AddDays(10)), Ct);
        (_resolvedA, _openB) = (resolved.Id, other.Id);
        _ofA = julie with { OrganisationId = a.Id, OrganisationName = a.Name };
        _ofB = julie with { OrganisationId = b.Id, OrganisationName = b.Name };
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task SevenOpenAlerts_PageSizeThree_ThirdPageHoldsTheNewest_TotalSeven_OnlyItsOwn_Q2()
    {
        var handler = new GetQualityAlerts.Handler(_db);

        var pages = new List<GetQualityAlerts.Result>();
        for (var skip = 0; skip < 9; skip += 3) pages.Add(await handler.HandleAsync(new GetQualityAlerts(skip, 3), _ofA, Ct));

        pages[0].Alerts.Select(x => x.Id).ShouldBe(_openA.Take(3));
        pages[1].Alerts.Select(x => x.Id).ShouldBe(_openA.Skip(3).Take(3));
        pages[2].Alerts.Select(x => x.Id).ShouldBe([_openA[6]]);
        pages.ShouldAllBe(p => p.Total == 7);
        var seen = pages.SelectMany(p => p.Alerts).Select(x => x.Id).ToList();
        seen.ShouldNotContain(_resolvedA);
        seen.ShouldNotContain(_openB);

        var b = await handler.HandleAsync(new GetQualityAlerts(0, 3), _ofB, Ct);
        b.Alerts.Select(x => x.Id).ShouldBe([_openB]);
        b.Total.ShouldBe(1);
    }
}

/// <summary>The same tests on PostgreSQL (ADR 0021): skipped with the reason where PostgreSQL 15 is not installed.</summary>
public sealed class QualityAlertsPagingTestsOnPostgreSql : QualityAlertsPagingTests
{
    protected override Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql;
}
