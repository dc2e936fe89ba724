using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

/// <summary>S2, S3, S6, S9: convocations to a meeting of the prescription's own session, justification, commissions.</summary>
public sealed class SelectionTests
{
    [Fact]
    public void Convoke_ExactlySevenDaysBefore_RecordsTheMeeting_S3()
    {
        var p = NewPrescription();
        var clock = new FakeTimeProvider(T0);
        var meeting = MeetingFor(p, clock.GetUtcNow());

        p.Convoke(meeting, OfUserId, clock.GetUtcNow());

        (p.Status, p.ConvokedInfoSessionId, p.ConvokedAt).ShouldBe((PrescriptionStatus.Convoked, (Guid?)meeting.Id, (DateTimeOffset?)T0));
    }

    [Fact]
    public void Convoke_SixDaysBefore_IsRefused_AndNothingChanges_S3()
    {
        var p = NewPrescription();
        var clock = new FakeTimeProvider(T0);
        var meeting = MeetingFor(p, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(1));

        Should.Throw<DomainException>(() => p.Convoke(meeting, OfUserId, clock.GetUtcNow())).Rule.ShouldBe("S3");
        (p.Status, p.ConvokedInfoSessionId).ShouldBe((PrescriptionStatus.Submitted, (Guid?)null));
    }

    [Fact]
    public void Convoke_ToAnotherSessionsMeeting_IsRefused_S2()
    {
        var p = NewPrescription();
        var other = InfoSessionAt(T0.AddDays(30));

        Should.Throw<DomainException>(() => p.Convoke(other, OfUserId, T0)).Rule.ShouldBe("S2");
    }

    [Fact]
    public void JustifyAbsence_TurnsAnUnjustifiedAbsenceIntoAJustifiedOne_WithTheText_S6()
    {
        var p = PrescriptionIn(PrescriptionStatus.AbsentUnjustified);

        p.JustifyAbsence("  Convocation au tribunal, justificatif transmis ", PrescriberUserId, T0.AddDays(1));

        (p.Status, p.AbsenceJustification).ShouldBe((PrescriptionStatus.AbsentJustified, "Convocation au tribunal, justificatif transmis"));
        p.History[^1].ByUserId.ShouldBe(PrescriberUserId);
    }

    [Fact]
    public void JustifyAbsence_WithoutText_OrOfAPresentCandidate_IsRefused_S6()
    {
        Should.Throw<DomainException>(() => PrescriptionIn(PrescriptionStatus.AbsentUnjustified).JustifyAbsence(" ", PrescriberUserId, T0));
        Should.Throw<DomainException>(() => PrescriptionIn(PrescriptionStatus.Attended).JustifyAbsence("Malade", PrescriberUserId, T0)).Rule.ShouldBe("S6");
    }

    [Fact]
    public void InfoSession_ScheduledInThePast_IsRefused_AndRescheduleKeepsItsSession_S8()
    {
        Should.Throw<DomainException>(() => InfoSession.Schedule(Guid.CreateVersion7(), InfoSessionKind.Collective, T0, "Salle 1", null, T0));
        var info = InfoSession.Schedule(Guid.CreateVersion7(), InfoSessionKind.Collective, T0.AddDays(10), "Salle 1", null, T0);
        var session = info.SessionId;

        info.Reschedule(InfoSessionKind.Individual, T0.AddDays(12), " Salle 2 ", "CV", T0);

        (info.SessionId, info.Kind, info.StartsAt, info.Place, info.WhatToBring).ShouldBe((session, InfoSessionKind.Individual, T0.AddDays(12), "Salle 2", "CV"));
    }

    [Fact]
    public void SelectionCommission_NeedsMembers_AndItsOutcomeComesOnceItMet_S9()
    {
        Should.Throw<DomainException>(() => new SelectionCommission(Guid.CreateVersion7(), [" ", ""], T0.AddDays(5), OfUserId, T0)).Rule.ShouldBe("S9");
        var commission = new SelectionCommission(Guid.CreateVersion7(), ["Région", "région", "MFE du Médoc"], T0.AddDays(5), OfUserId, T0);
        commission.Members.ShouldBe(["Région", "MFE du Médoc"]);

        Should.Throw<DomainException>(() => commission.RecordOutcome("Trop tôt", T0.AddDays(4))).Rule.ShouldBe("S9");
        commission.RecordOutcome("8 retenus", T0.AddDays(5));
        (commission.Outcome, commission.OutcomeRecordedAt).ShouldBe(("8 retenus", (DateTimeOffset?)T0.AddDays(5)));
    }
}
