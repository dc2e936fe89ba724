using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Exports;

namespace Portal.IntegrationTests;

/// <summary>
/// Q3, Q4 over HTTP through the real login: a small list comes back as the file; a large one (the factory's threshold
/// is 3 rows) is queued and sends the browser to "Mes exports"; its file is for its requester only; French 4xx otherwise.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ExportEndpointsTests(PortalFactory factory)
{
    private static string[] CsvLines(byte[] bytes)
    {
        bytes.Take(3).ShouldBe(Encoding.UTF8.GetPreamble());
        return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task Export_MesCandidats_SmallList_IsTheFileAtOnce_WithTheScreensFilter()
    {
        var camille = await factory.LoggedInAsync("camille.durand");
        var camilleId = await factory.QueryAsync(db => db.Users.Where(u => u.Email == "camille.durand@demo.portail-formation.fr").Select(u => u.Id).FirstAsync());
        var lastName = await factory.QueryAsync(db => db.AllCandidates.Where(c => c.ReferentUserId == camilleId).OrderBy(c => c.LastName).Select(c => c.LastName).FirstAsync());

        var response = await camille.GetAsync($"/api/exports/mes-candidats.csv?recherche={Uri.EscapeDataString(lastName)}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.FileName!.ShouldStartWith("mes-candidats-");
        var lines = CsvLines(await response.Content.ReadAsByteArrayAsync());
        lines[0].ShouldBe("Candidat;Commune;À traiter;Dernier événement;Choix (au plus 3)");
        lines.Skip(1).ShouldNotBeEmpty();
        lines.Skip(1).ShouldAllBe(l => l.StartsWith(lastName.ToUpperInvariant(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_CandidatsOrganisation_LargeList_IsQueued_AndItsFileIsForTheRequesterOnly()
    {
        var sophie = await factory.LoggedInAsync("sophie.bernard");

        var queued = await sophie.GetAsync("/api/exports/candidats-organisation.xlsx");

        queued.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = queued.Headers.Location!.ToString();
        location.ShouldStartWith("/exports?nouveau=");
        var exportId = Guid.Parse(location["/exports?nouveau=".Length..]);
        var notReady = await sophie.GetAsync($"/api/exports/{exportId}/fichier");
        notReady.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await notReady.Content.ReadAsStringAsync()).ShouldContain("pas encore prêt");

        // Hangfire's server is off in tests: run the job as it would.
        using (var scope = factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<ExportJob>().RunAsync(exportId, CancellationToken.None);

        var file = await sophie.GetAsync($"/api/exports/{exportId}/fichier");
        file.StatusCode.ShouldBe(HttpStatusCode.OK);
        file.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        (await file.Content.ReadAsByteArrayAsync()).Take(2).ShouldBe("PK"u8.ToArray());

        foreach (var other in new[] { "camille.durand", "karim.haddad" })
        {
            var refused = await (await factory.LoggedInAsync(other)).GetAsync($"/api/exports/{exportId}/fichier");
            refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("Export introuvable.");
        }
    }

    [Fact]
    public async Task Export_SessionPrescriptions_OtherOrganisation_404_AndBadInputIsA4xxInFrench_NeverA500()
    {
        var julieOrg = await factory.OrganisationIdOfAsync("julie.moreau");
        var session = await factory.QueryAsync(db => db.AllPrescriptions.Where(p => p.TrainingBodyId == julieOrg).Select(p => p.SessionId).FirstAsync());
        var thomas = await factory.LoggedInAsync("thomas.laurent");

        var across = await thomas.GetAsync($"/api/exports/session-prescriptions.csv?session={session}");
        across.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await across.Content.ReadAsStringAsync()).ShouldContain("Session introuvable.");
        (await thomas.GetAsync($"/api/exports/session-decisions.csv?session={session}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var badId = await thomas.GetAsync("/api/exports/session-prescriptions.csv?session=abc");
        badId.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await badId.Content.ReadAsStringAsync()).ShouldContain("Indiquez la session à exporter");
        var unknown = await thomas.GetAsync("/api/exports/inconnue.csv");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("Liste à exporter inconnue");
        (await thomas.GetAsync("/api/exports/arbitrages.pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await thomas.GetAsync("/api/exports/arbitrages.csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var badFile = await thomas.GetAsync("/api/exports/abc/fichier");
        badFile.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badFile.Content.ReadAsStringAsync()).ShouldContain("Identifiant d'export invalide.");
        (await thomas.GetAsync($"/api/exports/{Guid.NewGuid()}/fichier")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var anonymous = factory.CreateBrowser();
        (await anonymous.GetAsync("/api/exports/mes-candidats.csv")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }
}
