using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Live;
using Portal.Testing;

namespace Portal.Application.Tests.Prescriptions;

/// <summary>S11, P6: entry into training, and the automatic cancellation of the choices that became useless.</summary>
public sealed class RecordEntryTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);
    private readonly LiveNotifier _notifier = new(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);

    /// <summary>A new candidate of Camille's with three choices: two on Julie's sessions, one on Thomas's.</summary>
    private async Task<(Guid Candidate, List<Guid> Prescriptions)> ThreeChoicesAsync()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var candidate = await new CreateCandidate.Handler(fixture.Database, _clock).HandleAsync(new CreateCandidate("Jade", "Entrée", new DateOnly(1999, 3, 3), "33063"), camille, Ct);
        var ids = new List<Guid>();
        foreach (var of in new[] { julie.OrganisationId, julie.OrganisationId, thomas.OrganisationId })
        {
            var session = await OfferBuilder.AddSessionAsync(fixture.Database, of, new DateOnly(2027, 2, 1), arrange: s => s.Publish(DemoDatabase.SeededAt));
            ids.Add(await new Prescribe.Handler(fixture.Database, _clock, _notifier).HandleAsync(new Prescribe(candidate, session.Id, PrescribeTests.Form), camille, Ct));
        }
        return (candidate, ids);
    }

    private async Task SelectAsync(Guid prescriptionId, CurrentUser of)
    {
        await using var db = fixture.Database.CreateDbContext();
        var p = await db.AllPrescriptions.SingleAsync(x => x.Id == prescriptionId, Ct);
        Meetings.ConvokeAt(db, p, of.UserId, _clock.GetUtcNow());
        p.RecordAttendance(PrescriptionStatus.Attended, of.UserId, _clock.GetUtcNow());
        p.Select(of.UserId, _clock.GetUtcNow());
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task Entry_CancelsTheOtherActiveChoices_WithAReason_AndTellsEveryone_P6()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (candidate, ids) = await ThreeChoicesAsync();
        await SelectAsync(ids[0], julie);
        var events = new List<PrescriptionStatusChanged>();
        using var subscription = _notifier.Subscribe<PrescriptionsChanged>(e => { events.AddRange(e.Changes); return Task.CompletedTask; });

        await new RecordEntry.Handler(fixture.Database, _clock, _notifier).HandleAsync(new RecordEntry(ids[0]), julie, Ct);

        await using var db = fixture.Database.CreateDbContext();
        var statuses = await db.AllPrescriptions.Where(p => p.CandidateId == candidate).ToDictionaryAsync(p => p.Id, p => p.Status, Ct);
        statuses[ids[0]].ShouldBe(PrescriptionStatus.Entered);
        statuses[ids[1]].ShouldBe(PrescriptionStatus.Cancelled);
        statuses[ids[2]].ShouldBe(PrescriptionStatus.Cancelled);
        var reason = await db.AllPrescriptionTransitions.Where(t => t.PrescriptionId == ids[2]).OrderBy(t => t.Id).Select(t => t.Reason).LastAsync(Ct);
        reason!.ShouldContain("Annulation automatique");
        reason!.ShouldContain("P6");
        await _notifier.DrainAsync();
        events.Select(e => e.PrescriptionId).ShouldBe(ids, ignoreOrder: true);
        events.Select(e => e.TrainingBodyId).Distinct().Count().ShouldBe(2, "the other OF is told too");
    }

    [Fact]
    public async Task Entry_WithoutSelection_IsRefused_AndNothingIsCancelled_S11()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (candidate, ids) = await ThreeChoicesAsync();
        await Should.ThrowAsync<DomainException>(() => new RecordEntry.Handler(fixture.Database, _clock, _notifier).HandleAsync(new RecordEntry(ids[0]), julie, Ct));
        await using var db = fixture.Database.CreateDbContext();
        (await db.AllPrescriptions.Where(p => p.CandidateId == candidate).AllAsync(p => p.Status == PrescriptionStatus.Submitted, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task Entry_OnAnotherTrainingBodysSession_IsNotFound_S11()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var (_, ids) = await ThreeChoicesAsync();
        await SelectAsync(ids[0], julie);
        await Should.ThrowAsync<NotFoundException>(() => new RecordEntry.Handler(fixture.Database, _clock, _notifier).HandleAsync(new RecordEntry(ids[0]), thomas, Ct));
    }
}
