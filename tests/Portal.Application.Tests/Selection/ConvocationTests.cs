using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Selection;

/// <summary>S2, S3, S8: info sessions and convocations, at least 7 days before the meeting.</summary>
public sealed class ConvocationTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Meeting = new(2026, 12, 15, 8, 30, 0, TimeSpan.Zero); // 09:30 in Paris

    private async Task<int> ConvokeAsync(FakeTimeProvider clock, Guid infoSession, IReadOnlyCollection<Guid> ids, ILiveNotifier? notifier = null, CurrentUser? user = null)
    {
        using var recording = new RecordingPrescriptionChanges();
        return await new ConvokeCandidates.Handler(fixture.Database, clock, notifier ?? recording.Notifier)
            .HandleAsync(new ConvokeCandidates(infoSession, ids), user ?? await SelectionFixture.JulieAsync(fixture), Ct);
    }

    private async Task<Dictionary<Guid, (PrescriptionStatus Status, Guid? Meeting)>> StatusesAsync(IEnumerable<Guid> ids)
    {
        var list = ids.ToList();
        await using var db = fixture.Database.CreateDbContext();
        return await db.AllPrescriptions.Where(p => list.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => (p.Status, p.ConvokedInfoSessionId), Ct);
    }

    [Fact]
    public async Task Convoke_ExactlySevenDaysBeforeTheMeeting_IsAccepted_S3()
    {
        var (session, ids) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        var meeting = await SelectionFixture.MeetingAsync(fixture, session, Meeting);

        (await ConvokeAsync(new FakeTimeProvider(Meeting.AddDays(-7)), meeting, ids)).ShouldBe(1);

        (await StatusesAsync(ids))[ids[0]].ShouldBe((PrescriptionStatus.Convoked, (Guid?)meeting));
    }

    [Fact]
    public async Task Convoke_OnTheSeventhCalendarDayBefore_LateInTheEvening_IsInTime_S3()
    {
        // Meeting Tue 15/12/2026 09:30 Paris; last day in time Tue 08/12; 23:00 Paris that day = 22:00 UTC (only 6 d 10 h 30 ahead).
        var (session, ids) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        var meeting = await SelectionFixture.MeetingAsync(fixture, session, Meeting);

        (await ConvokeAsync(new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 22, 0, 0, TimeSpan.Zero)), meeting, ids)).ShouldBe(1);

        await using var db = fixture.Database.CreateDbContext();
        (await db.AllPrescriptions.SingleAsync(p => p.Id == ids[0], Ct)).ConvokedLate.ShouldBeFalse();
    }

    [Fact]
    public async Task Convoke_OnTheSixthCalendarDayBefore_WithoutConfirmation_IsRefusedInFrench_AndNothingIsConvoked_S3()
    {
        // Wed 09/12 00:00 Paris = 08/12 23:00 UTC: six calendar days before the meeting.
        var (session, ids) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 2);
        var meeting = await SelectionFixture.MeetingAsync(fixture, session, Meeting);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 23, 0, 0, TimeSpan.Zero));

        var ex = await Should.ThrowAsync<DomainException>(() => ConvokeAsync(clock, meeting, []));

        ex.Rule.ShouldBe("S3");
        ex.Message.ShouldContain("Convocation tardive : la réunion du 15/12/2026 à 09:30 a lieu dans moins de 7 jours (convocation au plus tard le 08/12/2026)");
        (await StatusesAsync(ids)).Values.ShouldAllBe(s => s.Status == PrescriptionStatus.Submitted && s.Meeting == null);
    }

    [Fact]
    public async Task Convoke_Late_Confirmed_ConvokesEveryone_MarkedLate_AndThePrescriberSeesIt_S3_S2()
    {
        var (session, ids) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 2);
        var meeting = await SelectionFixture.MeetingAsync(fixture, session, Meeting);
        var clock = new FakeTimeProvider(Meeting.AddDays(-2));
        using var recording = new RecordingPrescriptionChanges();

        var count = await new ConvokeCandidates.Handler(fixture.Database, clock, recording.Notifier)
            .HandleAsync(new ConvokeCandidates(meeting, [], LateConfirmed: true), await SelectionFixture.JulieAsync(fixture), Ct);

        count.ShouldBe(2);
        await using var db = fixture.Database.CreateDbContext();
        var convoked = await db.AllPrescriptions.Where(p => ids.Contains(p.Id)).ToListAsync(Ct);
        convoked.ShouldAllBe(p => p.Status == PrescriptionStatus.Convoked && p.ConvokedLate && p.ConvokedInfoSessionId == meeting);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var seen = await new GetPrescriptionConvocation.Handler(fixture.Database, clock).HandleAsync(new GetPrescriptionConvocation(ids[0]), camille, Ct);
        seen.ConvokedLate.ShouldBeTrue();
    }

    [Fact]
    public async Task Convoke_ToAMeetingOfAFinishedSession_IsRefused_S3()
    {
        var (session, ids) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        var meeting = await SelectionFixture.MeetingAsync(fixture, session, Meeting);
        await using (var db = fixture.Database.CreateDbContext())
            await db.Sessions.Where(s => s.Id == session).ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SessionStatus.Finished), Ct);

        var ex = await Should.ThrowAsync<DomainException>(() => ConvokeAsync(new FakeTimeProvider(Meeting.AddDays(-10)), meeting, ids));

        ex.Rule.ShouldBe("S3");
        ex.Message.ShouldContain("Terminée");
        (await StatusesAsync(ids))[ids[0]].Status.ShouldBe(PrescriptionStatus.Submitted);
    }

    [Fact]
    public async Task Convoke_All_ConvokesEveryPrescribedCandidate_InOneTransaction_WithOneLiveEventEach_S3()
    {
        var (session, ids) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 3);
        var meeting = await SelectionFixture.MeetingAsync(fixture, session, Meeting);
        using var recording = new RecordingPrescriptionChanges();

        (await ConvokeAsync(new FakeTimeProvider(Meeting.AddDays(-10)), meeting, [], recording.Notifier)).ShouldBe(3);

        (await StatusesAsync(ids)).Values.ShouldAllBe(s => s.Status == PrescriptionStatus.Convoked && s.Meeting == meeting);
        recording.Published.Select(e => e.PrescriptionId).ShouldBe(ids, ignoreOrder: true);
        recording.Published.ShouldAllBe(e => e.Status == PrescriptionStatus.Convoked);
        await using var db = fixture.Database.CreateDbContext();
        var reason = await db.AllPrescriptionTransitions.Where(t => t.PrescriptionId == ids[0]).OrderBy(t => t.Id).Select(t => t.Reason).LastAsync(Ct);
        reason.ShouldBe("Convocation : information collective du 15/12/2026 à 09:30, Formapro, 12 avenue de l'Argonne, Mérignac");
    }

    [Fact]
    public async Task Convoke_ASelection_ConvokesOnlyThose_S3()
    {
        var (session, ids) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 3);
        var meeting = await SelectionFixture.MeetingAsync(fixture, session, Meeting);

        await ConvokeAsync(new FakeTimeProvider(Meeting.AddDays(-10)), meeting, [ids[0], ids[2]]);

        var statuses = await StatusesAsync(ids);
        statuses[ids[0]].Status.ShouldBe(PrescriptionStatus.Convoked);
        statuses[ids[1]].Status.ShouldBe(PrescriptionStatus.Submitted);
        statuses[ids[2]].Status.ShouldBe(PrescriptionStatus.Convoked);
    }

    [Fact]
    public async Task Convoke_AgainAfterAJustifiedAbsence_ToAnotherMeeting_IsAllowed_S3()
    {
        var (session, ids) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        var first = await SelectionFixture.MeetingAsync(fixture, session, Meeting);
        var second = await SelectionFixture.MeetingAsync(fixture, session, Meeting.AddDays(14));
        var julie = await SelectionFixture.JulieAsync(fixture);
        var clock = new FakeTimeProvider(Meeting.AddDays(-10));
        await ConvokeAsync(clock, first, ids);
        clock.SetUtcNow(Meeting.AddHours(2));
        using var recording = new RecordingPrescriptionChanges();
        await new RecordAttendances.Handler(fixture.Database, clock, recording.Notifier).HandleAsync(
            new RecordAttendances(first, [new(ids[0], PrescriptionStatus.AbsentJustified, "Rendez-vous Pôle santé, prévenu la veille")]), julie, Ct);

        await ConvokeAsync(clock, second, ids);

        (await StatusesAsync(ids))[ids[0]].ShouldBe((PrescriptionStatus.Convoked, (Guid?)second));
    }

    [Fact]
    public async Task Convoke_AnotherTrainingBodysMeeting_IsNotFound()
    {
        var (session, ids) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        var meeting = await SelectionFixture.MeetingAsync(fixture, session, Meeting);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);

        await Should.ThrowAsync<NotFoundException>(() => ConvokeAsync(new FakeTimeProvider(Meeting.AddDays(-10)), meeting, ids, user: thomas));
        (await StatusesAsync(ids))[ids[0]].Status.ShouldBe(PrescriptionStatus.Submitted);
    }

    [Fact]
    public async Task Schedule_Edit_AndCancel_BeforeConvocations_ThenFrozenOnceConvoked_S3()
    {
        var (session, ids) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        var julie = await SelectionFixture.JulieAsync(fixture);
        var clock = new FakeTimeProvider(Meeting.AddDays(-20));
        using var recording = new RecordingNotifier<InfoSessionsChanged>();
        var save = new SaveInfoSession.Handler(fixture.Database, clock, recording.Notifier);

        var id = await save.HandleAsync(new SaveInfoSession(session, null, InfoSessionKind.Collective, Meeting, "Salle A", "CV"), julie, Ct);
        await save.HandleAsync(new SaveInfoSession(session, id, InfoSessionKind.Individual, Meeting.AddHours(1), "Salle B", "Pièce d'identité"), julie, Ct);
        var other = await save.HandleAsync(new SaveInfoSession(session, null, InfoSessionKind.Collective, Meeting.AddDays(1), "Salle C", null), julie, Ct);
        await new CancelInfoSession.Handler(fixture.Database, recording.Notifier).HandleAsync(new CancelInfoSession(other), julie, Ct);

        var list = await new GetInfoSessions.Handler(fixture.Database, clock).HandleAsync(new GetInfoSessions(session), julie, Ct);
        var meeting = list.Meetings.ShouldHaveSingleItem();
        (meeting.Kind, meeting.StartsAt, meeting.Place, meeting.WhatToBring, meeting.CanChange).ShouldBe((InfoSessionKind.Individual, Meeting.AddHours(1), "Salle B", "Pièce d'identité", true));
        list.ToConvokeList.Select(t => t.PrescriptionId).ShouldBe(ids);
        recording.Published.Count.ShouldBe(4);

        await ConvokeAsync(clock, id, ids);
        (await Should.ThrowAsync<DomainException>(() => save.HandleAsync(new SaveInfoSession(session, id, InfoSessionKind.Collective, Meeting, "Salle A", null), julie, Ct))).Rule.ShouldBe("S3");
        await Should.ThrowAsync<DomainException>(() => new CancelInfoSession.Handler(fixture.Database, recording.Notifier).HandleAsync(new CancelInfoSession(id), julie, Ct));
        (await new GetInfoSessions.Handler(fixture.Database, clock).HandleAsync(new GetInfoSessions(session), julie, Ct)).Meetings.Single().CanChange.ShouldBeFalse();
    }

    [Fact]
    public async Task Schedule_InThePast_IsRefused_AndAnotherTrainingBody_GetsNotFound_S8()
    {
        var (session, _) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        var clock = new FakeTimeProvider(Meeting);
        using var recording = new RecordingNotifier<InfoSessionsChanged>();
        var save = new SaveInfoSession.Handler(fixture.Database, clock, recording.Notifier);
        var julie = await SelectionFixture.JulieAsync(fixture);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);

        await Should.ThrowAsync<DomainException>(() => save.HandleAsync(new SaveInfoSession(session, null, InfoSessionKind.Collective, Meeting.AddMinutes(-1), "Salle A", null), julie, Ct));
        await Should.ThrowAsync<NotFoundException>(() => save.HandleAsync(new SaveInfoSession(session, null, InfoSessionKind.Collective, Meeting.AddDays(9), "Salle A", null), thomas, Ct));
        await Should.ThrowAsync<NotFoundException>(() => new GetInfoSessions.Handler(fixture.Database, clock).HandleAsync(new GetInfoSessions(session), thomas, Ct));
    }
}
