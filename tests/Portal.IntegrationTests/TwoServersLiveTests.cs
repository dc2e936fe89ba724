using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Abstractions;
using Portal.Domain.Offer;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #16 (4), ADR 0023: two real portal hosts on one PostgreSQL database (the run's throwaway cluster; skipped with the
/// reason without PostgreSQL 15), each with its own LISTEN/NOTIFY backplane, as two servers behind the gateway would run.
/// </summary>
public sealed class TwoServersLiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APlaceChangeThroughServerAsApi_ReachesASubscriberOnServerB_AndBothReportTheBackplaneHealthy_O8()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var a = PortalFactory.Over("PostgreSql", database.ConnectionString);
        await using var b = PortalFactory.Over("PostgreSql", database.ConnectionString);
        foreach (var server in new[] { a, b })
        {
            var backplane = server.Services.GetRequiredService<ILiveBackplane>().ShouldBeOfType<PostgresBackplane>();
            await backplane.Listening.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }

        var julieOrg = await a.OrganisationIdOfAsync("julie.moreau");
        var session = await a.QueryAsync(db => db.Sessions
            .Where(s => s.OrganisationId == julieOrg && s.Status == SessionStatus.Open && s.OpenPlaces > 0)
            .Select(s => new { s.Id, s.OpenPlaces, s.Capacity }).FirstAsync(Ct));
        var onB = new ConcurrentQueue<SessionPlacesChanged>();
        using var subscription = b.Services.GetRequiredService<ILiveNotifier>().Subscribe<SessionPlacesChanged>(session.Id, e =>
        {
            onB.Enqueue(e);
            return Task.CompletedTask;
        });

        // One place fewer: no waiting list is promoted (O9), the figure simply follows.
        var julie = await a.LoggedInAsync("julie.moreau");
        var put = await julie.PutAsJsonAsync($"/api/sessions/{session.Id}/open-places", new { openPlaces = session.OpenPlaces - 1 }, Ct);
        put.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (onB.IsEmpty && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(20, Ct);
        await b.Services.GetRequiredService<LiveNotifier>().DrainAsync();
        var received = onB.ShouldHaveSingleItem();
        received.SessionId.ShouldBe(session.Id);
        received.OpenPlaces.ShouldBe(session.OpenPlaces - 1);
        received.Capacity.ShouldBe(session.Capacity);

        foreach (var server in new[] { a, b })
        {
            var health = await server.CreateBrowser().GetAsync("/health", Ct);
            using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync(Ct));
            json.RootElement.GetProperty("checks").GetProperty("backplane").GetProperty("status").GetString().ShouldBe("Healthy");
        }
    }

    [Fact]
    public async Task TheBackplaneHealth_IsDegradedWithTheReason_WhileItCannotListen()
    {
        // A closed port of the loopback: every attempt is refused at once.
        await using var backplane = new PostgresBackplane("Host=127.0.0.1;Port=1;Username=postgres;Timeout=2",
            new LiveBackplaneOptions { ReconnectMinDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200) },
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresBackplane>.Instance);
        backplane.Start();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (backplane.Problem is null && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(20, Ct);

        var result = await new Portal.Web.BackplaneHealthCheck(backplane).CheckHealthAsync(new(), Ct);

        result.Status.ShouldBe(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded);
        result.Description.ShouldNotBeNull().ShouldContain("reconnexion en cours");
    }

    [Fact]
    public async Task OnSqlite_TheBackplaneIsInProcess_AndHealthy()
    {
        await using var factory = new PortalFactory();

        factory.Services.GetRequiredService<ILiveBackplane>().ShouldBeOfType<InProcessBackplane>();
        var health = await factory.CreateBrowser().GetAsync("/health", Ct);
        using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync(Ct));
        json.RootElement.GetProperty("checks").GetProperty("backplane").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task OnPostgreSql_WithTheBackplaneTurnedOff_TheServerStaysInProcess()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var factory = PortalFactory.Over("PostgreSql", database.ConnectionString, ("LiveBackplane:Enabled", "false"));

        factory.Services.GetRequiredService<ILiveBackplane>().ShouldBeOfType<InProcessBackplane>();
    }
}
