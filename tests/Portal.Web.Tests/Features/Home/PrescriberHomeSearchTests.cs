using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Testing;
using Portal.Web.Features.Home;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Home;

/// <summary>"Mes candidats": the search narrows the list in SQL; an empty result says what to do.</summary>
public sealed class PrescriberHomeSearchTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    [Fact]
    public async Task Search_ByName_ShowsOnlyTheMatchingCandidates_AndAnEmptyStateOtherwise()
    {
        var sophie = await AuthorizeAsAsync(TestUsers.Sophie);
        await using var db = Database.CreateDbContext();
        var target = await db.AllCandidates.Where(c => c.OrganisationId == sophie.OrganisationId).OrderBy(c => c.LastName).Select(c => new { c.Id, c.LastName }).FirstAsync(Cancellation);
        var cut = Render<PrescriberHome>(p => p.Add(c => c.WholeOrganisation, true));
        cut.WaitForAssertion(() => cut.FindAll("a[href^='/candidats/']").Count.ShouldBeGreaterThan(1));

        cut.Find("input[type='text']").Input(target.LastName);
        Clock.Advance(TimeSpan.FromMilliseconds(400)); // MudBlazor's debounce runs on the injected TimeProvider

        var matching = await db.AllCandidates.Where(c => c.OrganisationId == sophie.OrganisationId && (c.LastName.Contains(target.LastName) || c.FirstName.Contains(target.LastName)))
            .Select(c => $"/candidats/{c.Id}").ToListAsync(Cancellation);
        var all = await db.AllCandidates.CountAsync(c => c.OrganisationId == sophie.OrganisationId, Cancellation);
        matching.Count.ShouldBeLessThan(all);
        cut.WaitForAssertion(() => cut.FindAll("a[href^='/candidats/']").Select(a => a.GetAttribute("href")).ShouldBe(matching, ignoreOrder: true));

        cut.Find("input[type='text']").Input("zzzz-personne");
        Clock.Advance(TimeSpan.FromMilliseconds(400));
        cut.WaitForAssertion(() => cut.Find(".mud-alert").Shown().ShouldBe("Aucun candidat ne correspond : changez la recherche ou le filtre."));
    }
}
