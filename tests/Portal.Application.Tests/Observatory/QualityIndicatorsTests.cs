using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Observatory;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Observatory;

/// <summary>
/// Q1: the quality indicators over a history built by hand in March 2027 (after every demo prescription), with the
/// expected figures worked out here, not read back from the code. All instants at 09:00 UTC.
/// </summary>
/// <remarks>
/// Julie's OF runs one session. Camille's Mission Locale prescribes four candidates on 1 March:
/// - A: convoked 3 March (2 days) to a meeting on 10 March (exactly 7 days ahead), attended, not selected on 12 March
///   (2 days after) with reasons and both explanations;
/// - B: convoked 5 March (4 days) to 12 March, attended, selected 16 March (4 days after); a fiche complément opened
///   on 2 March that the OF answered on 13 March, after the meeting;
/// - C: convoked 5 March (4 days) to a meeting on 9 March, only 4 calendar days ahead: a late convocation the OF
///   confirmed (S3, ADR 0017), attended, never decided;
/// - D: never convoked; its fiche came without the feasibility (brought from an earlier tool, written in SQL: the
///   portal's own form refuses it), so it is not complete (P7): Camille 3 of 4 = 75.0 %, the OF 4 of 5 = 80.0 %.
/// Lucas's France Travail prescribes E on 2 March: convoked 4 March (2 days) to 11 March, attended, not selected on
/// 12 March (1 day after) with reasons; a complement answered on 8 March, before the meeting.
/// S3 notice kept: Camille 2 of 3 convocations = 66.7 %; Lucas 1 of 1 = 100 %; the OF 3 of 4 = 75.0 % (below the 95 % threshold).
/// On 15 April: Camille: convocation delay (2 + 4 + 4) / 3 = 3.3 days; decision delay (2 + 4) / 2 = 3.0 days; left
/// without a decision 1 of 3 = 33.3 %; complements answered in time 0 of 1. Lucas: 2.0 and 1.0 days, 0 %, 1 of 1.
/// The OF (and its territory): (2 + 4 + 4 + 2) / 4 = 3.0 days; (2 + 4 + 1) / 3 = 2.3 days; 1 of 4 = 25.0 %; 1 of 2 = 50.0 %.
/// </remarks>
public class QualityIndicatorsTests : IAsyncLifetime
{
    /// <summary>The provider the tests run on: SQLite here, PostgreSQL in <see cref="QualityIndicatorsTestsOnPostgreSql"/> (ADR 0021).</summary>
    protected virtual Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.Sqlite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateOnly From = new(2027, 3, 1);
    private static readonly DateOnly To = new(2027, 3, 31);
    private static DateTimeOffset March(int day) => new(2027, 3, day, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 4, 15, 9, 0, 0, TimeSpan.Zero));
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(Provider);
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        var lucas = await TestUsers.ForAsync(_db, TestUsers.Lucas);
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        var session = await OfferBuilder.AddSessionAsync(_db, julie.OrganisationId, new DateOnly(2027, 4, 1), new DateOnly(2027, 3, 25));

        await using var db = _db.CreateDbContext();
        var n = 0;
        Prescription Prescribe(CurrentUser prescriber, DateTimeOffset at)
        {
            var c = new Candidate(prescriber.OrganisationId, prescriber.UserId, "Prénom", $"Nom{++n:00}", new DateOnly(1980, 5, 1), "33063", at);
            db.AllCandidates.Add(c);
            var p = new Prescription(c.Id, session.Id, julie.OrganisationId, prescriber.OrganisationId, prescriber.UserId, 1, PrescribeTests.Form, at);
            db.AllPrescriptions.Add(p);
            return p;
        }
        void Attend(Prescription p, DateTimeOffset convokedAt)
        {
            var meeting = Meetings.ConvokeAt(db, p, julie.UserId, convokedAt);
            p.RecordAttendance(PrescriptionStatus.Attended, julie.UserId, meeting.StartsAt.AddHours(2));
        }
        void Refuse(Prescription p, DateTimeOffset at) =>
            p.NotSelect([new(NonSelectionReasonKind.ProjectNotValidated)], "Votre projet doit encore être travaillé.", "Projet à consolider.", julie.UserId, at);
        void Complement(Prescription p, CurrentUser prescriber, DateTimeOffset opened, DateTimeOffset answered)
        {
            var thread = new ComplementThread(p.Id, prescriber.UserId, false, "Le candidat a besoin d'un aménagement.", opened);
            thread.Post(julie.UserId, ComplementSide.TrainingBody, "Nous l'appelons.", answered);
            db.AllComplementThreads.Add(thread);
        }

        var a = Prescribe(camille, March(1));
        Attend(a, March(3));
        Refuse(a, March(12));
        var b = Prescribe(camille, March(1));
        Attend(b, March(5));
        b.Select(julie.UserId, March(16));
        Complement(b, camille, March(2), March(13));
        var c = Prescribe(camille, March(1));
        var late = Meetings.ConvokeTo(db, c, julie.UserId, March(5), March(9));
        c.RecordAttendance(PrescriptionStatus.Attended, julie.UserId, late.StartsAt.AddHours(2));
        var d = Prescribe(camille, March(1));
        var e = Prescribe(lucas, March(2));
        Attend(e, March(4));
        Refuse(e, March(12));
        Complement(e, lucas, March(2), March(8));
        await db.SaveChangesAsync(Ct);
        // P7: D's fiche as an earlier tool left it (the observatory's fact follows by trigger, ADR 0011).
        await db.AllPrescriptions.Where(p => p.Id == d.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.Form.Feasibility, ""), Ct);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private async Task<GetQualityIndicators.Result> ReadAsync(string local, TimeProvider? clock = null) =>
        await new GetQualityIndicators.Handler(_db, clock ?? _clock).HandleAsync(new GetQualityIndicators(From, To), await TestUsers.ForAsync(_db, local), Ct);

    private static Dictionary<string, double?> Values(GetQualityIndicators.ActorRow row) =>
        QualityIndicators.All.Select((i, n) => (i.Key, Value: row.Values[n])).ToDictionary(x => x.Key, x => x.Value);

    private static GetQualityIndicators.ActorRow Only(GetQualityIndicators.Result r, GetQualityIndicators.ActorKind kind) =>
        r.Tables.Single(t => t.Kind == kind).Rows.ShouldHaveSingleItem();

    [Fact]
    public async Task PerPrescriber_DelaysSharesAndComplements_AreComputedFromTheHistory_Q1()
    {
        var r = await ReadAsync(TestUsers.Claire);

        var prescribers = r.Tables.Single(t => t.Kind == GetQualityIndicators.ActorKind.Prescriber).Rows.ToDictionary(x => x.Actor);
        prescribers.Count.ShouldBe(2);
        var camille = prescribers.Values.Single(x => x.Prescriptions == 4);
        var v = Values(camille);
        v[QualityIndicators.CompleteForms].ShouldBe(75.0); // D's fiche lacks the feasibility: 3 of 4 (P7)
        v[QualityIndicators.ConvocationDelay].ShouldBe(3.3);
        v[QualityIndicators.ConvocationNotice].ShouldBe(66.7); // A (exactly 7 days ahead) and B in time, C late: 2 of 3 (S3)
        v[QualityIndicators.DecisionDelay].ShouldBe(3.0);
        v[QualityIndicators.ExplicitReasons].ShouldBe(100.0);
        v[QualityIndicators.Undecided].ShouldBe(33.3);
        v[QualityIndicators.ComplementsAnswered].ShouldBe(0.0);
        var lucas = Values(prescribers.Values.Single(x => x.Prescriptions == 1));
        (lucas[QualityIndicators.ConvocationDelay], lucas[QualityIndicators.DecisionDelay], lucas[QualityIndicators.Undecided], lucas[QualityIndicators.ComplementsAnswered])
            .ShouldBe((2.0, 1.0, 0.0, 100.0));
        lucas[QualityIndicators.ConvocationNotice].ShouldBe(100.0); // E convoked 7 days ahead (S3)
        lucas[QualityIndicators.CompleteForms].ShouldBe(100.0); // E's fiche is complete (P7)
    }

    [Fact]
    public async Task PerTrainingBodyAndTerritory_AndCellsMissingTheRegionsThresholdsAreFlagged_Q1()
    {
        var r = await ReadAsync(TestUsers.Nicolas);

        foreach (var kind in new[] { GetQualityIndicators.ActorKind.TrainingBody, GetQualityIndicators.ActorKind.Territory })
        {
            var row = Only(r, kind);
            row.Prescriptions.ShouldBe(5);
            var v = Values(row);
            (v[QualityIndicators.ConvocationDelay], v[QualityIndicators.DecisionDelay], v[QualityIndicators.Undecided], v[QualityIndicators.ComplementsAnswered])
                .ShouldBe((3.0, 2.3, 25.0, 50.0));
            v[QualityIndicators.ExplicitReasons].ShouldBe(100.0); // 2 of 2 non-selections (S7)
            v[QualityIndicators.ConvocationNotice].ShouldBe(75.0); // 3 of 4 convocations in time, C's late (S3)
            v[QualityIndicators.CompleteForms].ShouldBe(80.0); // 4 of 5 fiches complete, D's not (P7)
            // Thresholds: 80 % complete < 100 %, 75 % of convocations in time < 95 %, 25 % left without a decision > 5 %,
            // 50 % of complements answered < 90 %; the delays and the explanations meet theirs.
            var missed = QualityIndicators.All.Where((_, n) => row.Misses[n]).Select(i => i.Key).ToList();
            missed.ShouldBe([QualityIndicators.CompleteForms, QualityIndicators.ConvocationNotice, QualityIndicators.Undecided, QualityIndicators.ComplementsAnswered]);
        }
        Only(r, GetQualityIndicators.ActorKind.TrainingBody).Actor.ShouldBe("Formapro Gironde");

        var table = QualityTables.From(r).Single(t => t.Key == QualityTables.TrainingBodies);
        table.Rows.Single().Skip(2).ShouldBe(["80,0 %", "3,0 j", "75,0 %", "2,3 j", "100,0 %", "25,0 %", "50,0 %"]);
        QualityTables.Misses(r, QualityTables.TrainingBodies, 0, 7).ShouldBeTrue();
        QualityTables.Misses(r, QualityTables.TrainingBodies, 0, 3).ShouldBeFalse();
    }

    [Fact]
    public async Task ACandidateCountsAsLeftWithoutDecision_FromFifteenDaysAfterTheMeeting_Q1()
    {
        // Camille's C met on 9 March at 09:00 (its late convocation), A on 10 March, B on 12 March; each counts 15 days
        // after its meeting: C from 24 March 09:00, A from 25 March, B from 27 March. Only C is undecided.
        double? Undecided(GetQualityIndicators.Result r) => Values(r.Tables.Single(t => t.Kind == GetQualityIndicators.ActorKind.Prescriber)
            .Rows.Single(x => x.Prescriptions == 4))[QualityIndicators.Undecided];
        var clock = new FakeTimeProvider(March(24).AddTicks(-TimeSpan.TicksPerSecond));
        Undecided(await ReadAsync(TestUsers.Claire, clock)).ShouldBeNull(); // no meeting held long ago yet
        clock.SetUtcNow(March(24));
        Undecided(await ReadAsync(TestUsers.Claire, clock)).ShouldBe(100.0); // C: 1 of 1
        clock.SetUtcNow(March(27).AddTicks(-TimeSpan.TicksPerSecond));
        Undecided(await ReadAsync(TestUsers.Claire, clock)).ShouldBe(50.0); // A, C: 1 of 2
        clock.SetUtcNow(March(27));
        Undecided(await ReadAsync(TestUsers.Claire, clock)).ShouldBe(33.3); // A, B, C: 1 of 3
    }

    [Fact]
    public async Task AnMfe_SeesItsTerritoryOnly_AndAPrescriberMayNotRead_Q1()
    {
        // The MFE du Médoc covers Gironde: it sees Formapro Gironde's five prescriptions (the scenario above) and their figures.
        var medoc = await ReadAsync(TestUsers.Aurelie);
        var of = Only(medoc, GetQualityIndicators.ActorKind.TrainingBody);
        (of.Actor, of.Prescriptions).ShouldBe(("Formapro Gironde", 5));
        var v = Values(of);
        (v[QualityIndicators.ConvocationDelay], v[QualityIndicators.DecisionDelay], v[QualityIndicators.Undecided]).ShouldBe((3.0, 2.3, 25.0));
        // The MFE du Béarn covers Pyrénées-Atlantiques, where nothing happened: it sees no row at all.
        var bearn = await ReadAsync(TestUsers.Pierre);
        bearn.Tables.ShouldAllBe(t => t.Rows.Count == 0);
        await Should.ThrowAsync<AccessDeniedException>(() => ReadAsync(TestUsers.Camille));
        var claire = await TestUsers.ForAsync(_db, TestUsers.Claire);
        var ex = await Should.ThrowAsync<DomainException>(() =>
            new GetQualityIndicators.Handler(_db, _clock).HandleAsync(new GetQualityIndicators(To, From), claire, Ct));
        ex.Message.ShouldBe("La fin de la période doit suivre son début.");
    }
}

/// <summary>The same tests on PostgreSQL (ADR 0021): skipped with the reason where PostgreSQL 15 is not installed.</summary>
public sealed class QualityIndicatorsTestsOnPostgreSql : QualityIndicatorsTests
{
    protected override Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql;
}
