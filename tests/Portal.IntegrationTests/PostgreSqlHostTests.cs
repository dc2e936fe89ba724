using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// ADR 0021: the real host with <c>Database:Provider=PostgreSql</c> on a database of the run's throwaway cluster
/// (skipped with the reason without PostgreSQL 15): it starts (migrations, observatory triggers), reports its database
/// healthy and serves a prescriber within her scope (A1) over HTTP.
/// </summary>
public sealed class PostgreSqlHostTests
{
    [Fact]
    public async Task TheHostOnPostgreSql_IsHealthy_AndAPrescriberReadsHerOwnCandidate_But404ForAnotherOrganisations_A1()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var factory = PortalFactory.Over("PostgreSql", database.ConnectionString);

        var health = await factory.CreateBrowser().GetAsync("/health");
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync()))
            json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().ShouldBe("Healthy");

        var camilleOrg = await factory.OrganisationIdOfAsync("camille.durand");
        var lucasOrg = await factory.OrganisationIdOfAsync("lucas.martin");
        var own = await factory.QueryAsync(db => db.AllCandidates.Where(c => c.OrganisationId == camilleOrg).Select(c => c.Id).FirstAsync());
        var other = await factory.QueryAsync(db => db.AllCandidates.Where(c => c.OrganisationId == lucasOrg).Select(c => new { c.Id, c.LastName }).FirstAsync());
        var client = await factory.LoggedInAsync("camille.durand");
        (await client.GetAsync($"/api/candidates/{own}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var response = await client.GetAsync($"/api/candidates/{other.Id}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain(other.LastName);
    }
}
