using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace Portal.IntegrationTests;

/// <summary>
/// Authorization on the server, at the HTTP level: guessing another organisation's id gives 404 (or 403),
/// never data (PRODUCT: personal data; issue #2 item 5).
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ScopingTests(PortalFactory factory)
{
    [Fact]
    public async Task Prescriber_ReadsOwnOrganisationsCandidate_ButGets404ForAnotherOrganisations()
    {
        var camilleOrg = await factory.OrganisationIdOfAsync("camille.durand");
        var lucasOrg = await factory.OrganisationIdOfAsync("lucas.martin");
        var own = await factory.QueryAsync(db => db.AllCandidates.Where(c => c.OrganisationId == camilleOrg).Select(c => c.Id).FirstAsync());
        var other = await factory.QueryAsync(db => db.AllCandidates.Where(c => c.OrganisationId == lucasOrg).Select(c => new { c.Id, c.LastName }).FirstAsync());

        var client = await factory.LoggedInAsync("camille.durand");
        (await client.GetAsync($"/api/candidates/{own}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await client.GetAsync($"/api/candidates/{other.Id}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldNotContain(other.LastName);
        body.ShouldContain("Candidat introuvable");
    }

    [Fact]
    public async Task Prescriber_Gets404ForAnotherOrganisationsPrescription()
    {
        var lucasOrg = await factory.OrganisationIdOfAsync("lucas.martin");
        var other = await factory.QueryAsync(db => db.AllPrescriptions.Where(p => p.PrescriberOrganisationId == lucasOrg).Select(p => p.Id).FirstAsync());
        var client = await factory.LoggedInAsync("camille.durand");
        (await client.GetAsync($"/api/prescriptions/{other}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TrainingBody_ReadsPrescriptionsOnItsSessions_Only()
    {
        var julieOrg = await factory.OrganisationIdOfAsync("julie.moreau");
        var mine = await factory.QueryAsync(db => db.AllPrescriptions.Where(p => p.TrainingBodyId == julieOrg).Select(p => p.Id).FirstAsync());
        var notMine = await factory.QueryAsync(db => db.AllPrescriptions.Where(p => p.TrainingBodyId != julieOrg).Select(p => p.Id).FirstAsync());
        var client = await factory.LoggedInAsync("julie.moreau");
        (await client.GetAsync($"/api/prescriptions/{mine}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync($"/api/prescriptions/{notMine}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Carif_ReadsNoPersonalData()
    {
        var candidate = await factory.QueryAsync(db => db.AllCandidates.Select(c => c.Id).FirstAsync());
        var client = await factory.LoggedInAsync("nicolas.roux");
        (await client.GetAsync($"/api/candidates/{candidate}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Anonymous_Api_Gets401_NotALoginPage()
    {
        var client = factory.CreateBrowser();
        (await client.GetAsync($"/api/candidates/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CandidatePage_OfAnotherOrganisation_SaysNotFound_WithoutTheirData()
    {
        var lucasOrg = await factory.OrganisationIdOfAsync("lucas.martin");
        var other = await factory.QueryAsync(db => db.AllCandidates.Where(c => c.OrganisationId == lucasOrg).Select(c => new { c.Id, c.LastName, c.FirstName }).FirstAsync());
        var client = await factory.LoggedInAsync("camille.durand");
        var response = await client.GetAsync($"/candidats/{other.Id}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound); // issue #15 (3): monitoring and crawlers see it
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("Candidat introuvable");
        page.ShouldNotContain($"{other.FirstName} {other.LastName.ToUpperInvariant()}");
    }

    [Fact]
    public async Task UpdateOpenPlaces_O8_ByTheSessionsTrainingBody_Succeeds()
    {
        var julieOrg = await factory.OrganisationIdOfAsync("julie.moreau");
        // O8 (ADR 0015): the OF sets at most capacity − the places held by selected (5), entered (8) and offered (13) candidates.
        var session = await factory.QueryAsync(db => db.Sessions.Where(s => s.OrganisationId == julieOrg && s.Status == Domain.Offer.SessionStatus.Open)
            .Select(s => new { s.Id, s.Capacity, Held = db.AllPrescriptions.Count(p => p.SessionId == s.Id && ((int)p.Status == 5 || (int)p.Status == 8 || (int)p.Status == 13)) })
            .FirstAsync());
        var wanted = session.Capacity - session.Held - 1;
        wanted.ShouldBeGreaterThanOrEqualTo(0);
        var client = await factory.LoggedInAsync("julie.moreau");
        var response = await client.PutAsJsonAsync($"/api/sessions/{session.Id}/open-places", new { openPlaces = wanted });
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await factory.QueryAsync(db => db.Sessions.Where(s => s.Id == session.Id).Select(s => s.OpenPlaces).SingleAsync())).ShouldBe(wanted);
    }

    [Fact]
    public async Task UpdateOpenPlaces_O8_BadInput_Gets4xxInFrench_AndKeepsTheSavedValue()
    {
        var julieOrg = await factory.OrganisationIdOfAsync("julie.moreau");
        var session = await factory.QueryAsync(db => db.Sessions.Where(s => s.OrganisationId == julieOrg).Select(s => new { s.Id, s.Capacity, s.OpenPlaces }).FirstAsync());
        var client = await factory.LoggedInAsync("julie.moreau");

        var outOfRange = await client.PutAsJsonAsync($"/api/sessions/{session.Id}/open-places", new { openPlaces = session.Capacity + 1 });
        outOfRange.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await outOfRange.Content.ReadAsStringAsync()).ShouldContain("Les places ouvertes doivent être comprises entre 0 et");

        var missing = await client.PutAsJsonAsync($"/api/sessions/{session.Id}/open-places", new { });
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var garbage = await client.PutAsync($"/api/sessions/{session.Id}/open-places", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        garbage.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var badId = await client.PutAsJsonAsync("/api/sessions/not-a-guid/open-places", new { openPlaces = 1 });
        badId.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await factory.QueryAsync(db => db.Sessions.Where(s => s.Id == session.Id).Select(s => s.OpenPlaces).SingleAsync())).ShouldBeInRange(0, session.Capacity);
    }

    [Fact]
    public async Task UpdateOpenPlaces_O8_AnotherTrainingBodysSession_Gets404_AndAPrescriber403()
    {
        var julieOrg = await factory.OrganisationIdOfAsync("julie.moreau");
        var other = await factory.QueryAsync(db => db.Sessions.Where(s => s.OrganisationId != julieOrg).Select(s => new { s.Id, s.OpenPlaces }).FirstAsync());
        var julie = await factory.LoggedInAsync("julie.moreau");
        (await julie.PutAsJsonAsync($"/api/sessions/{other.Id}/open-places", new { openPlaces = 0 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var camille = await factory.LoggedInAsync("camille.durand");
        (await camille.PutAsJsonAsync($"/api/sessions/{other.Id}/open-places", new { openPlaces = 0 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.QueryAsync(db => db.Sessions.Where(s => s.Id == other.Id).Select(s => s.OpenPlaces).SingleAsync())).ShouldBe(other.OpenPlaces);
    }
}
