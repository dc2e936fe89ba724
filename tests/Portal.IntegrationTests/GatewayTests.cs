using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Benchmarks;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #16 (6), ADR 0023: two portal servers on real Kestrel over one PostgreSQL database (the run's throwaway cluster;
/// skipped with the reason without PostgreSQL 15), each with its own data folder and so its own Data Protection keys,
/// and Portal.Gateway in process in front of them. Each server stamps its answers with its name (test-only headers).
/// </summary>
public sealed class GatewayTests(TwoServersBehindTheGateway servers) : IClassFixture<TwoServersBehindTheGateway>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (HttpClient Client, CookieContainer Cookies) Browser()
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = servers.GatewayUrl };
        return (client, cookies);
    }

    private static string ServerOf(HttpResponseMessage response) => response.Headers.GetValues(ServerStamp.Header).Single();

    [Fact]
    public async Task ABrowserWithTheAffinityCookie_KeepsHittingItsServer_AndNewBrowsersAreSpreadOverBoth()
    {
        var seen = new HashSet<string>();
        // At least 4 browsers, and up to 12 until both servers were seen: under CI's load one probe of a server can time
        // out (5 s), and round robin then skips it until the next probe says it is healthy (a clean run failed so once).
        for (var browser = 0; browser < 12 && (browser < 4 || seen.Count < 2); browser++)
        {
            var (client, cookies) = Browser();
            using var first = await client.GetAsync("/", Ct);
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
            var server = ServerOf(first);
            cookies.GetCookies(servers.GatewayUrl)[TwoServersBehindTheGateway.AffinityCookie].ShouldNotBeNull();
            foreach (var path in new[] { "/catalogue", "/", "/health", "/catalogue?q=cariste", "/" })
            {
                using var next = await client.GetAsync(path, Ct);
                ServerOf(next).ShouldBe(server, $"{path} a changé de serveur");
            }
            seen.Add(server);
        }
        // Round robin for browsers without the cookie (the test's setting): both servers took some.
        seen.ShouldBe(["A", "B"], ignoreOrder: true);
    }

    [Fact]
    public async Task ABlazorCircuit_StartsOverAWebSocketThroughTheGateway_OnTheServerThatRenderedItsPage()
    {
        // Two browsers, one per server (round robin): each page's circuit descriptor is protected with its server's own
        // keys, so a WebSocket sent to the other server could not start the circuit.
        var pinned = new HashSet<string>();
        for (var browser = 0; browser < 2; browser++)
        {
            var (client, cookies) = Browser();
            using var page = await client.GetAsync("/", Ct);
            pinned.Add(ServerOf(page));
            await using var circuit = new HeadlessCircuit(servers.GatewayUrl, cookies);
            await circuit.StartAsync(client, "/", Ct);
            circuit.Batches.ShouldBeGreaterThan(0);
            // The WebSocket stays open through the gateway: a second render comes through it later.
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
            circuit.Error.ShouldBeNull();
        }
        pinned.Count.ShouldBe(2);
    }

    [Fact]
    public async Task APrescriberLogsInThroughTheGatewayWithTheBuiltInProvider_OnEitherServer_AndReadsHerOwnCandidate_A1()
    {
        // The provider's keys live in each server's memory: the token request must reach the server that issued the code.
        var own = await servers.QueryAsync(async db =>
        {
            var email = Portal.Infrastructure.Seed.DemoData.Email("camille.durand");
            var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
            var organisation = await db.Memberships.Where(m => m.UserId == userId).Select(m => m.OrganisationId).FirstAsync(Ct);
            return await db.AllCandidates.Where(c => c.OrganisationId == organisation).Select(c => c.Id).FirstAsync(Ct);
        });
        var pinned = new HashSet<string>();
        for (var browser = 0; browser < 4; browser++)
        {
            var (client, _) = Browser();
            using (var home = await client.GetAsync("/", Ct)) pinned.Add(ServerOf(home));

            var signedIn = await DevOidcLogin.LoginAsync(client, Portal.Infrastructure.Seed.DemoData.Email("camille.durand"));

            signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            signedIn.Headers.Location!.ToString().ShouldNotContain("connexion-echouee");
            using var read = await client.GetAsync($"/api/candidates/{own}", Ct);
            read.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        pinned.ShouldBe(["A", "B"], ignoreOrder: true);
    }

    [Fact]
    public async Task TheGateway_SetsTheClientsAddressAndScheme_IgnoresTheOnesTheClientForged_AndKeepsTheHost()
    {
        var (client, _) = Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues(ServerStamp.ClientHeader).Single().ShouldBe("127.0.0.1");
        response.Headers.GetValues(ServerStamp.SchemeHeader).Single().ShouldBe("http");
        response.Headers.GetValues(ServerStamp.HostHeader).Single().ShouldBe(servers.GatewayUrl.Authority);
    }

    [Fact]
    public async Task AServerThatStops_ItsBrowserIsTakenByTheOtherOnceTheHealthProbeSeesIt_AndStaysThere()
    {
        // Servers of its own: this test stops one.
        var own = new TwoServersBehindTheGateway();
        await own.InitializeAsync();
        try
        {
            var cookies = new CookieContainer();
            using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = own.GatewayUrl };
            // Round robin: the first browser goes to A, the second to B; keep B's cookie.
            using (var toA = await new HttpClient { BaseAddress = own.GatewayUrl }.GetAsync("/health", Ct)) ServerOf(toA).ShouldBe("A");
            using (var toB = await client.GetAsync("/health", Ct)) ServerOf(toB).ShouldBe("B");

            await own.B.DisposeAsync();

            var waited = System.Diagnostics.Stopwatch.StartNew();
            HttpResponseMessage? answer = null;
            while (waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                answer?.Dispose();
                answer = await client.GetAsync("/", Ct);
                if (answer.StatusCode == HttpStatusCode.OK) break;
                await Task.Delay(200, Ct);
            }
            answer.ShouldNotBeNull().StatusCode.ShouldBe(HttpStatusCode.OK);
            ServerOf(answer).ShouldBe("A");
            answer.Dispose();
            // Pinned to A from now on (the gateway rewrote the cookie).
            for (var i = 0; i < 3; i++)
            {
                using var next = await client.GetAsync("/catalogue", Ct);
                ServerOf(next).ShouldBe("A");
            }
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task AServerThatDies_GetsNoMoreBrowsersOnceItsConnectionsFail_WithoutWaitingForAHealthProbe()
    {
        // Servers of its own: this test stops one. Health probes every 10 minutes: only the requests themselves can tell.
        var own = new TwoServersBehindTheGateway { GatewayArguments = ["--Gateway:HealthInterval=00:10:00"] };
        await own.InitializeAsync();
        try
        {
            // Each request from a new browser (no affinity cookie): round robin sends every other one to B.
            async Task<(HttpStatusCode Status, string? Server)> NewBrowserAsync()
            {
                using var client = new HttpClient { BaseAddress = own.GatewayUrl };
                using var answer = await client.GetAsync("/health", Ct);
                return (answer.StatusCode, answer.Headers.TryGetValues(ServerStamp.Header, out var names) ? names.Single() : null);
            }
            (await NewBrowserAsync()).ShouldBe((HttpStatusCode.OK, "A"));
            (await NewBrowserAsync()).ShouldBe((HttpStatusCode.OK, "B"));

            await own.B.DisposeAsync();
            var answers = new List<(HttpStatusCode Status, string? Server)>();
            for (var i = 0; i < 40; i++) answers.Add(await NewBrowserAsync());

            // B is taken out once 10 requests were sent to it, 30 % or more of them failed (YARP's transport failure rate
            // policy): one success before it stopped, so at most 9 browsers got the gateway's 502; by hand, the 9th
            // failure is the 18th request after the stop. From then on, every browser goes to A.
            var failed = answers.Count(a => a.Status == HttpStatusCode.BadGateway);
            failed.ShouldBeInRange(1, 9);
            answers.Where(a => a.Status != HttpStatusCode.BadGateway).ShouldAllBe(a => a.Status == HttpStatusCode.OK && a.Server == "A");
            answers.Skip(18).ShouldAllBe(a => a.Status == HttpStatusCode.OK && a.Server == "A");
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task WithoutTheGateway_TheSameForgedHeadersFromAKnownProxyAddressAreBelieved_SoOnlyTheGatewayMayReachTheServers()
    {
        // The servers trust 127.0.0.1 (Proxy:KnownProxies), where the gateway runs: the control case of the test above.
        using var client = new HttpClient { BaseAddress = new Uri(servers.A.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        using var response = await client.SendAsync(request, Ct);

        response.Headers.GetValues(ServerStamp.ClientHeader).Single().ShouldBe("203.0.113.9");
    }
}

/// <summary>The gateway's settings as its cluster gets them (no server started).</summary>
public sealed class GatewaySettingsTests
{
    private static Portal.Gateway.GatewayOptions With(TimeSpan passive) => new() { Servers = ["http://127.0.0.1:5081"], PassiveReactivation = passive };

    [Fact]
    public void PassiveHealth_IsOnForAMinuteByDefault_OffAtZero_AndANegativePeriodIsRefusedInFrench()
    {
        var (_, byDefault) = Portal.Gateway.Gateway.Configuration(new Portal.Gateway.GatewayOptions { Servers = ["http://127.0.0.1:5081"] });
        var passive = byDefault.Single().HealthCheck.ShouldNotBeNull().Passive.ShouldNotBeNull();
        (passive.Enabled, passive.Policy, passive.ReactivationPeriod).ShouldBe((true, "TransportFailureRate", TimeSpan.FromMinutes(1)));

        Portal.Gateway.Gateway.Configuration(With(TimeSpan.Zero)).Clusters.Single().HealthCheck.ShouldNotBeNull().Passive.ShouldBeNull();
        Should.Throw<InvalidOperationException>(() => Portal.Gateway.Gateway.Configuration(With(TimeSpan.FromSeconds(-1))))
            .Message.ShouldBe("Gateway:PassiveReactivation ne peut pas être négatif (00:00:00 désactive la surveillance passive).");
    }
}

/// <summary>PostgreSQL, two portal servers "A" and "B" on Kestrel, and the gateway (round robin, health read every second).</summary>
public sealed class TwoServersBehindTheGateway : IAsyncLifetime
{
    public const string AffinityCookie = ".Portal.Serveur";

    private TestDatabase? _database;
    private WebApplication? _gateway;

    /// <summary>Gateway settings added after the fixture's own (the last value of a setting wins).</summary>
    public string[] GatewayArguments { get; init; } = [];

    public KestrelPortal A { get; private set; } = null!;

    public KestrelPortal B { get; private set; } = null!;

    public Uri GatewayUrl { get; private set; } = null!;

    /// <summary>Reads the servers' database directly.</summary>
    public async Task<T> QueryAsync<T>(Func<Portal.Application.Abstractions.IAppDbContext, Task<T>> query)
    {
        await using var db = await _database!.CreateAsync();
        return await query(db);
    }

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        var gatewayPort = KestrelPortal.FreePort();
        GatewayUrl = new Uri($"http://127.0.0.1:{gatewayPort}");
        A = new KestrelPortal("A", _database.ConnectionString, GatewayUrl);
        B = new KestrelPortal("B", _database.ConnectionString, GatewayUrl);
        A.StartServer();
        B.StartServer();
        _gateway = Portal.Gateway.Gateway.Build(
        [
            $"--urls={GatewayUrl}",
            $"--Gateway:Servers:0={A.BaseUrl}",
            $"--Gateway:Servers:1={B.BaseUrl}",
            $"--Gateway:AffinityCookie={AffinityCookie}",
            "--Gateway:LoadBalancing=RoundRobin",
            "--Gateway:HealthInterval=00:00:01",
            // A probe of a live server that waits for the CPU under the test run's load is not a dead server: with 5 s, one
            // probe timed out and the affinity test saw its browser moved to the other server. A stopped server refuses the
            // connection at once, whatever the timeout (the failover test).
            "--Gateway:HealthTimeout=00:00:30",
            .. GatewayArguments,
        ]);
        await _gateway.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (A is not null) await A.DisposeAsync();
        if (B is not null) await B.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>A portal server on real Kestrel at 127.0.0.1, trusting the gateway's address as its proxy.</summary>
public sealed class KestrelPortal : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"portal-gw-{Guid.NewGuid():N}");
    private readonly string _name;
    private readonly string _connectionString;
    private readonly Uri _gateway;

    public KestrelPortal(string name, string connectionString, Uri gateway)
    {
        _name = name;
        _connectionString = connectionString;
        _gateway = gateway;
        Port = FreePort();
        BaseUrl = $"http://127.0.0.1:{Port}";
        UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }

    public string BaseUrl { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Portal:DataDirectory", _dataDirectory);
        builder.UseSetting("Portal:JobsEnabled", "false");
        builder.UseSetting("Database:Provider", "PostgreSql");
        builder.UseSetting("Database:ConnectionString", _connectionString);
        // The browser's address is the gateway's (the dev provider knows it as a client there).
        builder.UseSetting("Oidc:Authority", _gateway.ToString());
        builder.UseSetting("Proxy:KnownProxies:0", "127.0.0.1");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new ServerStamp(_name)));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Test only: each answer says which server made it, and what that server believed of the request.</summary>
public sealed class ServerStamp(string name) : IStartupFilter
{
    public const string Header = "X-Test-Serveur";
    public const string ClientHeader = "X-Test-Client";
    public const string SchemeHeader = "X-Test-Scheme";
    public const string HostHeader = "X-Test-Host";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            // Read when the answer starts: after the portal's forwarded-headers middleware has run.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Header] = name;
                context.Response.Headers[ClientHeader] = context.Connection.RemoteIpAddress?.MapToIPv4().ToString();
                context.Response.Headers[SchemeHeader] = context.Request.Scheme;
                context.Response.Headers[HostHeader] = context.Request.Host.Value;
                return Task.CompletedTask;
            });
            await nextMiddleware(context);
        });
        next(app);
    };
}
