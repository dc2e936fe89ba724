using Portal.Domain.Common;
using Portal.Domain.Offer;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

/// <summary>O7, O8, S1, S2, S3 (ADR 0017): what each state of a session's life forbids.</summary>
public sealed class SessionLifeTests
{
    private static TrainingSession Running()
    {
        var s = OpenSession();
        s.StartRunning(NoonUtc(SessionStart));
        return s;
    }

    private static TrainingSession Finished()
    {
        var s = Running();
        s.Finish(NoonUtc(SessionEnd));
        return s;
    }

    [Fact]
    public void RunningSession_CannotBeCancelled_SuspendedNorClosed_ButStillSelects_AndItsPlacesChange_O7_O8()
    {
        var s = Running();

        Should.Throw<DomainException>(() => s.Cancel("Formateur absent")).Message.ShouldContain("En cours");
        Should.Throw<DomainException>(() => s.Suspend(NoonUtc(SessionStart), 1000)).Rule.ShouldBe("O7");
        Should.Throw<DomainException>(() => s.Close(NoonUtc(SessionStart), 1000)).Rule.ShouldBe("O7");
        s.IsOpenToPrescription.ShouldBeFalse();
        Should.NotThrow(() => TrainingSession.EnsureSelectionGoesOn(s.Status, "convoquer des candidats", "S3"));
        s.SetOpenPlaces(1, heldPlaces: 0);
        s.OpenPlaces.ShouldBe(1);
    }

    [Fact]
    public void FinishedSession_RefusesCancellation_PlaceEdits_NewPrescriptions_MeetingsConvocationsAndDecisions_O7_O8_S1_S2_S3()
    {
        var s = Finished();

        Should.Throw<DomainException>(() => s.Cancel("Trop tard")).Message.ShouldContain("Terminée");
        Should.Throw<DomainException>(() => s.SetOpenPlaces(1, heldPlaces: 0)).Rule.ShouldBe("O8");
        s.IsOpenToPrescription.ShouldBeFalse();
        foreach (var (action, rule) in new[] { ("planifier une réunion", "S2"), ("convoquer des candidats", "S3"), ("décider de la sélection", "S1") })
        {
            var ex = Should.Throw<DomainException>(() => TrainingSession.EnsureSelectionGoesOn(s.Status, action, rule));
            ex.Rule.ShouldBe(rule);
            ex.Message.ShouldBe($"La session est « Terminée » : {action} n'est plus possible.");
        }
    }

    [Fact]
    public void CancelledSession_RefusesTheSelection_S1()
    {
        var s = OpenSession();
        s.Cancel("Formateur indisponible");

        Should.Throw<DomainException>(() => TrainingSession.EnsureSelectionGoesOn(s.Status, "décider de la sélection", "S1")).Rule.ShouldBe("S1");
    }

    [Fact]
    public void Suspension_CountsEveryPrescriptionReceived_FiveTimesCapacityReached_O7()
    {
        // Capacity 4: 20 prescriptions received (5 × 4) allow suspension before the deadline, 19 do not.
        var s = OpenSession(capacity: 4);
        var beforeDeadline = NoonUtc(RegistrationDeadline);

        Should.Throw<DomainException>(() => s.Suspend(beforeDeadline, 19)).Message.ShouldContain("19 prescriptions sur 20 requises");
        s.Suspend(beforeDeadline, 20);
        s.Status.ShouldBe(SessionStatus.Suspended);
    }
}
