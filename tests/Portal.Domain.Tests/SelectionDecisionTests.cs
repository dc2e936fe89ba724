using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

/// <summary>S1, S7, O9: the OF's decisions, their two explanations, the waiting list's ranks and the promotion of its first.</summary>
public sealed class SelectionDecisionTests
{
    private static readonly NonSelectionReason[] AReason = [NonSelectionReason.Prerequisite("Savoirs de base")];

    [Theory]
    [InlineData(null, "Pour le prescripteur")]
    [InlineData("   ", "Pour le prescripteur")]
    [InlineData("Pour le candidat", null)]
    [InlineData("Pour le candidat", " ")]
    public void NotSelect_WithoutBothExplanations_IsRefused_AndNothingChanges_S7(string? forCandidate, string? forPrescriber)
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        var ex = Should.Throw<DomainException>(() => p.NotSelect(AReason, forCandidate!, forPrescriber!, OfUserId, T0));

        ex.Rule.ShouldBe("S7");
        ex.Message.ShouldContain(forCandidate is null || forCandidate.Trim().Length == 0 ? "candidat" : "prescripteur");
        p.Status.ShouldBe(PrescriptionStatus.Attended);
        p.CandidateExplanation.ShouldBeNull();
        p.PrescriberExplanation.ShouldBeNull();
    }

    [Fact]
    public void NotSelect_WithATooLongExplanation_IsRefused_S7()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        Should.Throw<DomainException>(() => p.NotSelect(AReason, new string('a', Prescription.MaxExplanationLength + 1), "ok", OfUserId, T0)).Rule.ShouldBe("S7");
    }

    [Fact]
    public void NotSelect_KeepsBothExplanationsApart_Trimmed_S7()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        p.NotSelect(AReason, "  Une remise à niveau vous ouvrira la prochaine session. ", "Calcul non acquis au positionnement.", OfUserId, T0);

        p.CandidateExplanation.ShouldBe("Une remise à niveau vous ouvrira la prochaine session.");
        p.PrescriberExplanation.ShouldBe("Calcul non acquis au positionnement.");
        p.History[^1].ByUserId.ShouldBe(OfUserId);
    }

    [Fact]
    public void Select_IsTheOfsDecision_RecordedWithWhoAndWhen_S1()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        p.Select(OfUserId, T0.AddDays(2));

        p.Status.ShouldBe(PrescriptionStatus.Selected);
        p.History[^1].ByUserId.ShouldBe(OfUserId);
        p.History[^1].At.ShouldBe(T0.AddDays(2));
    }

    [Fact]
    public void Waitlist_KeepsItsRank_AndLeavingTheListClearsIt_O9()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        p.Waitlist(OfUserId, T0, 3);
        p.WaitlistRank.ShouldBe(3);
        p.SetWaitlistRank(1);
        p.WaitlistRank.ShouldBe(1);

        p.Select(OfUserId, T0);
        p.WaitlistRank.ShouldBeNull();
        Should.Throw<DomainException>(() => p.SetWaitlistRank(2)).Rule.ShouldBe("O9");
    }

    [Fact]
    public void Waitlist_AtRankZero_IsRefused_O9()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        Should.Throw<DomainException>(() => p.Waitlist(OfUserId, T0, 0)).Rule.ShouldBe("O9");
    }

    [Fact]
    public void PromoteFromWaitlist_SelectsTheCandidate_WithTheO9Reason_O9()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);
        p.Waitlist(OfUserId, T0, 1);

        p.PromoteFromWaitlist(T0.AddDays(1));

        p.Status.ShouldBe(PrescriptionStatus.Selected);
        p.WaitlistRank.ShouldBeNull();
        p.History[^1].Reason.ShouldBe(Prescription.PromotionReason);
        p.History[^1].ByUserId.ShouldBeNull();
    }

    [Theory]
    [InlineData(PrescriptionStatus.Attended)]
    [InlineData(PrescriptionStatus.Selected)]
    [InlineData(PrescriptionStatus.NotSelected)]
    public void PromoteFromWaitlist_WhenNotWaitlisted_IsRefused_O9(PrescriptionStatus status)
    {
        var p = PrescriptionIn(status);

        Should.Throw<DomainException>(() => p.PromoteFromWaitlist(T0)).Rule.ShouldBe("O9");
        p.Status.ShouldBe(status);
    }

    [Fact]
    public void EveryTransition_BumpsTheVersion_SoThatConcurrentDecisionsConflict_S1()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);
        var before = p.Version;

        p.Select(OfUserId, T0);

        p.Version.ShouldBe(before + 1);
    }
}
