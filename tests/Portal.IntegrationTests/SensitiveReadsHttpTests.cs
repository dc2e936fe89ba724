using System.Net;

namespace Portal.IntegrationTests;

/// <summary>Issue #14 (4): the RQTH reads journal over HTTP through the real login: its page and its export, for its readers only.</summary>
[Collection(PortalCollection.Name)]
public sealed class SensitiveReadsHttpTests(PortalFactory factory)
{
    [Theory]
    [InlineData("camille.durand")]
    [InlineData("julie.moreau")]
    [InlineData("claire.lefevre")]
    public async Task ACounsellor_AnOf_OrTheRegion_GetsNeitherThePageNorTheExport(string who)
    {
        var client = await factory.LoggedInAsync(who);

        var page = await client.GetAsync("/journal-rqth");
        var export = await client.GetAsync("/api/exports/journal-rqth.csv");

        // A signed-in user without the right is sent to the portal's "Accès refusé" page, as for every screen.
        page.StatusCode.ShouldBe(HttpStatusCode.Found);
        page.Headers.Location!.AbsolutePath.ShouldBe("/acces-refuse");
        export.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await export.Content.ReadAsStringAsync()).ShouldContain("réservé à l'administrateur, au référent et au correspondant délégué");
    }

    [Fact]
    public async Task TheAdministrator_GetsThePageAndTheExport_AndABadDateIsA4xxInFrench()
    {
        var admin = await factory.LoggedInAsync("admin");

        (await admin.GetAsync("/journal-rqth")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // A filter that matches nothing: the file is written at once (other tests of the shared host read RQTHs, and above
        // the factory's threshold of 3 rows the export would be queued instead).
        var export = await admin.GetAsync("/api/exports/journal-rqth.csv?du=2026-11-01&q=personne-de-ce-nom");
        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await export.Content.ReadAsStringAsync()).ShouldContain("Consulté le;Par;E-mail;Candidat;Donnée");

        var bad = await admin.GetAsync("/api/exports/journal-rqth.csv?du=demain");
        ((int)bad.StatusCode).ShouldBeInRange(400, 499);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("Date invalide");
    }
}
