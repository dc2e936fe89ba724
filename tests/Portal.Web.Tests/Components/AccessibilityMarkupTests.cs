using System.Text.RegularExpressions;
using Bunit;
using MudBlazor;
using Portal.Application.Export;
using Portal.Application.Features.Catalogue;
using Portal.Application.Features.Fiches;
using Portal.Testing;
using Portal.Web.Components.Pages;
using Portal.Web.Features.Catalogue;
using Portal.Web.Features.Fiches;
using Portal.Web.Features.Observatory;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components;

/// <summary>
/// Issue #15 (6): the markup fixes of the axe scan (AccessibilityTests, end to end): the icon buttons of the date pickers
/// and autocompletes have an accessible name, links inside a sentence are underlined (not told apart by colour alone),
/// and the heat tables keep their text readable.
/// </summary>
public sealed class AccessibilityMarkupTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    [Fact]
    public async Task CatalogueSearchForm_ItsCalendarAndSuggestionButtons_HaveAnAccessibleName()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        Render<MudPopoverProvider>();

        var cut = Render<CatalogueSearchForm>(p => p.Add(c => c.Query, new SearchCatalogue()).Add(c => c.BasePath, "/offre"));

        var names = cut.FindAll("button.mud-input-adornment-icon-button").Select(b => b.GetAttribute("aria-label")).ToList();
        names.Count(n => n == "Ouvrir le calendrier").ShouldBe(2); // "Début à partir du" and "Début au plus tard le"
        names.ShouldAllBe(n => !string.IsNullOrWhiteSpace(n));
    }

    [Fact]
    public void ReferenceListField_ItsSuggestionButton_HasAnAccessibleName()
    {
        Render<MudPopoverProvider>();

        var cut = Render<ReferenceListField>(p => p
            .Add(c => c.Items, [])
            .Add(c => c.Label, "Codes ROME")
            .Add(c => c.AddLabel, "Ajouter un code ROME")
            .Add(c => c.Search, (_, _) => Task.FromResult<IReadOnlyList<ReferenceItem>>([])));

        cut.FindAll("button.mud-input-adornment-icon-button").Select(b => b.GetAttribute("aria-label"))
            .ShouldHaveSingleItem().ShouldBe("Afficher les suggestions");
    }

    /// <summary>
    /// Every date picker, time picker and autocomplete of the portal, dialogs included, names its adornment button. The name
    /// is the button's action, not the field's label (which names the input): a search by the field's label, by a screen
    /// reader's form list or by Playwright's GetByLabel, finds the input alone.
    /// </summary>
    [Fact]
    public void EveryPickerAndAutocomplete_OfThePortal_HasAnAdornmentAriaLabel()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Portal.sln"))) root = root.Parent;
        root.ShouldNotBeNull("Portal.sln not found above the test's folder");
        var tags = Directory.EnumerateFiles(Path.Combine(root.FullName, "src", "Portal.Web"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), @"<(MudDatePicker|MudTimePicker|MudAutocomplete)\b.*?(?<!=)/?>", RegexOptions.Singleline)
                .Select(m => (File: Path.GetFileName(file), Tag: m.Value)))
            .ToList();

        tags.Count.ShouldBeGreaterThanOrEqualTo(20);
        tags.Where(t => !t.Tag.Contains("AdornmentAriaLabel=", StringComparison.Ordinal)).Select(t => $"{t.File}: {t.Tag}").ShouldBeEmpty();
    }

    [Fact]
    public void AccessDeniedPage_ItsLinkInTheSentence_IsUnderlined() =>
        Render<AccessDeniedPage>().Find("a[href='/']").ClassList.ShouldContain("mud-link-underline-always");

    [Fact]
    public async Task OfferPage_ItsLinkToTheRegionalOrder_IsUnderlined()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        Render<MudPopoverProvider>();

        var cut = Render<OfferPage>();

        cut.Find("a[href='/commande-regionale/consultation']").ClassList.ShouldContain("mud-link-underline-always");
    }

    [Fact]
    public async Task EvaluationReport_ItsLinksToTheOtherObservatories_AreUnderlined()
    {
        await AuthorizeAsAsync(TestUsers.Claire);
        Render<MudPopoverProvider>();

        var cut = Render<EvaluationReportPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='table-lisibilite']").ShouldNotBeEmpty());
        cut.Find("a[href='/observatoire/qualite']").ClassList.ShouldContain("mud-link-underline-always");
        cut.Find("a[href='/observatoire/acces']").ClassList.ShouldContain("mud-link-underline-always");
    }

    /// <summary>
    /// The darkest heat cell is 40 % of the blue (0, 83, 179) over white, #99badf: the table's text (#424242) reads on it at
    /// about 5:1 (WCAG AA: 4.5:1). A figure of 0 gets 6 %, half the largest 23 % (0.06 + 0.34 × 0.5).
    /// </summary>
    [Fact]
    public void ReportTableView_TheDarkestHeatCell_KeepsTheTextReadable()
    {
        var table = new ReportTable("departements", "Par département", ["Département", "Candidats"],
            [["Gironde", "16"], ["Landes", "8"], ["Creuse", "0"]]);

        var cut = Render<ReportTableView>(p => p.Add(c => c.Table, table).Add(c => c.HeatColumns, new HashSet<int> { 1 }));

        cut.FindAll("tbody td").Select(td => td.GetAttribute("style")).ShouldBe([
            "text-align: right; background-color: rgba(0, 83, 179, 0.4)",
            "text-align: right; background-color: rgba(0, 83, 179, 0.23)",
            "text-align: right; background-color: rgba(0, 83, 179, 0.06)",
        ]);
    }
}
