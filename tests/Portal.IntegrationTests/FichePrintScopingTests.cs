using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #13 (P3, P4, P5, P7): the print pages of the fiches de prescription answer the session's OF and the Région;
/// another OF gets 404 and no personal data, over HTTP.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class FichePrintScopingTests(PortalFactory factory)
{
    [Fact]
    public async Task SessionFiches_PrintPage_IsServedToItsOf_And404ForAnotherOf_P7()
    {
        var julieOrg = await factory.OrganisationIdOfAsync("julie.moreau");
        var prescription = await factory.QueryAsync(db => db.AllPrescriptions.Where(p => p.TrainingBodyId == julieOrg)
            .Select(p => new { p.Id, p.SessionId, Name = db.AllCandidates.Where(c => c.Id == p.CandidateId).Select(c => c.LastName).First() }).FirstAsync());

        var julie = await factory.LoggedInAsync("julie.moreau");
        var own = await julie.GetAsync($"/sessions/{prescription.SessionId}/fiches/imprimer");
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await own.Content.ReadAsStringAsync();
        page.ShouldContain("data-testid=\"fiche-page\"");
        page.ShouldContain(prescription.Name);

        var thomas = await factory.LoggedInAsync("thomas.laurent");
        foreach (var url in new[] { $"/sessions/{prescription.SessionId}/fiches/imprimer", $"/prescriptions/{prescription.Id}/imprimer" })
        {
            var response = await thomas.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
            var body = await response.Content.ReadAsStringAsync();
            body.ShouldNotContain(prescription.Name);
            body.ShouldNotContain("fiche-page");
        }
    }
}
