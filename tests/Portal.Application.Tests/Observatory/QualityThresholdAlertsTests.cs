using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Observatory;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;
using Portal.Domain.Quality;
using Portal.Testing;

namespace Portal.Application.Tests.Observatory;

/// <summary>
/// Q2: alerts when an indicator misses the Région's threshold. A new OF (so that the demo data does not count) has
/// candidates of Camille's prescribed on Monday 4 January 2027 at 10:00 UTC and convoked 30 days later, on 3 February
/// at 10:00 (to a meeting a week after): the delay from prescription to convocation is 30.0 days on average, above the
/// default threshold of 21 days. The OF is responsible for convoking, so the alert is the OF's, not Camille's
/// organisation's. The job reads the prescriptions of the last 90 Paris days: 4 January is in the window up to
/// 3 April 2027 (4 January + 89 days) and out of it from 4 April.
/// </summary>
public sealed class QualityThresholdAlertsTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Prescribed = new(2027, 1, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Convoked = Prescribed.AddDays(30);
    private static readonly DateTimeOffset AfterConvocation = Convoked.AddHours(2);
    private TestDatabase _db = null!;
    private CurrentUser _of = null!;
    private CurrentUser _camille = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        var of = new Organisation("Organisme Seuils Test", OrganisationKind.TrainingBody, julie.TerritoryId);
        await using (var db = _db.CreateDbContext())
        {
            db.Organisations.Add(of);
            await db.SaveChangesAsync(Ct);
        }
        _of = julie with { OrganisationId = of.Id, OrganisationName = of.Name };
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    /// <summary><paramref name="count"/> candidates prescribed at <see cref="Prescribed"/> and convoked at <see cref="Convoked"/>.</summary>
    private async Task PrescribeAndConvokeLateAsync(int count)
    {
        var session = await OfferBuilder.AddSessionAsync(_db, _of.OrganisationId, new DateOnly(2027, 3, 1), new DateOnly(2027, 2, 20));
        await using var context = _db.CreateDbContext();
        for (var i = 0; i < count; i++)
        {
            var c = new Candidate(_camille.OrganisationId, _camille.UserId, "Prénom", $"Seuil{i}", new DateOnly(1985, 6, 1), "33063", Prescribed);
            context.AllCandidates.Add(c);
            var p = new Prescription(c.Id, session.Id, _of.OrganisationId, _camille.OrganisationId, _camille.UserId, 1, PrescribeTests.Form, Prescribed);
            context.AllPrescriptions.Add(p);
            Meetings.ConvokeAt(context, p, _of.UserId, Convoked);
        }
        await context.SaveChangesAsync(Ct);
    }

    private async Task RunAsync(DateTimeOffset now)
    {
        using var recording = new RecordingNotifier<QualityAlertsChanged>();
        await new QualityAlertsJob(_db, new FakeTimeProvider(now), recording.Notifier).RunAsync(Ct);
    }

    private async Task<List<QualityAlert>> ThresholdAlertsAsync(Guid organisationId)
    {
        await using var db = _db.CreateDbContext();
        return await db.QualityAlerts.AsNoTracking()
            .Where(a => a.OrganisationId == organisationId && a.Kind == QualityAlertKind.ThresholdMissed).ToListAsync(Ct);
    }

    [Fact]
    public async Task AnIndicatorAboveItsThreshold_RaisesOneAlertForTheOfResponsible_NotForThePrescriber_Q2()
    {
        await PrescribeAndConvokeLateAsync(5);

        await RunAsync(AfterConvocation);
        await RunAsync(AfterConvocation.AddHours(1));

        var alert = (await ThresholdAlertsAsync(_of.OrganisationId)).ShouldHaveSingleItem();
        (alert.IndicatorKey, alert.Count, alert.Value, alert.Threshold, alert.RaisedAt, alert.ResolvedAt)
            .ShouldBe((QualityIndicators.ConvocationDelay, 5, (double?)30.0, (double?)21.0, AfterConvocation, (DateTimeOffset?)null));
        // Camille's organisation has the same 30 days in its row, but convoking is the OF's part.
        (await ThresholdAlertsAsync(_camille.OrganisationId)).ShouldBeEmpty();

        var seen = (await new GetQualityAlerts.Handler(_db).HandleAsync(new GetQualityAlerts(), _of, Ct)).Alerts.ShouldHaveSingleItem();
        seen.Message.ShouldBe("Délai prescription → convocation (S3) : 30,0 j pour un seuil de 21,0 j (maximum), sur 5 cas des 90 derniers jours.");
    }

    [Fact]
    public async Task FewerThanFiveCases_RaiseNoThresholdAlert_Q2()
    {
        await PrescribeAndConvokeLateAsync(4);

        await RunAsync(AfterConvocation);

        (await ThresholdAlertsAsync(_of.OrganisationId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task TheRegionRaisingTheThreshold_ResolvesTheAlert_AtTheNextRun_Q2()
    {
        await PrescribeAndConvokeLateAsync(5);
        await RunAsync(AfterConvocation);
        var claire = await TestUsers.ForAsync(_db, TestUsers.Claire);

        await new SetQualityThreshold.Handler(_db, new FakeTimeProvider(AfterConvocation)).HandleAsync(new(QualityIndicators.ConvocationDelay, 30), claire, Ct);
        await RunAsync(AfterConvocation.AddHours(1));

        (await ThresholdAlertsAsync(_of.OrganisationId)).ShouldHaveSingleItem().ResolvedAt.ShouldBe(AfterConvocation.AddHours(1));
        (await new GetQualityAlerts.Handler(_db).HandleAsync(new GetQualityAlerts(), _of, Ct)).Alerts.ShouldNotContain(a => a.Kind == QualityAlertKind.ThresholdMissed);
    }

    [Fact]
    public async Task ThePrescriptionsLeavingTheNinetyDayWindow_ResolveTheAlert_OnTheFourthOfApril_NotOnTheThird_Q2()
    {
        await PrescribeAndConvokeLateAsync(5);
        await RunAsync(AfterConvocation);

        // 3 April 2027, 23:59 in Paris (UTC+2 from 28 March): 4 January is still in the window.
        var lastMinute = new DateTimeOffset(2027, 4, 3, 21, 59, 0, TimeSpan.Zero);
        await RunAsync(lastMinute);
        (await ThresholdAlertsAsync(_of.OrganisationId)).ShouldHaveSingleItem().ResolvedAt.ShouldBeNull();

        await RunAsync(lastMinute.AddMinutes(1));
        (await ThresholdAlertsAsync(_of.OrganisationId)).ShouldHaveSingleItem().ResolvedAt.ShouldBe(lastMinute.AddMinutes(1));
    }
}
