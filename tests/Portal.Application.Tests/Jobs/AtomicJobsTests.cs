using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Observatory;
using Portal.Application.Features.Selection;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Selection;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;
using Portal.Domain.Quality;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.Application.Tests.Jobs;

/// <summary>
/// Issue #16 (3): every job is atomic. Q2: the quality alerts job resolves the alerts whose cause is gone (one set-based
/// UPDATE) and raises the new ones (SaveChanges): a failure between the two leaves the alerts as they were, and the next
/// run does both. Two new OFs (so that the demo's own undecided candidates do not count): OF 1 has 2 candidates at a
/// meeting on 12 March 2027 09:00 UTC, OF 2 one candidate at a meeting 5 days later, all attended and undecided; an OF is
/// alerted 15 days after its meeting (<see cref="QualityIndicators.UndecidedAfterDays"/>).
/// </summary>
public abstract class QualityAlertsAtomicTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Meeting1 = new(2027, 3, 12, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Meeting2 = Meeting1.AddDays(5);
    private static readonly DateTimeOffset Due1 = Meeting1.AddDays(QualityIndicators.UndecidedAfterDays);
    private static readonly DateTimeOffset Due2 = Meeting2.AddDays(QualityIndicators.UndecidedAfterDays);
    private TestDatabase _db = null!;
    private CurrentUser _julie = null!;
    private Guid _of1, _of2;
    private List<Guid> _of1Prescriptions = [];

    protected abstract DatabaseProvider Provider { get; }

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(Provider);
        _julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        (_of1, _of1Prescriptions) = await OfWithUndecidedAsync("Organisme Atomique Un", Meeting1, 2);
        (_of2, _) = await OfWithUndecidedAsync("Organisme Atomique Deux", Meeting2, 1);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private async Task<(Guid Of, List<Guid> Prescriptions)> OfWithUndecidedAsync(string name, DateTimeOffset meeting, int count)
    {
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        var of = new Organisation(name, OrganisationKind.TrainingBody, _julie.TerritoryId);
        await using (var db = _db.CreateDbContext())
        {
            db.Organisations.Add(of);
            await db.SaveChangesAsync(Ct);
        }
        var session = await OfferBuilder.AddSessionAsync(_db, of.Id, new DateOnly(2027, 4, 20), new DateOnly(2027, 4, 10));
        await using var context = _db.CreateDbContext();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var c = new Candidate(camille.OrganisationId, camille.UserId, "Prénom", $"{name}{i}", new DateOnly(1980, 5, 1), "33063", meeting.AddDays(-10));
            context.AllCandidates.Add(c);
            var p = new Prescription(c.Id, session.Id, of.Id, camille.OrganisationId, camille.UserId, 1, PrescribeTests.Form, meeting.AddDays(-10));
            context.AllPrescriptions.Add(p);
            Meetings.ConvokeAt(context, p, _julie.UserId, meeting.AddDays(-7));
            p.RecordAttendance(PrescriptionStatus.Attended, _julie.UserId, meeting.AddHours(2));
            ids.Add(p.Id);
        }
        await context.SaveChangesAsync(Ct);
        return (of.Id, ids);
    }

    private async Task<List<QualityAlert>> AlertsAsync(Guid of)
    {
        await using var db = _db.CreateDbContext();
        return await db.QualityAlerts.AsNoTracking().Where(a => a.OrganisationId == of).ToListAsync(Ct);
    }

    private static async Task RunAsync(Portal.Application.Abstractions.IAppDbContextFactory factory, DateTimeOffset now)
    {
        using var events = new RecordingNotifier<QualityAlertsChanged>();
        await new QualityAlertsJob(factory, new FakeTimeProvider(now), events.Notifier).RunAsync(Ct);
    }

    [Fact]
    public async Task AFailureAfterTheResolvingUpdate_LeavesTheAlertsAsTheyWere_AndTheNextRunDoesBoth_Q2()
    {
        await RunAsync(_db, Due1);
        (await AlertsAsync(_of1)).ShouldHaveSingleItem().ResolvedAt.ShouldBeNull();
        await using (var db = _db.CreateDbContext())
        {
            foreach (var p in await db.AllPrescriptions.Where(p => _of1Prescriptions.Contains(p.Id)).ToListAsync(Ct)) p.Select(_julie.UserId, Due1.AddHours(1));
            await db.SaveChangesAsync(Ct);
        }

        // At Due2: OF 1's alert is to be resolved (its candidates are decided), OF 2's to be raised. The raise fails.
        var fault = new FailOnCommand("INSERT INTO \"QualityAlerts\"");
        (await Should.ThrowAsync<DbUpdateException>(() => RunAsync(new InterceptedDbFactory(_db, fault), Due2))).InnerException.ShouldBeOfType<InvalidOperationException>();

        fault.Faults.ShouldBe(1);
        fault.Executed.ShouldContain(c => c.TrimStart().StartsWith("UPDATE \"QualityAlerts\"", StringComparison.Ordinal), "the resolving UPDATE ran before the fault");
        (await AlertsAsync(_of1)).ShouldHaveSingleItem().ResolvedAt.ShouldBeNull("its resolution was rolled back with the failed raise");
        (await AlertsAsync(_of2)).ShouldBeEmpty();

        await RunAsync(_db, Due2);
        (await AlertsAsync(_of1)).ShouldHaveSingleItem().ResolvedAt.ShouldBe(Due2);
        var raised = (await AlertsAsync(_of2)).ShouldHaveSingleItem();
        (raised.Kind, raised.Count, raised.RaisedAt, raised.ResolvedAt).ShouldBe((QualityAlertKind.DecisionsMissing, 1, Due2, (DateTimeOffset?)null));
    }
}

