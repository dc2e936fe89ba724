using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Selection;

/// <summary>S6: attendance recorded by the OF, seen by the prescriber, who may justify an absence.</summary>
public sealed class AttendanceTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Meeting = new(2026, 12, 15, 8, 30, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Meeting.AddDays(-10));

    private async Task<(Guid Meeting, List<Guid> Ids)> ConvokedAsync(int count)
    {
        _clock.SetUtcNow(Meeting.AddDays(-10));
        var (session, ids) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, count);
        var meeting = await SelectionFixture.MeetingAsync(fixture, session, Meeting);
        using var recording = new RecordingPrescriptionChanges();
        await new ConvokeCandidates.Handler(fixture.Database, _clock, recording.Notifier).HandleAsync(new ConvokeCandidates(meeting, []), await SelectionFixture.JulieAsync(fixture), Ct);
        _clock.SetUtcNow(Meeting.AddHours(3));
        return (meeting, ids);
    }

    private async Task RecordAsync(Guid meeting, ILiveNotifier notifier, params RecordAttendances.Mark[] marks) =>
        await new RecordAttendances.Handler(fixture.Database, _clock, notifier).HandleAsync(new RecordAttendances(meeting, marks), await SelectionFixture.JulieAsync(fixture), Ct);

    private async Task<Dictionary<Guid, (PrescriptionStatus Status, string? Justification)>> StatusesAsync(List<Guid> ids)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.AllPrescriptions.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => (p.Status, p.AbsenceJustification), Ct);
    }

    [Fact]
    public async Task Attendance_PresentJustifiedAndUnjustified_InOneGo_TellsThePrescriberLive_S6()
    {
        var (meeting, ids) = await ConvokedAsync(3);
        using var recording = new RecordingPrescriptionChanges();

        await RecordAsync(meeting, recording.Notifier,
            new(ids[0], PrescriptionStatus.Attended),
            new(ids[1], PrescriptionStatus.AbsentJustified, "Convocation Pôle emploi le même jour, prévenu avec la conseillère"),
            new(ids[2], PrescriptionStatus.AbsentUnjustified));

        var statuses = await StatusesAsync(ids);
        statuses[ids[0]].ShouldBe((PrescriptionStatus.Attended, (string?)null));
        statuses[ids[1]].ShouldBe((PrescriptionStatus.AbsentJustified, (string?)"Convocation Pôle emploi le même jour, prévenu avec la conseillère"));
        statuses[ids[2]].ShouldBe((PrescriptionStatus.AbsentUnjustified, (string?)null));
        recording.Published.Select(e => (e.PrescriptionId, e.Status)).ShouldBe(
            [(ids[0], PrescriptionStatus.Attended), (ids[1], PrescriptionStatus.AbsentJustified), (ids[2], PrescriptionStatus.AbsentUnjustified)], ignoreOrder: true);
    }

    [Fact]
    public async Task Attendance_AllPresent_ForASelection_S6()
    {
        var (meeting, ids) = await ConvokedAsync(3);
        using var recording = new RecordingPrescriptionChanges();

        await RecordAsync(meeting, recording.Notifier, new(ids[0], PrescriptionStatus.Attended), new(ids[1], PrescriptionStatus.Attended));

        var statuses = await StatusesAsync(ids);
        statuses[ids[0]].Status.ShouldBe(PrescriptionStatus.Attended);
        statuses[ids[1]].Status.ShouldBe(PrescriptionStatus.Attended);
        statuses[ids[2]].Status.ShouldBe(PrescriptionStatus.Convoked);
    }

    [Fact]
    public async Task Attendance_JustifiedAbsenceWithoutJustification_IsRefused_AndNothingOfTheBatchIsSaved_S6()
    {
        var (meeting, ids) = await ConvokedAsync(2);
        using var recording = new RecordingPrescriptionChanges();

        await Should.ThrowAsync<DomainException>(() => RecordAsync(meeting, recording.Notifier,
            new(ids[0], PrescriptionStatus.Attended), new(ids[1], PrescriptionStatus.AbsentJustified, "  ")));

        (await StatusesAsync(ids)).Values.ShouldAllBe(s => s.Status == PrescriptionStatus.Convoked);
        recording.Published.ShouldBeEmpty();
    }

    [Fact]
    public async Task Attendance_BeforeTheMeetingBegins_IsRefused_AtItsStart_IsAccepted_S6()
    {
        var (meeting, ids) = await ConvokedAsync(1);
        using var recording = new RecordingPrescriptionChanges();
        var early = new FakeTimeProvider(Meeting.AddMinutes(-1));
        var julie = await SelectionFixture.JulieAsync(fixture);

        var ex = await Should.ThrowAsync<DomainException>(() => new RecordAttendances.Handler(fixture.Database, early, recording.Notifier)
            .HandleAsync(new RecordAttendances(meeting, [new(ids[0], PrescriptionStatus.Attended)]), julie, Ct));
        ex.Message.ShouldBe("La présence se saisit à partir du début de la réunion, le 15/12/2026 à 09:30.");

        early.Advance(TimeSpan.FromMinutes(1));
        await new RecordAttendances.Handler(fixture.Database, early, recording.Notifier)
            .HandleAsync(new RecordAttendances(meeting, [new(ids[0], PrescriptionStatus.Attended)]), julie, Ct);
        (await StatusesAsync(ids))[ids[0]].Status.ShouldBe(PrescriptionStatus.Attended);
    }

    [Fact]
    public async Task Attendance_OfACandidateNotConvokedToThatMeeting_IsNotFound_S6()
    {
        var (meeting, _) = await ConvokedAsync(1);
        var (_, others) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        using var recording = new RecordingPrescriptionChanges();

        await Should.ThrowAsync<NotFoundException>(() => RecordAsync(meeting, recording.Notifier, new RecordAttendances.Mark(others[0], PrescriptionStatus.Attended)));
    }

    [Fact]
    public async Task Prescriber_JustifiesAnUnjustifiedAbsence_AndSeesIt_S6()
    {
        var (meeting, ids) = await ConvokedAsync(1);
        using var recording = new RecordingPrescriptionChanges();
        await RecordAsync(meeting, recording.Notifier, new RecordAttendances.Mark(ids[0], PrescriptionStatus.AbsentUnjustified));
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var read = new GetPrescriptionConvocation.Handler(fixture.Database, _clock);
        (await read.HandleAsync(new GetPrescriptionConvocation(ids[0]), camille, Ct)).CanJustify.ShouldBeTrue();

        await new JustifyAbsence.Handler(fixture.Database, _clock, recording.Notifier).HandleAsync(new JustifyAbsence(ids[0], "Hospitalisation de son enfant, certificat transmis"), camille, Ct);

        var seen = await read.HandleAsync(new GetPrescriptionConvocation(ids[0]), camille, Ct);
        seen.Status.ShouldBe(PrescriptionStatus.AbsentJustified);
        seen.AbsenceJustification.ShouldBe("Hospitalisation de son enfant, certificat transmis");
        seen.CanJustify.ShouldBeFalse();
        seen.ConvokedTo!.StartsAt.ShouldBe(Meeting);
        seen.ConvokedTo.WhatToBring.ShouldBe("Pièce d'identité, CV");
        recording.Published.Last().Status.ShouldBe(PrescriptionStatus.AbsentJustified);
    }

    [Fact]
    public async Task Prescriber_CannotJustifyWithoutText_NorAnotherOrganisationsCandidate_S6()
    {
        var (meeting, ids) = await ConvokedAsync(1);
        using var recording = new RecordingPrescriptionChanges();
        await RecordAsync(meeting, recording.Notifier, new RecordAttendances.Mark(ids[0], PrescriptionStatus.AbsentUnjustified));
        var handler = new JustifyAbsence.Handler(fixture.Database, _clock, recording.Notifier);
        var camille = await fixture.UserAsync(TestUsers.Camille);

        await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(new JustifyAbsence(ids[0], ""), camille, Ct));
        var lucas = await fixture.UserAsync(TestUsers.Lucas);
        await Should.ThrowAsync<NotFoundException>(() => handler.HandleAsync(new JustifyAbsence(ids[0], "Malade"), lucas, Ct));
        await Should.ThrowAsync<NotFoundException>(() => new GetPrescriptionConvocation.Handler(fixture.Database, _clock).HandleAsync(new GetPrescriptionConvocation(ids[0]), lucas, Ct));
        (await StatusesAsync(ids))[ids[0]].Status.ShouldBe(PrescriptionStatus.AbsentUnjustified);
    }
}
