using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Live;
using Portal.Testing;

namespace Portal.Application.Tests.Prescriptions;

/// <summary>O5 (grouped entries: until the late-entry date) and O6 (permanent entries: 6 months after the convocation).</summary>
public class ExpirePreRegistrationsJobTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateOnly Start = new(2027, 2, 1);
    private static readonly DateOnly LateEntry = new(2027, 2, 15);

    private static async Task RunAsync(TestDatabase db, DateTimeOffset now, int chunkRows = ExpirePreRegistrationsJob.DefaultChunkRows) =>
        await new ExpirePreRegistrationsJob(db, new FakeTimeProvider(now), new LiveNotifier(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance)) { ChunkRows = chunkRows }
            .RunAsync(Ct);

    /// <summary>A prescription of its own on a session of its own; <paramref name="convokedAt"/> convokes it.</summary>
    private async Task<(Guid Session, Guid Prescription)> PrescriptionAsync(EntryMode mode, DateTimeOffset? convokedAt = null)
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var fiche = OfferBuilder.ValidatedFiche(julie.OrganisationId, mode: mode);
        var session = new TrainingSession(fiche, Start, Start.AddDays(200), Start.AddDays(-7), 10, "33063", mode == EntryMode.Grouped ? LateEntry : null);
        session.Publish(DemoDatabase.SeededAt);
        await using var db = fixture.Database.CreateDbContext();
        var candidate = await db.AllCandidates.Where(c => c.OrganisationId == camille.OrganisationId).Select(c => c.Id).FirstAsync(Ct);
        var p = new Prescription(candidate, session.Id, julie.OrganisationId, camille.OrganisationId, camille.UserId, 3, PrescribeTests.Form, DemoDatabase.SeededAt);
        db.FicheActions.Add(fiche);
        db.Sessions.Add(session);
        if (convokedAt is { } at) Meetings.ConvokeAt(db, p, julie.UserId, at);
        db.AllPrescriptions.Add(p);
        await db.SaveChangesAsync(Ct);
        return (session.Id, p.Id);
    }

    private async Task<PrescriptionStatus> StatusAsync(Guid id)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.AllPrescriptions.Where(p => p.Id == id).Select(p => p.Status).SingleAsync(Ct);
    }

    /// <summary>One minute before or after Paris midnight at the start of <paramref name="day"/> (CET: UTC+1 in winter).</summary>
    private static DateTimeOffset ParisMidnight(DateOnly day, int minutes) => FrenchTime.StartOfDay(day).AddMinutes(minutes);

    [Fact]
    public async Task Grouped_OnTheLateEntryDate_StaysActive_AndExpiresTheNextDay_O5()
    {
        var (session, prescription) = await PrescriptionAsync(EntryMode.Grouped);

        await RunAsync(fixture.Database, ParisMidnight(LateEntry.AddDays(1), -1)); // 23:59 on the late-entry date
        (await StatusAsync(prescription)).ShouldBe(PrescriptionStatus.Submitted);

        await RunAsync(fixture.Database, ParisMidnight(LateEntry.AddDays(1), 1)); // 00:01 the next day
        (await StatusAsync(prescription)).ShouldBe(PrescriptionStatus.Expired);
        await using var db = fixture.Database.CreateDbContext();
        (await db.Sessions.Where(s => s.Id == session).Select(s => s.Status).SingleAsync(Ct)).ShouldBe(SessionStatus.Closed);
        var last = await db.AllPrescriptionTransitions.Where(t => t.PrescriptionId == prescription).OrderBy(t => t.Id).LastAsync(Ct);
        last.From.ShouldBe(PrescriptionStatus.Submitted);
        last.To.ShouldBe(PrescriptionStatus.Expired);
        last.Reason!.ShouldContain("O5");
    }

    [Fact]
    public async Task Grouped_AnOfferedPlaceExpiring_OpensItAgain_SetBased_AndTheFigureIsPublished_O5_O8()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var fiche = OfferBuilder.ValidatedFiche(julie.OrganisationId, mode: EntryMode.Grouped);
        var session = new TrainingSession(fiche, Start, Start.AddDays(200), Start.AddDays(-7), 10, "33063", LateEntry);
        session.Publish(DemoDatabase.SeededAt);
        Guid offered, selected;
        await using (var db = fixture.Database.CreateDbContext())
        {
            var candidates = await db.AllCandidates.Where(c => c.OrganisationId == camille.OrganisationId).Select(c => c.Id).Take(2).ToListAsync(Ct);
            var o = new Prescription(candidates[0], session.Id, julie.OrganisationId, camille.OrganisationId, camille.UserId, 3, PrescribeTests.Form, DemoDatabase.SeededAt);
            var s = new Prescription(candidates[1], session.Id, julie.OrganisationId, camille.OrganisationId, camille.UserId, 3, PrescribeTests.Form, DemoDatabase.SeededAt);
            db.FicheActions.Add(fiche);
            db.Sessions.Add(session);
            foreach (var p in new[] { o, s })
            {
                Meetings.ConvokeAt(db, p, julie.UserId, DemoDatabase.SeededAt);
                p.RecordAttendance(PrescriptionStatus.Attended, julie.UserId, DemoDatabase.SeededAt);
            }
            s.Select(julie.UserId, DemoDatabase.SeededAt);
            o.Waitlist(julie.UserId, DemoDatabase.SeededAt);
            o.OfferPlace(julie.UserId, DemoDatabase.SeededAt, LateEntry.AddDays(10));
            session.RecountOpenPlaces(2);
            session.OpenPlaces.ShouldBe(8); // 10 − 1 selected − 1 offered
            db.AllPrescriptions.AddRange(o, s);
            await db.SaveChangesAsync(Ct);
            (offered, selected) = (o.Id, s.Id);
        }
        using var places = new RecordingNotifier<Portal.Application.Abstractions.SessionPlacesChanged>();

        await new ExpirePreRegistrationsJob(fixture.Database, new FakeTimeProvider(ParisMidnight(LateEntry.AddDays(1), 1)), places.Notifier).RunAsync(Ct);

        (await StatusAsync(offered)).ShouldBe(PrescriptionStatus.Expired);
        (await StatusAsync(selected)).ShouldBe(PrescriptionStatus.Selected, "a selected candidate is handled by the entry");
        await using var check = fixture.Database.CreateDbContext();
        var stored = await check.Sessions.AsNoTracking().SingleAsync(x => x.Id == session.Id, Ct);
        stored.OpenPlaces.ShouldBe(9); // 10 − 1 selected
        (await check.AllPrescriptions.Where(p => p.Id == offered).Select(p => p.OfferDeadline).SingleAsync(Ct)).ShouldBeNull();
        var e = places.Published.Where(x => x.SessionId == session.Id).ShouldHaveSingleItem();
        (e.OpenPlaces, e.Capacity).ShouldBe((9, 10));
    }

    [Fact]
    public async Task Permanent_SixMonthsAfterConvocation_StaysActive_AndExpiresTheNextDay_O6()
    {
        var convoked = FrenchTime.StartOfDay(new DateOnly(2027, 3, 10)).AddHours(10);
        var (_, prescription) = await PrescriptionAsync(EntryMode.Permanent, convoked);

        await RunAsync(fixture.Database, ParisMidnight(new DateOnly(2027, 9, 11), -1)); // 23:59 on 10/09/2027
        (await StatusAsync(prescription)).ShouldBe(PrescriptionStatus.Convoked);

        await RunAsync(fixture.Database, ParisMidnight(new DateOnly(2027, 9, 11), 1));
        (await StatusAsync(prescription)).ShouldBe(PrescriptionStatus.Expired);
    }

    [Fact]
    public async Task Permanent_NeverConvoked_DoesNotExpire_O6()
    {
        var (_, prescription) = await PrescriptionAsync(EntryMode.Permanent);
        await RunAsync(fixture.Database, ParisMidnight(new DateOnly(2028, 6, 1), 0));
        (await StatusAsync(prescription)).ShouldBe(PrescriptionStatus.Submitted);
    }

    [Fact]
    public async Task RunningTwice_ChangesNothingMore_AndWritesOneTransition_O5()
    {
        var (_, prescription) = await PrescriptionAsync(EntryMode.Grouped);
        var after = ParisMidnight(LateEntry.AddDays(2), 0);
        await RunAsync(fixture.Database, after);
        await RunAsync(fixture.Database, after);
        await using var db = fixture.Database.CreateDbContext();
        (await db.AllPrescriptionTransitions.CountAsync(t => t.PrescriptionId == prescription && t.To == PrescriptionStatus.Expired, Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task Grouped_MoreThanOneChunkDue_AllExpireInOneRun_EachOnce_WithTheirVersionRaised_O5()
    {
        // Its own database: 1.5 chunks of pending prescriptions on one due session (a session is never split, so it makes one
        // chunk larger than the limit), with every other row left alone.
        await using var database = await TestDatabase.CreateAsync(fixture.Provider, seedDemo: true);
        var julie = await TestUsers.ForAsync(database, TestUsers.Julie);
        var camille = await TestUsers.ForAsync(database, TestUsers.Camille);
        var fiche = OfferBuilder.ValidatedFiche(julie.OrganisationId);
        var session = new TrainingSession(fiche, Start, Start.AddDays(200), Start.AddDays(-7), 10, "33063", LateEntry);
        session.Publish(DemoDatabase.SeededAt);
        const int chunkRows = 500;
        var count = chunkRows * 3 / 2;
        await using (var db = database.CreateDbContext())
        {
            db.AddRange(fiche, session);
            for (var i = 0; i < count; i++)
            {
                var c = new Portal.Domain.Candidates.Candidate(camille.OrganisationId, camille.UserId, "Lot", $"Candidat{i:0000}", new DateOnly(1990, 1, 1), "33063", DemoDatabase.SeededAt);
                db.AllCandidates.Add(c);
                db.AllPrescriptions.Add(new Prescription(c.Id, session.Id, julie.OrganisationId, camille.OrganisationId, camille.UserId, 1, PrescribeTests.Form, DemoDatabase.SeededAt));
            }
            await db.SaveChangesAsync(Ct);
        }
        int othersActiveBefore;
        await using (var db = database.CreateDbContext())
            othersActiveBefore = await db.AllPrescriptions.CountAsync(p => p.SessionId != session.Id && PrescriptionLifecycle.Active.Contains(p.Status), Ct);

        await RunAsync(database, ParisMidnight(LateEntry.AddDays(1), 1), chunkRows);
        await RunAsync(database, ParisMidnight(LateEntry.AddDays(1), 2), chunkRows); // idempotent

        await using var check = database.CreateDbContext();
        var mine = await check.AllPrescriptions.Where(p => p.SessionId == session.Id).Select(p => new { p.Status, p.Version }).ToListAsync(Ct);
        mine.Count.ShouldBe(count);
        mine.ShouldAllBe(p => p.Status == PrescriptionStatus.Expired && p.Version == 1);
        (await check.AllPrescriptionTransitions.CountAsync(t => t.To == PrescriptionStatus.Expired
            && check.AllPrescriptions.Any(p => p.Id == t.PrescriptionId && p.SessionId == session.Id), Ct)).ShouldBe(count);
        (await check.AllPrescriptions.CountAsync(p => p.SessionId != session.Id && PrescriptionLifecycle.Active.Contains(p.Status), Ct))
            .ShouldBeLessThanOrEqualTo(othersActiveBefore);
    }
}

/// <summary>The same tests on PostgreSQL (ADR 0021; the Version concurrency tokens, the set-based job): skipped with the reason without PostgreSQL 15.</summary>
public sealed class ExpirePreRegistrationsJobTestsOnPostgreSql(PostgreSqlDemoDatabase fixture) : ExpirePreRegistrationsJobTests(fixture), IClassFixture<PostgreSqlDemoDatabase>;