public sealed class QualityAlertsAtomicOnSqliteTests : QualityAlertsAtomicTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

/// <summary>The same on PostgreSQL (skipped with the reason without PostgreSQL 15).</summary>
public sealed class QualityAlertsAtomicOnPostgreSqlTests : QualityAlertsAtomicTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}

/// <summary>
/// Issue #16 (3), S3: the convocation warnings job raises the new warnings (SaveChanges), reopens and resolves the others
/// (set-based UPDATEs): a failure after the raise leaves neither the raise nor the resolution. Meeting M2 on Wed
/// 10/02/2027 and meeting M1 on Thu 18/02/2027 (09:30 Paris), each of a session of its own with one candidate not
/// convoked. On Sun 07/02 only M2 is less than 7 days away (warned); on Mon 15/02 M1 is (to warn) and M2 is past (to resolve).
/// </summary>
public class ConvocationWarningsAtomicTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset M1 = new(2027, 2, 18, 8, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset M2 = new(2027, 2, 10, 8, 30, 0, TimeSpan.Zero);

    private static async Task RunAsync(Portal.Application.Abstractions.IAppDbContextFactory factory, DateTimeOffset now)
    {
        using var events = new RecordingNotifier<ConvocationWarningsChanged>();
        await new ConvocationWarningsJob(factory, new FakeTimeProvider(now), events.Notifier).RunAsync(Ct);
    }

    private async Task<List<(DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt)>> WarningsAsync(Guid meeting)
    {
        await using var db = fixture.Database.CreateDbContext();
        return [.. (await db.ConvocationWarnings.AsNoTracking().Where(w => w.InfoSessionId == meeting).ToListAsync(Ct)).Select(w => (w.RaisedAt, w.ResolvedAt))];
    }

    [Fact]
    public async Task AFailureAfterTheRaise_LeavesNeitherTheRaiseNorTheResolution_AndTheNextRunDoesBoth_S3()
    {
        var (s1, _) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        var (s2, _) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        var m1 = await SelectionFixture.MeetingAsync(fixture, s1, M1);
        var m2 = await SelectionFixture.MeetingAsync(fixture, s2, M2);
        var before = M2.AddDays(-3);
        await RunAsync(fixture.Database, before);
        (await WarningsAsync(m2)).ShouldBe([(before, (DateTimeOffset?)null)]);
        (await WarningsAsync(m1)).ShouldBeEmpty();

        var now = M1.AddDays(-3);
        var fault = new FailOnCommand("UPDATE \"ConvocationWarnings\"");
        await Should.ThrowAsync<InvalidOperationException>(() => RunAsync(new InterceptedDbFactory(fixture.Database, fault), now));

        fault.Faults.ShouldBe(1);
        fault.Executed.ShouldContain(c => c.Contains("INSERT INTO \"ConvocationWarnings\"", StringComparison.Ordinal), "the raise ran before the fault");
        (await WarningsAsync(m1)).ShouldBeEmpty("the raise was rolled back with the failed resolution");
        (await WarningsAsync(m2)).ShouldBe([(before, (DateTimeOffset?)null)]);

        await RunAsync(fixture.Database, now);
        (await WarningsAsync(m1)).ShouldBe([(now, (DateTimeOffset?)null)]);
        (await WarningsAsync(m2)).ShouldBe([(before, (DateTimeOffset?)now)]);
    }
}

/// <summary>The same on PostgreSQL (skipped with the reason without PostgreSQL 15).</summary>
public sealed class ConvocationWarningsAtomicTestsOnPostgreSql(PostgreSqlDemoDatabase fixture) : ConvocationWarningsAtomicTests(fixture), IClassFixture<PostgreSqlDemoDatabase>;
