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
    public void Convoke_SixDaysBefore_WithoutConfirmation_IsRefused_AndNothingChanges_S3()
    {
        var p = NewPrescription();
        var clock = new FakeTimeProvider(T0);
        var meeting = MeetingFor(p, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(1));

        Should.Throw<DomainException>(() => p.Convoke(meeting, OfUserId, clock.GetUtcNow())).Rule.ShouldBe("S3");
        (p.Status, p.ConvokedInfoSessionId, p.ConvokedLate).ShouldBe((PrescriptionStatus.Submitted, (Guid?)null, false));
    }

    [Fact]
    public void Convoke_SixDaysBefore_Confirmed_ConvokesAndMarksItLate_S3_S2()
    {
        // T0 = Thu 15/01/2026 12:00 UTC; the meeting is 22/01 13:00 Paris; a day later (16/01) is 6 calendar days before it.
        var p = NewPrescription();
        var clock = new FakeTimeProvider(T0);
        var meeting = MeetingFor(p, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(1));

        p.Convoke(meeting, OfUserId, clock.GetUtcNow(), lateConfirmed: true);

        (p.Status, p.ConvokedInfoSessionId, p.ConvokedLate).ShouldBe((PrescriptionStatus.Convoked, (Guid?)meeting.Id, true));
        p.History[^1].Reason.ShouldBe("Convocation : information collective du 22/01/2026 à 13:00, 12 rue des Arts, Bordeaux (convocation tardive : moins de 7 jours avant la réunion)");
    }

    [Fact]
    public void Convoke_InTime_IsNotMarkedLate_EvenWhenTheOfConfirmedLateness_S3()
    {
        var p = NewPrescription();
        var meeting = MeetingFor(p, T0);

        p.Convoke(meeting, OfUserId, T0, lateConfirmed: true);

        p.ConvokedLate.ShouldBeFalse();
    }

    [Fact]
    public void Convoke_AgainInTime_AfterALateConvocationAndAJustifiedAbsence_IsNoLongerLate_S3()
    {
        var p = NewPrescription();
        var first = MeetingFor(p, T0);
        p.Convoke(first, OfUserId, T0.AddDays(3), lateConfirmed: true);
        p.RecordAttendance(PrescriptionStatus.AbsentJustified, OfUserId, T0.AddDays(7), "Malade");

        p.Convoke(InfoSessionFor(p, T0.AddDays(30)), OfUserId, T0.AddDays(8));

        (p.Status, p.ConvokedLate).ShouldBe((PrescriptionStatus.Convoked, false));
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
    public void JustifyAbsence_OnceTheOfDecided_IsRefusedInFrench_S5()
    {
        foreach (var decided in new[] { PrescriptionStatus.NotSelected, PrescriptionStatus.Selected, PrescriptionStatus.Waitlisted })
        {
            var ex = Should.Throw<DomainException>(() => PrescriptionIn(decided).JustifyAbsence("Malade, certificat", PrescriberUserId, T0.AddDays(20)));
            ex.Rule.ShouldBe("S5");
            ex.Message.ShouldContain("a déjà décidé");
        }
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

    private static InfoSession InfoSessionFor(Prescription p, DateTimeOffset startsAt) =>
        new(p.SessionId, InfoSessionKind.Collective, startsAt, "Salle 4, 3 quai des Chartrons, Bordeaux", "Pièce d'identité");
}
