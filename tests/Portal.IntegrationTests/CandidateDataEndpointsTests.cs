using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Candidates;
using Portal.Infrastructure.Seed;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #14 (4), ADR 0025: a candidate's copy of their data over HTTP, through the real login. The référent of the
/// candidate's organisation and the prescriber who follows them get it (JSON, readable page); another organisation's
/// référent gets 404 even with the right id, an OF 403, an anonymous browser 401; nothing of the candidate leaks.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class CandidateDataEndpointsTests(PortalFactory factory)
{
    /// <summary>A candidate of their own, followed by Camille (Mission Locale Technowest).</summary>
    private Task<Guid> CamillesCandidateAsync() => factory.QueryAsync(async db =>
    {
        var email = DemoData.Email("camille.durand");
        var camille = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Email == email);
        var candidate = new Candidate(camille.Memberships.First().OrganisationId, camille.Id, "Yasmine", "Delattre", new DateOnly(1997, 2, 14), "33063", Portal.Testing.TestDatabase.DefaultNow);
        candidate.SetContact("yasmine.delattre@exemple.fr", "06 55 44 33 22");
        db.AllCandidates.Add(candidate);
        await db.SaveChangesAsync();
        return candidate.Id;
    });

    private Task<int> ExportsLoggedAsync(Guid candidateId) =>
        factory.QueryAsync(db => db.AllPersonalDataLog.CountAsync(l => l.CandidateId == candidateId && l.Action == PersonalDataAction.Export));

    [Fact]
    public async Task CandidateData_Json_IsServedToTheFollowingPrescriber_AndLogged()
    {
        var id = await CamillesCandidateAsync();
        var camille = await factory.LoggedInAsync("camille.durand");

        var response = await camille.GetAsync($"/api/candidats/{id}/donnees.json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var candidate = json.RootElement.GetProperty("candidate");
        candidate.GetProperty("lastName").GetString().ShouldBe("Delattre");
        candidate.GetProperty("email").GetString().ShouldBe("yasmine.delattre@exemple.fr");
        candidate.GetProperty("birthDate").GetString().ShouldBe("1997-02-14");
        json.RootElement.GetProperty("prescriptions").GetArrayLength().ShouldBe(0);
        (await ExportsLoggedAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task CandidateData_Html_IsAReadableFrenchPage_ForTheReferent()
    {
        var id = await CamillesCandidateAsync();
        var sophie = await factory.LoggedInAsync("sophie.bernard");

        var response = await sophie.GetAsync($"/api/candidats/{id}/donnees.html");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("<html lang=\"fr\">");
        html.ShouldContain("<h1>Données personnelles de Yasmine Delattre</h1>");
        html.ShouldContain("<th scope=\"row\">Date de naissance</th><td>14/02/1997</td>");
        html.ShouldContain("yasmine.delattre@exemple.fr");
        html.ShouldNotContain("<script");
    }

    [Fact]
    public async Task CandidateData_AnotherOrganisationsReferent_Gets404_AnOf403_Anonymous401_AndNothingLeaks()
    {
        var id = await CamillesCandidateAsync();
        var karim = await factory.LoggedInAsync("karim.haddad");
        foreach (var url in new[] { $"/api/candidats/{id}/donnees.json", $"/api/candidats/{id}/donnees.html" })
        {
            var refused = await karim.GetAsync(url);
            refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            var body = await refused.Content.ReadAsStringAsync();
            body.ShouldNotContain("Delattre");
            body.ShouldContain("Candidat introuvable.");
            (await karim.GetAsync(url.Replace(id.ToString(), Guid.NewGuid().ToString(), StringComparison.Ordinal))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        var julie = await factory.LoggedInAsync("julie.moreau");
        (await julie.GetAsync($"/api/candidats/{id}/donnees.json")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateBrowser().GetAsync($"/api/candidats/{id}/donnees.json")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await factory.CreateBrowser().GetAsync($"/api/candidats/pas-un-id/donnees.json")).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Unauthorized);
        (await ExportsLoggedAsync(id)).ShouldBe(0);
    }
}
