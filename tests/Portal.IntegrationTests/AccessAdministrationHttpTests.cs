using System.Net;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #14 (2) over HTTP through the real login: the access requests, users and audit screens and the users export
/// answer only their readers; others get "Accès refusé" (pages) or 403 (API), a person without membership too; a référent's
/// export holds their organisation's members and not another's; a bad filter is a 4xx in French, never a 500.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class AccessAdministrationHttpTests(PortalFactory factory)
{
    [Theory]
    [InlineData("camille.durand")]
    [InlineData("julie.moreau")]
    [InlineData("claire.lefevre")]
    public async Task ACounsellor_AnOf_OrTheRegion_GetNeitherTheScreensNorTheExport_Issue14_2(string who)
    {
        var client = await factory.LoggedInAsync(who);

        foreach (var path in new[] { "/acces/demandes", "/admin/utilisateurs", "/admin/journal" })
        {
            var page = await client.GetAsync(path);
            page.StatusCode.ShouldBe(HttpStatusCode.Found, path);
            page.Headers.Location!.AbsolutePath.ShouldBe("/acces-refuse", path);
        }
        var export = await client.GetAsync("/api/exports/utilisateurs.csv");
        export.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await export.Content.ReadAsStringAsync()).ShouldContain("La gestion des utilisateurs est réservée à l'administrateur et aux référents.");
    }

    [Fact]
    public async Task APersonWithoutMembership_GetsOnlyAccesEnAttente_Issue14_2()
    {
        var client = factory.CreateBrowser();
        await OidcLogin.LoginAsync(client, $"sans.rattachement.{Guid.NewGuid():N}@essai.fr");

        (await client.GetAsync("/acces-en-attente")).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var path in new[] { "/acces/demandes", "/admin/utilisateurs", "/admin/journal" })
            (await client.GetAsync(path)).Headers.Location!.AbsolutePath.ShouldBe("/acces-refuse", path);
        (await client.GetAsync("/api/exports/utilisateurs.csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AReferent_GetsTheirScreens_AndExportsTheirOrganisationsMembersOnly_NotTheAuditLog_Issue14_2()
    {
        var sophie = await factory.LoggedInAsync("sophie.bernard");

        (await sophie.GetAsync("/acces/demandes")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await sophie.GetAsync("/admin/utilisateurs")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await sophie.GetAsync("/admin/journal")).Headers.Location!.AbsolutePath.ShouldBe("/acces-refuse");
        // Filtered to one person each (the factory writes at most 3 rows at once).
        var own = await (await sophie.GetAsync("/api/exports/utilisateurs.csv?q=camille")).Content.ReadAsStringAsync();
        own.ShouldContain("Nom;Prénom;E-mail;Compte;Rattachements");
        own.ShouldContain("camille.durand");
        var other = await sophie.GetAsync("/api/exports/utilisateurs.csv?q=karim");
        other.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await other.Content.ReadAsStringAsync()).ShouldNotContain("karim.haddad");
    }

    [Fact]
    public async Task TheAdministrator_ABadFilter_IsA4xxInFrench_Issue14_2()
    {
        var admin = await factory.LoggedInAsync("admin");

        (await admin.GetAsync("/admin/journal")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var bad = await admin.GetAsync("/api/exports/utilisateurs.csv?actif=peut-etre");
        ((int)bad.StatusCode).ShouldBeInRange(400, 499);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("Valeur inconnue pour le paramètre « actif »");
        var badOrganisation = await admin.GetAsync("/api/exports/utilisateurs.csv?organisation=xyz");
        ((int)badOrganisation.StatusCode).ShouldBeInRange(400, 499);
    }
}
