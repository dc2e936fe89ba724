using Portal.Domain.Common;
using Portal.Domain.Quality;

namespace Portal.Domain.Tests;

/// <summary>Q1, Q2: the Région's thresholds and the forwarding of a quality alert.</summary>
public sealed class QualityTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 27, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnAlert_IsForwardedOnce_WithATrimmedComment_AndNeverWhenResolvedOrWithoutComment_Q2()
    {
        var by = Guid.NewGuid();
        var alert = new QualityAlert(QualityAlertKind.DecisionsMissing, Guid.NewGuid(), 2, Now);
        Should.Throw<DomainException>(() => alert.Forward(" ", by, Now)).Rule.ShouldBe("Q2");
        Should.Throw<DomainException>(() => alert.Forward(new string('x', QualityAlert.MaxCommentLength + 1), by, Now));

        alert.Forward("  À relancer.  ", by, Now);

        (alert.ForwardComment, alert.ForwardedBy, alert.ForwardedAt).ShouldBe(("À relancer.", (Guid?)by, (DateTimeOffset?)Now));
        Should.Throw<DomainException>(() => alert.Forward("Encore", by, Now)).Message.ShouldBe("Cette alerte a déjà été transmise à la Région.");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(365.1)]
    [InlineData(double.NaN)]
    public void AThreshold_OutsideZeroTo365_IsRefused_Q1(double value) =>
        Should.Throw<DomainException>(() => new QualityThreshold("delai-decision", value, Guid.NewGuid(), Now)).Rule.ShouldBe("Q1");

    [Fact]
    public void AThreshold_IsRoundedToOneDecimal_AndRecordsWhoSetIt_Q1()
    {
        var by = Guid.NewGuid();
        var t = new QualityThreshold("delai-decision", 12.34, by, Now);
        (t.Value, t.UpdatedBy, t.UpdatedAt).ShouldBe((12.3, by, Now));
    }
}
