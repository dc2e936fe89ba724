using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Observatory;
using Portal.Application.Security;
using Portal.Domain.Eos;
using Portal.Testing;

namespace Portal.Application.Tests.Observatory;

/// <summary>
/// S11 as a quality indicator (Q1): the last EOS import of the period declares 10 entries, 2 of them without a
/// prescription in the portal (one more anomaly, an entry the OF did not record, has a prescription and does not
/// count): 8 / 10 = 80.0 %, under the default threshold of 100 %. An earlier import of the same period (3 / 4) is
/// replaced by the later one, not added to it.
/// </summary>
public sealed class EntriesWithPrescriptionTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateOnly From = new(2027, 5, 1);
    private static readonly DateOnly To = new(2027, 5, 31);
    private static readonly DateTimeOffset Now = new(2027, 6, 2, 9, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;
    private CurrentUser _claire = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _claire = await TestUsers.ForAsync(_db, TestUsers.Claire);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private async Task ImportAsync(string file, DateTimeOffset at, int lines, int withoutPrescription, int notRecorded = 0)
    {
        var import = new EosImport(_claire.UserId, "Claire Lefèvre", file, lines, at);
        for (var i = 0; i < withoutPrescription; i++)
            import.Add(new EosAnomaly(EosAnomalyKind.NoPrescription, i + 2, $"Inconnu {i}", null, new DateOnly(1990, 1, 1), "SES-X", null, new DateOnly(2027, 5, 3), null, null));
        for (var i = 0; i < notRecorded; i++)
            import.Add(new EosAnomaly(EosAnomalyKind.EntryNotRecorded, 20 + i, $"Connu {i}", null, new DateOnly(1991, 1, 1), "SES-Y", null, new DateOnly(2027, 5, 4), null, Guid.NewGuid()));
        await using var db = _db.CreateDbContext();
        db.AllEosImports.Add(import);
        await db.SaveChangesAsync(Ct);
    }

    private Task<GetQualityIndicators.Result> ReadAsync(CurrentUser user) =>
        new GetQualityIndicators.Handler(_db, new FakeTimeProvider(Now)).HandleAsync(new GetQualityIndicators(From, To), user, Ct);

    [Fact]
    public async Task TheLastEosImportOfThePeriod_GivesTheShareOfEntriesWithAPrescription_AgainstTheThreshold_S11()
    {
        await ImportAsync("eos-avril.csv", new DateTimeOffset(2027, 4, 30, 12, 0, 0, TimeSpan.Zero), 50, 25); // before the period
        await ImportAsync("eos-mai-1.csv", new DateTimeOffset(2027, 5, 10, 8, 0, 0, TimeSpan.Zero), 4, 1);
        await ImportAsync("eos-mai-2.csv", new DateTimeOffset(2027, 5, 28, 8, 0, 0, TimeSpan.Zero), 10, 2, notRecorded: 1);

        var r = await ReadAsync(_claire);

        var e = r.Entries.ShouldNotBeNull();
        (e.FileName, e.Declared, e.WithoutPrescription, e.Share, e.Threshold, e.Misses).ShouldBe(("eos-mai-2.csv", 10, 2, (double?)80.0, 100.0, true));
        var table = QualityTables.From(r).Single(t => t.Key == QualityTables.Entries);
        table.Rows.ShouldHaveSingleItem().ShouldBe(["eos-mai-2.csv (28/05/2027)", "10", "2", "80,0 %"]);
        QualityTables.Misses(r, QualityTables.Entries, 0, 3).ShouldBeTrue();
    }

    [Fact]
    public async Task AnImportAtOneInTheMorningInParis_OnTheFirstDay_IsInThePeriod_S11()
    {
        // 30 April 2027 at 23:00 UTC is 1 May at 01:00 in Paris (UTC+2): in May. The period's bounds are Paris midnights,
        // compared with instants stored in UTC (ADR 0003).
        await ImportAsync("eos-1er-mai.csv", new DateTimeOffset(2027, 4, 30, 23, 0, 0, TimeSpan.Zero), 10, 1);

        (await ReadAsync(_claire)).Entries!.FileName.ShouldBe("eos-1er-mai.csv");
    }

    [Fact]
    public async Task TheRegionLoweringTheS11Threshold_ClearsTheMark_S11()
    {
        await ImportAsync("eos-mai.csv", new DateTimeOffset(2027, 5, 28, 8, 0, 0, TimeSpan.Zero), 10, 2);

        await new SetQualityThreshold.Handler(_db, new FakeTimeProvider(Now)).HandleAsync(new(EntriesWithPrescription.Key, 80), _claire, Ct);

        var r = await ReadAsync(_claire);
        (r.Entries!.Threshold, r.Entries.Misses).ShouldBe((80.0, false));
        QualityTables.From(r).Single(t => t.Key == QualityTables.Thresholds).Rows.ShouldContain(row => row[1] == "S11" && row[2] == "80,0 %");
    }

    [Fact]
    public async Task WithoutAnImport_TheTableIsEmpty_AndAnMfeDoesNotGetTheRegionWideFigure_S11()
    {
        (await ReadAsync(_claire)).Entries.ShouldNotBeNull().Share.ShouldBeNull();
        await ImportAsync("eos-mai.csv", new DateTimeOffset(2027, 5, 28, 8, 0, 0, TimeSpan.Zero), 10, 2);

        var aurelie = await TestUsers.ForAsync(_db, TestUsers.Aurelie);
        var r = await ReadAsync(aurelie);

        r.Entries.ShouldBeNull();
        QualityTables.From(r).Single(t => t.Key == QualityTables.Entries).Rows.ShouldBeEmpty();
    }
}
