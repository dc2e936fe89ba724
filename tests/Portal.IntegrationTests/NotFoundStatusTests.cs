using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #15 (3): a signed-in page whose subject is out of reach (another organisation's id, or no such id) answers 404
/// with its own French message, rendered on the server, and the page of one's own subject still answers 200.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class NotFoundStatusTests(PortalFactory factory)
{
    [Fact]
    public async Task OwnSession_Answers200_AnotherTrainingBodysSessionAndItsDecisions_Answer404WithTheFrenchMessage()
    {
        var julieOrg = await factory.OrganisationIdOfAsync("julie.moreau");
        var own = await factory.QueryAsync(db => db.Sessions.Where(s => s.OrganisationId == julieOrg).Select(s => s.Id).FirstAsync());
        var other = await factory.QueryAsync(db => db.Sessions.Where(s => s.OrganisationId != julieOrg).Select(s => s.Id).FirstAsync());
        var julie = await factory.LoggedInAsync("julie.moreau");

        (await julie.GetAsync($"/sessions/{own}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var path in new[] { $"/sessions/{other}", $"/sessions/{other}/decisions" })
        {
            var response = await julie.GetAsync(path);
            response.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
            var html = await response.Content.ReadAsStringAsync();
            html.ShouldContain(response.StatusCode == HttpStatusCode.NotFound ? "Session introuvable" : "Accès refusé");
        }
    }

    [Fact]
    public async Task AnotherOrganisationsPrescriptionAndItsLetter_Answer404_TheOwnOneAnswers200()
    {
        var camilleOrg = await factory.OrganisationIdOfAsync("camille.durand");
        var own = await factory.QueryAsync(db => db.AllPrescriptions.Where(p => p.PrescriberOrganisationId == camilleOrg).Select(p => p.Id).FirstAsync());
        var other = await factory.QueryAsync(db => db.AllPrescriptions.Where(p => p.PrescriberOrganisationId != camilleOrg).Select(p => p.Id).FirstAsync());
        var camille = await factory.LoggedInAsync("camille.durand");

        (await camille.GetAsync($"/prescriptions/{own}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var prescription = await camille.GetAsync($"/prescriptions/{other}");
        prescription.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await prescription.Content.ReadAsStringAsync()).ShouldContain("Prescription introuvable");
        var letter = await camille.GetAsync($"/prescriptions/{other}/convocation");
        letter.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await letter.Content.ReadAsStringAsync()).ShouldContain("Convocation introuvable");
    }

    [Theory]
    [InlineData("claire.lefevre", "/arbitrages/{0}", "Arbitrage introuvable")]
    [InlineData("claire.lefevre", "/fiches-a-valider/{0}", "Fiche introuvable")]
    [InlineData("julie.moreau", "/fiches/{0}", "Fiche introuvable")]
    [InlineData("camille.durand", "/candidats/{0}", "Candidat introuvable")]
    public async Task AnIdThatDoesNotExist_Answers404WithThePagesFrenchMessage(string user, string pattern, string message)
    {
        var client = await factory.LoggedInAsync(user);
        var response = await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, Guid.NewGuid()));
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain(message);
    }
}

/// <summary>Issue #15 (2): a hand-edited query parameter of a signed-in page is ignored, never "erreur inattendue".</summary>
[Collection(PortalCollection.Name)]
public sealed class SignedInQueryParameterTests(PortalFactory factory)
{
    [Fact]
    public async Task MyExports_WithANewExportIdThatIsNotAnId_ShowsThePage()
    {
        var camille = await factory.LoggedInAsync("camille.durand");

        var response = await camille.GetAsync("/exports?nouveau=abc");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Mes exports");
        html.ShouldNotContain("Une erreur inattendue");
    }

    [Fact]
    public async Task SessionFichesPrint_WithACheckedIdThatIsNotAnId_PrintsTheValidOnes()
    {
        var julieOrg = await factory.OrganisationIdOfAsync("julie.moreau");
        var prescription = await factory.QueryAsync(db => db.AllPrescriptions.Where(p => p.TrainingBodyId == julieOrg)
            .Select(p => new { p.Id, p.SessionId }).FirstAsync());
        var julie = await factory.LoggedInAsync("julie.moreau");

        var response = await julie.GetAsync($"/sessions/{prescription.SessionId}/fiches/imprimer?p=abc&p={prescription.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        System.Text.RegularExpressions.Regex.Matches(html, "data-testid=\"fiche-page\"").Count.ShouldBe(1);
    }
}
