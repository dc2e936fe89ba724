using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Arbitrations;
using Portal.Application.Tests.Support;
using Portal.Domain.Arbitrations;
using Portal.Testing;

namespace Portal.Application.Tests.Arbitrations;

/// <summary>S10: the arbitrator's list is paged, ordered and counted in SQL. Its own database: the totals are exact.</summary>
public sealed class GetArbitrationsPagingTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);
    private readonly RecordingNotifier<ArbitrationChanged> _live = new();

    public void Dispose() => _live.Dispose();

    [Fact]
    public async Task SevenCases_PageSizeThree_OpenFirstNewestFirst_ThirdPageHoldsOne_OtherMfeSeesNone_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var pierre = await fixture.UserAsync(TestUsers.Pierre);
        var open = new OpenArbitration.Handler(fixture.Database, _clock, _live.Notifier);
        var decide = new DecideArbitration.Handler(fixture.Database, _clock, _live.Notifier);
        var reader = new GetArbitrations.Handler(fixture.Database);

        // c1..c7 opened an hour apart for the MFE du Médoc; c2 and c5 decided; one case in Béarn for the MFE du Béarn.
        var cases = new List<Guid>();
        for (var n = 1; n <= 7; n++)
        {
            _clock.Advance(TimeSpan.FromHours(1));
            var prescription = await ArbitrationTests.RefusedPrescriptionAsync(fixture, julie);
            cases.Add(await open.HandleAsync(new OpenArbitration(prescription, $"Désaccord n° {n}."), camille, Ct));
        }
        foreach (var decided in new[] { cases[1], cases[4] })
            await decide.HandleAsync(new DecideArbitration(decided, ArbitrationOutcome.Upheld, "Décision confirmée.", null), aurelie, Ct);
        var bearn = await open.HandleAsync(new OpenArbitration(await ArbitrationTests.RefusedPrescriptionAsync(fixture, thomas, "64445"), "Désaccord."), thomas, Ct);

        var pages = new List<GetArbitrations.Result>();
        for (var skip = 0; skip < 9; skip += 3) pages.Add(await reader.HandleAsync(new GetArbitrations(Skip: skip, Take: 3), aurelie, Ct));

        // Open, newest first: c7, c6, c4, c3, c1; then decided, newest first: c5, c2.
        pages[0].Rows.Select(r => r.Id).ShouldBe([cases[6], cases[5], cases[3]]);
        pages[1].Rows.Select(r => r.Id).ShouldBe([cases[2], cases[0], cases[4]]);
        pages[2].Rows.Select(r => r.Id).ShouldBe([cases[1]]);
        pages.ShouldAllBe(p => p.Total == 7 && p.Open == 5);
        pages.SelectMany(p => p.Rows).ShouldNotContain(r => r.Id == bearn);

        var pierreSees = await reader.HandleAsync(new GetArbitrations(Take: 3), pierre, Ct);
        pierreSees.Rows.Select(r => r.Id).ShouldBe([bearn]);
        (pierreSees.Total, pierreSees.Open).ShouldBe((1, 1));
    }
}
