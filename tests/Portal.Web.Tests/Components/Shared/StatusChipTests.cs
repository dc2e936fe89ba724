using Bunit;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Components.Shared;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Shared;

/// <summary>The chips only render their status: the tests share one demo database (they read nothing from it).</summary>
public sealed class StatusChipTests(DemoDatabase shared) : PortalTestContext(shared), IClassFixture<DemoDatabase>
{
    public static TheoryData<PrescriptionStatus> PrescriptionStatuses => [.. Enum.GetValues<PrescriptionStatus>()];

    public static TheoryData<SessionStatus> SessionStatuses => [.. Enum.GetValues<SessionStatus>()];

    [Theory]
    [MemberData(nameof(PrescriptionStatuses))]
    public void StatusChip_ShowsFrenchWords_NeverTheEnumName(PrescriptionStatus status)
    {
        var cut = Render<StatusChip>(p => p.Add(c => c.Status, status));

        var shown = cut.Find(".mud-chip").Shown();
        shown.ShouldNotBeNullOrWhiteSpace();
        shown.ShouldNotBe(status.ToString());
        shown.ShouldNotBe("Inconnu");
        Text.EnumNamesIn(cut.Markup).ShouldBeEmpty();
        shown.ShouldBe(status.Label());
    }

    [Theory]
    [InlineData(PrescriptionStatus.Submitted, "Prescrite")]
    [InlineData(PrescriptionStatus.Selected, "Retenue")]
    [InlineData(PrescriptionStatus.NotSelected, "Non retenue")]
    [InlineData(PrescriptionStatus.Waitlisted, "Liste d'attente")]
    [InlineData(PrescriptionStatus.Entered, "Entrée en formation")]
    public void StatusChip_ShowsTheCharterWord(PrescriptionStatus status, string expected) =>
        Render<StatusChip>(p => p.Add(c => c.Status, status)).Find(".mud-chip").Shown().ShouldBe(expected);

    [Fact]
    public void StatusChip_GivesEachStatusItsOwnWords()
    {
        var shown = Enum.GetValues<PrescriptionStatus>()
            .Select(s => Render<StatusChip>(p => p.Add(c => c.Status, s)).Find(".mud-chip").Shown())
            .ToList();

        shown.Distinct().Count().ShouldBe(shown.Count, string.Join(" | ", shown));
    }

    [Theory]
    [MemberData(nameof(PrescriptionStatuses))]
    public void StatusChipFor_TheFragmentListsDraw_IsTheComponentsMarkup_Issue12(PrescriptionStatus status)
    {
        var component = Render<StatusChip>(p => p.Add(c => c.Status, status));

        var fragment = Render(StatusChip.For(status));

        fragment.MarkupMatches(component.Markup);
        fragment.Find(".mud-chip").Shown().ShouldBe(status.Label());
        fragment.FindComponents<StatusChip>().ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(SessionStatuses))]
    public void SessionStatusChip_ShowsFrenchWords_NeverTheEnumName(SessionStatus status)
    {
        var cut = Render<SessionStatusChip>(p => p.Add(c => c.Status, status));

        var shown = cut.Find(".mud-chip").Shown();
        shown.ShouldNotBeNullOrWhiteSpace();
        shown.ShouldNotBe(status.ToString());
        shown.ShouldNotBe("Inconnu");
        Text.EnumNamesIn(cut.Markup).ShouldBeEmpty();
    }
}
