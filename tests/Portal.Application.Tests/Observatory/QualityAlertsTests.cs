using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Observatory;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;
using Portal.Domain.Quality;
using Portal.Testing;

namespace Portal.Application.Tests.Observatory;

/// <summary>
/// Q2: the quality alerts. A new OF (so that the demo data's own undecided candidates do not count) has two
/// candidates of Camille's, convoked on 5 March 2027 at 09:00 to a meeting on 12 March at 09:00, attended, never
/// decided: from 27 March at 09:00 (15 days after the meeting) the OF has an alert for 2 candidates.
/// </summary>
public sealed class QualityAlertsTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Meeting = new(2027, 3, 12, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Due = Meeting.AddDays(QualityIndicators.UndecidedAfterDays);
    private TestDatabase _db = null!;
    private CurrentUser _of = null!;
    private readonly List<Guid> _prescriptions = [];

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        Organisation of;
        await using (var db = _db.CreateDbContext())
        {
            of = new Organisation("Organisme Qualité Test", OrganisationKind.TrainingBody, julie.TerritoryId);
            db.Organisations.Add(of);
            await db.SaveChangesAsync(Ct);
        }
        _of = julie with { OrganisationId = of.Id, OrganisationName = of.Name };
        var session = await OfferBuilder.AddSessionAsync(_db, of.Id, new DateOnly(2027, 4, 1), new DateOnly(2027, 3, 25));
        await using var context = _db.CreateDbContext();
        for (var i = 0; i < 2; i++)
        {
            var c = new Candidate(camille.OrganisationId, camille.UserId, "Prénom", $"Nom{i}", new DateOnly(1980, 5, 1), "33063", Meeting.AddDays(-10));
            context.AllCandidates.Add(c);
            var p = new Prescription(c.Id, session.Id, of.Id, camille.OrganisationId, camille.UserId, 1, PrescribeTests.Form, Meeting.AddDays(-10));
            context.AllPrescriptions.Add(p);
            Meetings.ConvokeAt(context, p, julie.UserId, Meeting.AddDays(-7));
            p.RecordAttendance(PrescriptionStatus.Attended, julie.UserId, Meeting.AddHours(2));
            _prescriptions.Add(p.Id);
        }
        await context.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private async Task RunAsync(DateTimeOffset now, ILiveNotifier? notifier = null)
    {
        using var recording = new RecordingNotifier<QualityAlertsChanged>();
        await new QualityAlertsJob(_db, new FakeTimeProvider(now), notifier ?? recording.Notifier).RunAsync(Ct);
    }

    private async Task<List<QualityAlert>> AlertsAsync()
    {
        await using var db = _db.CreateDbContext();
        return await db.QualityAlerts.AsNoTracking().Where(a => a.OrganisationId == _of.OrganisationId).ToListAsync(Ct);
    }

    private async Task DecideAsync(Guid prescriptionId, DateTimeOffset at)
    {
        await using var db = _db.CreateDbContext();
        var p = await db.AllPrescriptions.SingleAsync(x => x.Id == prescriptionId, Ct);
        p.Select(_of.UserId, at);
        await db.SaveChangesAsync(Ct);
    }

    private async Task<IReadOnlyList<GetQualityAlerts.Alert>> SeenByAsync(CurrentUser user) =>
        (await new GetQualityAlerts.Handler(_db).HandleAsync(new GetQualityAlerts(Take: GetQualityAlerts.MaxTake), user, Ct)).Alerts.Where(a => a.Organisation == "Organisme Qualité Test").ToList();

    [Fact]
    public async Task TheAlertIsRaised_FifteenDaysAfterTheMeeting_NotASecondBefore_AndTheOfIsNotified_Q2()
    {
        await RunAsync(Due.AddSeconds(-1));
        (await AlertsAsync()).ShouldBeEmpty();

        using var recording = new RecordingNotifier<QualityAlertsChanged>();
        await RunAsync(Due, recording.Notifier);

        var alert = (await AlertsAsync()).ShouldHaveSingleItem();
        (alert.Kind, alert.Count, alert.RaisedAt, alert.ResolvedAt).ShouldBe((QualityAlertKind.DecisionsMissing, 2, Due, (DateTimeOffset?)null));
        recording.Published.ShouldContain(new QualityAlertsChanged(_of.OrganisationId));
        var seen = (await SeenByAsync(_of)).ShouldHaveSingleItem();
        seen.Message.ShouldBe("2 candidats sans décision 15 jours ou plus après l'information collective.");
        seen.CanForward.ShouldBeFalse();
    }

    [Fact]
    public async Task RunningTheJobAgain_KeepsOneAlert_Q2()
    {
        await RunAsync(Due);
        await RunAsync(Due);
        await RunAsync(Due.AddDays(3));

        var alert = (await AlertsAsync()).ShouldHaveSingleItem();
        alert.RaisedAt.ShouldBe(Due);
    }

    [Fact]
    public async Task RecordingTheDecisions_ResolvesTheAlert_AtTheNextRun_Q2()
    {
        await RunAsync(Due);
        await DecideAsync(_prescriptions[0], Due.AddHours(1));
        await RunAsync(Due.AddHours(2));
        (await AlertsAsync()).ShouldHaveSingleItem().Count.ShouldBe(1);

        await DecideAsync(_prescriptions[1], Due.AddHours(3));
        await RunAsync(Due.AddHours(4));

        (await AlertsAsync()).ShouldHaveSingleItem().ResolvedAt.ShouldBe(Due.AddHours(4));
        (await SeenByAsync(_of)).ShouldBeEmpty();
    }

    [Fact]
    public async Task TheCarifSeesEveryAlert_AndForwardsOneToTheRegionWithAComment_OthersMayNot_Q2()
    {
        await RunAsync(Due);
        var nicolas = await TestUsers.ForAsync(_db, TestUsers.Nicolas);
        var claire = await TestUsers.ForAsync(_db, TestUsers.Claire);
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        var id = (await SeenByAsync(nicolas)).ShouldHaveSingleItem().Id;
        (await SeenByAsync(nicolas)).Single().CanForward.ShouldBeTrue();
        (await SeenByAsync(claire)).ShouldBeEmpty(); // not forwarded yet
        (await SeenByAsync(camille)).ShouldBeEmpty(); // another organisation's alert

        using var recording = new RecordingNotifier<QualityAlertsChanged>();
        var forward = new ForwardQualityAlert.Handler(_db, new FakeTimeProvider(Due.AddHours(1)), recording.Notifier);
        await Should.ThrowAsync<NotFoundException>(() => forward.HandleAsync(new(id, "Relance"), claire, Ct));
        await Should.ThrowAsync<NotFoundException>(() => forward.HandleAsync(new(id, "Relance"), _of, Ct));
        (await Should.ThrowAsync<DomainException>(() => forward.HandleAsync(new(id, "  "), nicolas, Ct))).Message.ShouldBe("Ajoutez un commentaire pour la Région.");

        await forward.HandleAsync(new(id, "Trois relances sans effet : merci d'intervenir."), nicolas, Ct);

        var atRegion = (await SeenByAsync(claire)).ShouldHaveSingleItem();
        (atRegion.ForwardedAt, atRegion.ForwardComment).ShouldBe((Due.AddHours(1), "Trois relances sans effet : merci d'intervenir."));
        (await SeenByAsync(nicolas)).Single().CanForward.ShouldBeFalse();
        (await Should.ThrowAsync<DomainException>(() => forward.HandleAsync(new(id, "Encore"), nicolas, Ct))).Message.ShouldBe("Cette alerte a déjà été transmise à la Région.");
    }

    [Fact]
    public async Task TheRegionSetsAThreshold_AndTheIndicatorsUseIt_OthersMayNot_Q1()
    {
        var claire = await TestUsers.ForAsync(_db, TestUsers.Claire);
        var nicolas = await TestUsers.ForAsync(_db, TestUsers.Nicolas);
        var set = new SetQualityThreshold.Handler(_db, new FakeTimeProvider(Due));
        await Should.ThrowAsync<AccessDeniedException>(() => set.HandleAsync(new(QualityIndicators.Undecided, 50), nicolas, Ct));
        (await Should.ThrowAsync<DomainException>(() => set.HandleAsync(new(QualityIndicators.ExplicitReasons, 120), claire, Ct)))
            .Message.ShouldBe("Un seuil en pourcentage ne peut pas dépasser 100 %.");

        var read = new GetQualityIndicators.Handler(_db, new FakeTimeProvider(Due));
        var query = new GetQualityIndicators(new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 31));
        static bool Misses(GetQualityIndicators.Result r) => r.Tables.Single(t => t.Kind == GetQualityIndicators.ActorKind.TrainingBody)
            .Rows.Single(x => x.Actor == "Organisme Qualité Test").Misses[QualityIndicators.All.ToList().FindIndex(i => i.Key == QualityIndicators.Undecided)];
        Misses(await read.HandleAsync(query, claire, Ct)).ShouldBeTrue(); // 100 % undecided > 5 %

        await set.HandleAsync(new(QualityIndicators.Undecided, 100), claire, Ct);
        await set.HandleAsync(new(QualityIndicators.Undecided, 100), claire, Ct);

        var r = await read.HandleAsync(query, claire, Ct);
        r.Thresholds[QualityIndicators.All.ToList().FindIndex(i => i.Key == QualityIndicators.Undecided)].ShouldBe(100);
        Misses(r).ShouldBeFalse();
    }

    [Fact]
    public async Task TheRegionsDelayBeforeTheAlert_IsASetting_UsedByTheJobAndTheIndicators_Q2()
    {
        var claire = await TestUsers.ForAsync(_db, TestUsers.Claire);
        var set = new SetQualityThreshold.Handler(_db, new FakeTimeProvider(Due));
        (await Should.ThrowAsync<DomainException>(() => set.HandleAsync(new(QualityIndicators.UndecidedDaysSetting, 0.5), claire, Ct)))
            .Message.ShouldBe("Le délai d'alerte est un nombre entier de jours, au moins 1.");
        await set.HandleAsync(new(QualityIndicators.UndecidedDaysSetting, 20), claire, Ct);

        await RunAsync(Meeting.AddDays(20).AddSeconds(-1));
        (await AlertsAsync()).ShouldBeEmpty();
        await RunAsync(Meeting.AddDays(20));
        (await AlertsAsync()).ShouldHaveSingleItem();
        (await SeenByAsync(_of)).Single().Message.ShouldBe("2 candidats sans décision 20 jours ou plus après l'information collective.");

        var r = await new GetQualityIndicators.Handler(_db, new FakeTimeProvider(Meeting.AddDays(20).AddSeconds(-1)))
            .HandleAsync(new GetQualityIndicators(new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 31)), claire, Ct);
        r.UndecidedDays.ShouldBe(20);
        r.Tables.Single(t => t.Kind == GetQualityIndicators.ActorKind.TrainingBody).Rows.Single(x => x.Actor == "Organisme Qualité Test")
            .Values[QualityIndicators.All.ToList().FindIndex(i => i.Key == QualityIndicators.Undecided)].ShouldBeNull(); // no meeting 20 days old yet
    }
}
