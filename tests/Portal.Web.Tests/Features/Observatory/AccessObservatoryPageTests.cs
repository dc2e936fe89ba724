using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Domain.Common;
using Portal.Testing;
using Portal.Web.Features.Observatory;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Observatory;

/// <summary>Q3: the access observatory's screen on the demo data: charts with their tables and exports, masking, French refusals.</summary>
public sealed class AccessObservatoryPageTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    private IRenderedComponent<AccessObservatoryPage> RenderLoaded()
    {
        Render<MudPopoverProvider>();
        var cut = Render<AccessObservatoryPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='table-publics']").ShouldNotBeEmpty());
        return cut;
    }

    private static List<string> Row(IRenderedComponent<AccessObservatoryPage> cut, string table, string header) =>
        [.. cut.Find($"[data-testid='table-{table}']").QuerySelectorAll("tbody tr")
            .First(r => r.QuerySelector("th")!.Shown() == header).Children.Select(c => c.Shown())];

    [Fact]
    public async Task AccessObservatory_ShowsEveryPrescriptionOfTheLastTwelveMonths_WithChartsTablesAndExports_Q3()
    {
        await AuthorizeAsAsync(TestUsers.Claire);
        var today = Portal.Domain.Offer.TrainingSession.Today(Clock.GetUtcNow());
        var from = FrenchTime.StartOfDay(today.AddYears(-1).AddDays(1));
        int expected;
        await using (var db = Database.CreateDbContext())
        {
            // Counted here from the raw rows: every demo prescription made in the last twelve months.
            expected = (await db.AllPrescriptions.Select(p => p.CreatedAt).ToListAsync(Cancellation)).Count(c => c >= from);
        }

        var cut = RenderLoaded();

        var all = Row(cut, "publics", "Tous les candidats");
        all[1].ShouldBe(expected >= 5 ? expected.ToString(System.Globalization.CultureInfo.InvariantCulture) : "< 5");
        cut.FindAll("svg").Count.ShouldBeGreaterThanOrEqualTo(2); // the two charts
        var csv = cut.Find("[data-testid='table-distances'] a[aria-label$='en CSV']").GetAttribute("href");
        csv.ShouldBe($"/api/observatoire/acces/distances.csv?du={today.AddYears(-1).AddDays(1):yyyy-MM-dd}&au={today:yyyy-MM-dd}");
        cut.Find("[data-testid='table-departements']").Shown().ShouldContain("Distance moyenne (km)");
        // Issue #12: the figures are shared for a while; the screen says when they were computed (the test's clock, in Paris time).
        var paris = TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        cut.Find("[data-testid='computed-at']").Shown()
            .ShouldBe($"Chiffres calculés le {paris:dd/MM/yyyy} à {paris:HH:mm:ss} (heure de Paris).");
        // Every count cell is a figure, "< 5" or a share: never a name or an identifier.
        cut.FindAll("[data-testid='table-publics'] tbody td").Select(td => td.Shown())
            .ShouldAllBe(t => t == "< 5" || t == "—" || System.Text.RegularExpressions.Regex.IsMatch(t, @"^[\d\u202f ]+(,\d)?( %)?$"));
    }

    [Fact]
    public async Task AccessObservatory_AnInvertedPeriod_IsRefusedInFrench_AndTheFiguresOnScreenStay_Q3()
    {
        await AuthorizeAsAsync(TestUsers.Nicolas);
        var cut = RenderLoaded();
        var before = Row(cut, "publics", "Tous les candidats");

        var du = cut.FindAll(".mud-input-control").First(c => c.QuerySelector("label")?.Shown() == "Du").QuerySelector("input")!;
        du.Change("01/06/2027");
        await cut.InvokeAsync(() => cut.FindAll("button").First(b => b.Shown() == "Afficher").Click());

        cut.WaitForAssertion(() => cut.Find("[role='alert']").Shown().ShouldBe("La fin de la période doit suivre son début."));
        Row(cut, "publics", "Tous les candidats").ShouldBe(before);
    }
}
