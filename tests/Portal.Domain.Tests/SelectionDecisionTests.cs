using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

/// <summary>S1, S7, O9: the OF's decisions, their two explanations, the waiting list's ranks and the place offered to its first.</summary>
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
    public void OfferPlace_OffersTheWaitlistedCandidate_WithTheOfUserAndTheDeadline_InHistory_O9_S1()
    {
        var p = PrescriptionIn(PrescriptionStatus.Waitlisted);

        // T0 = 15 January 2026 at 12:00 UTC; the OF gives until 22 January (a day in France).
        p.OfferPlace(OfUserId, T0, new DateOnly(2026, 1, 22));

        p.Status.ShouldBe(PrescriptionStatus.PlaceOffered);
        p.OfferDeadline.ShouldBe(new DateOnly(2026, 1, 22));
        p.OfferResponseDays.ShouldBe(7);
        p.History[^1].ByUserId.ShouldBe(OfUserId);
        p.History[^1].Reason.ShouldBe("Place libérée proposée au premier de la liste d'attente (O9) : réponse attendue au plus tard le 22/01/2026");
    }

    [Fact]
    public void OfferResponseDays_CountsParisDays_NotUtcOnes_O9()
    {
        var p = PrescriptionIn(PrescriptionStatus.Waitlisted);
        // 15 January 2026 at 23:30 UTC is already 16 January at 00:30 in Paris: to 23 January is 7 days, not 8.
        var lateEvening = new DateTimeOffset(2026, 1, 15, 23, 30, 0, TimeSpan.Zero);

        p.OfferPlace(OfUserId, lateEvening, new DateOnly(2026, 1, 23));

        p.OfferResponseDays.ShouldBe(7);
    }

    [Fact]
    public void OfferPlace_WithADeadlineAlreadyPast_IsRefused_O9()
    {
        var p = PrescriptionIn(PrescriptionStatus.Waitlisted);

        Should.Throw<DomainException>(() => p.OfferPlace(OfUserId, T0, new DateOnly(2026, 1, 14))).Rule.ShouldBe("O9");
        p.Status.ShouldBe(PrescriptionStatus.Waitlisted);
    }

    [Theory]
    [InlineData(PrescriptionStatus.Attended)]
    [InlineData(PrescriptionStatus.Selected)]
    [InlineData(PrescriptionStatus.NotSelected)]
    [InlineData(PrescriptionStatus.PlaceOffered)]
    public void OfferPlace_WhenNotWaitlisted_IsRefusedByTheLifecycle_O9(PrescriptionStatus status)
    {
        var p = PrescriptionIn(status);

        Should.Throw<DomainException>(() => p.OfferPlace(OfUserId, T0, new DateOnly(2026, 1, 22))).Message.ShouldContain("Transition impossible");
        p.Status.ShouldBe(status);
    }

    [Fact]
    public void AcceptOffer_SelectsTheCandidate_RecordedByThePrescriber_O9()
    {
        var p = PrescriptionIn(PrescriptionStatus.PlaceOffered);

        p.AcceptOffer(PrescriberUserId, T0.AddDays(1));

        p.Status.ShouldBe(PrescriptionStatus.Selected);
        p.OfferDeadline.ShouldBeNull();
        p.History[^1].ByUserId.ShouldBe(PrescriberUserId);
        p.History[^1].Reason.ShouldBe("Place proposée acceptée par le candidat (O9)");
    }

    [Fact]
    public void DeclineOffer_IsAWithdrawal_AndFreesTheChoice_O9_P6()
    {
        var p = PrescriptionIn(PrescriptionStatus.PlaceOffered);

        p.DeclineOffer(PrescriberUserId, T0.AddDays(1));

        p.Status.ShouldBe(PrescriptionStatus.Withdrawn);
        p.IsActive.ShouldBeFalse();
        p.OfferDeadline.ShouldBeNull();
        p.History[^1].Reason.ShouldBe("Place proposée refusée par le candidat (O9)");
    }

    [Fact]
    public void LapseOffer_Expires_ByNoUser_NamingTheDeadline_O9()
    {
        var p = PrescriptionIn(PrescriptionStatus.PlaceOffered); // deadline 22/01/2026 (T0 + 7 days)

        p.LapseOffer(T0.AddDays(8));

        p.Status.ShouldBe(PrescriptionStatus.Expired);
        p.History[^1].ByUserId.ShouldBeNull();
        p.History[^1].Reason.ShouldBe("Place proposée sans réponse au 22/01/2026 (O9)");
    }

    [Theory]
    [InlineData(PrescriptionStatus.Waitlisted)]
    [InlineData(PrescriptionStatus.Selected)]
    public void AnswersToAnOffer_WhenNoPlaceIsOffered_AreRefused_O9(PrescriptionStatus status)
    {
        var p = PrescriptionIn(status);

        Should.Throw<DomainException>(() => p.AcceptOffer(PrescriberUserId, T0)).Rule.ShouldBe("O9");
        Should.Throw<DomainException>(() => p.DeclineOffer(PrescriberUserId, T0)).Rule.ShouldBe("O9");
        Should.Throw<DomainException>(() => p.LapseOffer(T0)).Rule.ShouldBe("O9");
        p.Status.ShouldBe(status);
    }

    [Theory]
    [InlineData(PrescriptionStatus.Selected, true, true)]
    [InlineData(PrescriptionStatus.PlaceOffered, true, true)]
    [InlineData(PrescriptionStatus.Entered, false, true)]
    [InlineData(PrescriptionStatus.Waitlisted, true, false)]
    [InlineData(PrescriptionStatus.Attended, true, false)]
    [InlineData(PrescriptionStatus.Withdrawn, false, false)]
    public void PlaceOffered_IsActive_AndHoldsAPlace_LikeSelected_O8_P6(PrescriptionStatus status, bool active, bool holdsPlace)
    {
        status.IsActive().ShouldBe(active);
        status.HoldsPlace().ShouldBe(holdsPlace);
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
