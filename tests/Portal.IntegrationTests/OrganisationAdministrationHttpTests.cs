using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Portal.IntegrationTests;

/// <summary>
/// A1, A2, S10: the administration of organisations is refused on the server to a prescriber, a référent, an OF, the CARIF
/// or an MFE (as every page of another role: redirected to the French "Accès refusé" page, the page itself never rendered);
/// the Région and the administrator open it; an organisation that does not exist answers 404.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class OrganisationAdministrationHttpTests(PortalFactory factory)
{
    [Theory]
    [InlineData("camille.durand")]
    [InlineData("sophie.bernard")]
    [InlineData("julie.moreau")]
    [InlineData("nicolas.roux")]
    [InlineData("aurelie.fournier")]
    public async Task OrganisationPages_OtherRoles_AreRefused_WithTheFrenchRefusal_A1(string account)
    {
        var own = await factory.OrganisationIdOfAsync(account);
        var client = await factory.LoggedInAsync(account);

        foreach (var path in new[] { "/admin/organisations", "/admin/organisations/nouvelle", $"/admin/organisations/{own}" })
        {
            var response = await client.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            response.Headers.Location!.AbsolutePath.ShouldBe("/acces-refuse");
            var body = await response.Content.ReadAsStringAsync();
            body.ShouldNotContain("Organisations et habilitations");
            body.ShouldNotContain("Mission Locale Technowest");
        }
        (await client.GetStringAsync("/acces-refuse")).ShouldContain("Accès refusé");
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("claire.lefevre")]
    public async Task OrganisationPages_AdminAndRegion_Get200_AndAnUnknownOrganisation404(string account)
    {
        var technowest = await factory.QueryAsync(db => db.Organisations.Where(o => o.Name == "Mission Locale Technowest").Select(o => o.Id).SingleAsync());
        var client = await factory.LoggedInAsync(account);

        (await client.GetAsync("/admin/organisations")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await client.GetAsync($"/admin/organisations/{technowest}");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var missing = await client.GetAsync($"/admin/organisations/{Guid.NewGuid()}");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync()).ShouldContain("Organisation introuvable");
    }

    [Fact]
    public async Task OrganisationView_APrescriberWhoIsNotTheDelegue_IsRefused_AReferentOpensIt_A2()
    {
        var camille = await factory.LoggedInAsync("camille.durand");
        var sophie = await factory.LoggedInAsync("sophie.bernard");

        var refused = await camille.GetAsync("/organisation");
        refused.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        refused.Headers.Location!.AbsolutePath.ShouldBe("/acces-refuse");
        (await sophie.GetAsync("/organisation")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
