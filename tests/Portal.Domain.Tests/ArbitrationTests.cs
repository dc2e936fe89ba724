using Portal.Domain.Arbitrations;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using static Portal.Domain.Tests.Builders;
using S = Portal.Domain.Prescriptions.PrescriptionStatus;

namespace Portal.Domain.Tests;

/// <summary>S10: a case's arguments and decision, and the decisions an arbitration may apply to a prescription.</summary>
public sealed class ArbitrationTests
{
    private static readonly Guid MfeId = Guid.Parse("0197a000-0000-7000-8000-0000000000aa");
    private static readonly Guid MfeUserId = Guid.Parse("0197a000-0000-7000-8000-0000000000ab");

    private static Arbitration OpenCase(S contested = S.NotSelected) =>
        new(Guid.NewGuid(), contested, ArbitrationSide.Prescriber, PrescriberUserId, "  La candidate a validé son projet par une immersion.  ", MfeId, T0);

    [Fact]
    public void Open_KeepsTheOpenersArgument_AndWaitsForTheOtherSide_S10()
    {
        var a = OpenCase();

        a.IsOpen.ShouldBeTrue();
        a.PrescriberArgument.ShouldBe("La candidate a validé son projet par une immersion.");
        a.TrainingBodyArgument.ShouldBeNull();
        a.AssignedOrganisationId.ShouldBe(MfeId);

        a.Argue(ArbitrationSide.TrainingBody, "Le test de positionnement n'était pas réussi.");
        a.TrainingBodyArgument.ShouldBe("Le test de positionnement n'était pas réussi.");
    }

    [Fact]
    public void Open_WithoutArgument_IsRefused_S10()
    {
        var ex = Should.Throw<DomainException>(() => new Arbitration(Guid.NewGuid(), S.NotSelected, ArbitrationSide.TrainingBody, OfUserId, "   ", MfeId, T0));
        ex.Rule.ShouldBe("S10");
    }

    [Fact]
    public void Decide_Overturned_NeedsADifferentNewDecision_AndOther_NeedsWords_S10()
    {
        Should.Throw<DomainException>(() => OpenCase().Decide(ArbitrationOutcome.Overturned, null, null, MfeUserId, T0)).Rule.ShouldBe("S10");
        Should.Throw<DomainException>(() => OpenCase().Decide(ArbitrationOutcome.Overturned, S.NotSelected, null, MfeUserId, T0)).Rule.ShouldBe("S10");
        Should.Throw<DomainException>(() => OpenCase().Decide(ArbitrationOutcome.Other, null, " ", MfeUserId, T0)).Rule.ShouldBe("S10");
    }

    [Fact]
    public void Decide_OnlyOnce_AndThenTheArgumentsAreClosed_S10()
    {
        var a = OpenCase();
        a.Decide(ArbitrationOutcome.Upheld, null, "Les critères de la fiche sont appliqués.", MfeUserId, T0.AddDays(1));

        a.Status.ShouldBe(ArbitrationStatus.Decided);
        a.DecidedAt.ShouldBe(T0.AddDays(1));
        a.NewDecision.ShouldBeNull();
        Should.Throw<DomainException>(() => a.Decide(ArbitrationOutcome.Other, null, "Autre", MfeUserId, T0.AddDays(2)));
        Should.Throw<DomainException>(() => a.Argue(ArbitrationSide.TrainingBody, "Trop tard"));
    }

    [Fact]
    public void ApplyArbitration_NotSelectedToSelected_IsAllowedOnlyThroughArbitration_WithItsHistoryEntry_S10()
    {
        var p = PrescriptionIn(S.NotSelected);
        p.NonSelectionReasons.ShouldNotBeEmpty();
        PrescriptionLifecycle.CanMove(S.NotSelected, S.Selected).ShouldBeFalse("the OF cannot reverse a refusal by itself");

        p.ApplyArbitration(S.Selected, null, MfeUserId, T0.AddDays(30));

        p.Status.ShouldBe(S.Selected);
        p.NonSelectionReasons.ShouldBeEmpty();
        p.DecisionReasons.ShouldBeNull();
        var last = p.History[^1];
        (last.From, last.To, last.Reason, last.ByUserId).ShouldBe((S.NotSelected, S.Selected, "Décision de l'arbitrage (S10)", (Guid?)MfeUserId));
    }

    [Fact]
    public void ApplyArbitration_SelectedToNotSelected_NeedsExplicitReasons_S10_S7()
    {
        var p = PrescriptionIn(S.Selected);

        Should.Throw<DomainException>(() => p.ApplyArbitration(S.NotSelected, [], MfeUserId, T0.AddDays(30))).Rule.ShouldBe("S7");
        p.Status.ShouldBe(S.Selected);

        p.ApplyArbitration(S.NotSelected, [NonSelectionReason.Prerequisite("Aptitude physique")], MfeUserId, T0.AddDays(30));
        p.Status.ShouldBe(S.NotSelected);
        p.History[^1].Reason.ShouldBe("Décision de l'arbitrage (S10) : Prérequis non atteints : Aptitude physique");
    }

    [Theory]
    [InlineData(S.Entered, S.NotSelected)]
    [InlineData(S.Cancelled, S.Selected)]
    [InlineData(S.NotSelected, S.Entered)]
    [InlineData(S.Submitted, S.Convoked)]
    public void ApplyArbitration_OutsideTheDecisions_IsRefused_S10(S from, S to)
    {
        PrescriptionLifecycle.CanArbitrate(from, to).ShouldBeFalse();
    }
}
