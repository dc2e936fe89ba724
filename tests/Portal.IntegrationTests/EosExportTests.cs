using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Eos;
using Portal.Application.Security;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>S11 over HTTP: the anomalies of an EOS import download as CSV for the Région only (authorization on the server).</summary>
[Collection(PortalCollection.Name)]
public sealed class EosExportTests(PortalFactory factory)
{
    private async Task<Guid> ImportAsRegionAsync()
    {
        var claire = await factory.QueryAsync(async db =>
        {
            var email = Portal.Infrastructure.Seed.DemoData.Email("claire.lefevre");
            var user = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Email == email);
            var org = await db.Organisations.SingleAsync(o => o.Id == user.Memberships.First().OrganisationId);
            return new CurrentUser(user.Id, user.DisplayName, org.Id, org.Name, org.Kind, org.TerritoryId, user.Memberships.Select(m => m.Role).ToHashSet());
        });
        using var scope = factory.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<ImportEos.Handler>()
            .HandleAsync(new ImportEos("export_eos.csv", EosFiles.Windows1252(EosFiles.Realistic)), claire);
        return result.ImportId;
    }

    [Fact]
    public async Task S11_AnomaliesCsv_IsServedToTheRegion_403ForAPrescriber_404ForAnUnknownImport()
    {
        var import = await ImportAsRegionAsync();
        var url = $"/api/region/coherence-eos/{import}/anomalies.csv";

        var claire = await factory.LoggedInAsync("claire.lefevre");
        var ok = await claire.GetAsync(url);
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        ok.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        ok.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        var csv = Encoding.UTF8.GetString(await ok.Content.ReadAsByteArrayAsync());
        csv.TrimStart('\uFEFF').ShouldStartWith("type_anomalie;ligne_eos;nom_prenom;");
        csv.ShouldContain("Entrée dans EOS sans prescription dans le portail;6;Théo LACOSTE;FT2999999;");

        var camille = await factory.LoggedInAsync("camille.durand");
        var refused = await camille.GetAsync(url);
        refused.StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain("LACOSTE");

        (await claire.GetAsync($"/api/region/coherence-eos/{Guid.NewGuid()}/anomalies.csv")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await claire.GetAsync("/api/region/coherence-eos/pas-un-id/anomalies.csv")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await factory.CreateBrowser().GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
