using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #16 (4, 6), ADR 0023: PostgreSQL (the run's throwaway cluster; skipped with the reason without PostgreSQL 15),
/// two portal servers on Kestrel and Portal.Gateway in front of them; in Chromium, the OF is pinned to one server and the
/// prescriber to the other, both logged in through the gateway with the built-in provider.
/// </summary>
public sealed class TwoServersJourneyTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private PortalNode? _a;
    private PortalNode? _b;
    private WebApplication? _gateway;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _gatewayUrl = "";

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        _gatewayUrl = $"http://127.0.0.1:{PortalNode.FreePort()}";
        _a = new PortalNode("A", _database.ConnectionString, _gatewayUrl);
        _b = new PortalNode("B", _database.ConnectionString, _gatewayUrl);
        _a.StartServer();
        _b.StartServer();
        _gateway = Portal.Gateway.Gateway.Build(
        [
            $"--urls={_gatewayUrl}",
            $"--Gateway:Servers:0={_a.BaseUrl}",
            $"--Gateway:Servers:1={_b.BaseUrl}",
            // Browsers without the cookie in turn: the first context to A, the second to B.
            "--Gateway:LoadBalancing=RoundRobin",
        ]);
        await _gateway.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    private async Task<(IPage Page, string Server)> LoggedInAsync(string account)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _gatewayUrl, Locale = "fr-FR", ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        var first = await page.GotoAsync("/");
        var server = first!.Headers[PortalNode.StampHeader.ToLowerInvariant()];
        await new LoginPage(page).LoginAsAsync(account);
        return (page, server);
    }

    [Fact]
    public async Task OpenPlaces_O8_AndADecision_S1_MadeByTheTrainingBodyOnServerA_AppearLiveOnThePrescribersDashboardOnServerB()
    {
        var (ofPage, ofServer) = await LoggedInAsync("julie.moreau");
        var (prescriberPage, prescriberServer) = await LoggedInAsync("camille.durand");
        prescriberServer.ShouldNotBe(ofServer);
        await ofPage.GotoAsync("/");
        await prescriberPage.GotoAsync("/");
        await ofPage.WaitForInteractiveAsync();
        await prescriberPage.WaitForInteractiveAsync();

        // The CACES session of Formapro Gironde is one of Camille's candidates' choices (demo data).
        var row = ofPage.Locator("tr", new() { HasText = "cariste" }).First;
        var input = row.Locator("input").First;
        var sessionId = await row.Locator("[data-session-id]").GetAttributeAsync("data-session-id");
        var places = prescriberPage.Locator($"[data-session-id='{sessionId}'] [data-testid='open-places']").First;
        await Assertions.Expect(places).ToBeVisibleAsync();
        var open = int.Parse(System.Text.RegularExpressions.Regex.Match(await places.InnerTextAsync(), @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
        open.ShouldBeGreaterThan(0, "the demo's CACES session has places open");
        var newValue = (open - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        await input.FillAsync(newValue);
        await row.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Assertions.Expect(ofPage.GetByText("Places ouvertes enregistrées.")).ToBeVisibleAsync();

        // No reload on the prescriber's page, on the other server: the change arrives over LISTEN/NOTIFY.
        await Assertions.Expect(places).ToContainTextAsync($"{newValue} place(s) ouverte(s)", new() { Timeout = 5_000 });
        await PortalServer.ScreenshotAsync(prescriberPage, "two-servers-live-prescriber-dashboard");

        // The OF's decision on server A: one of Camille's candidates met at the information session on that session is
        // selected (S1); her dashboard on server B shows the new status without a reload.
        var session = Guid.Parse(sessionId!);
        await using var db = _database!.CreateDbContext();
        var pick = await db.AllPrescriptions.Where(p => p.SessionId == session && p.Status == PrescriptionStatus.Attended)
            .Join(db.AllCandidates, p => p.CandidateId, c => c.Id, (p, c) => new { p.Id, c.FirstName, c.LastName, c.ReferentUserId })
            .Join(db.Users.Where(u => u.Email.StartsWith("camille.durand@")), x => x.ReferentUserId, u => u.Id, (x, u) => x)
            .OrderBy(x => x.LastName).FirstAsync(TestContext.Current.CancellationToken);
        var candidateRow = prescriberPage.Locator("tbody tr", new() { HasText = $"{pick.LastName.ToUpperInvariant()} {pick.FirstName}" });
        var choice = candidateRow.Locator($"[data-session-id='{sessionId}']").First;
        await Assertions.Expect(choice).ToContainTextAsync(PrescriptionStatus.Attended.Label());

        await ofPage.GotoAsync($"/sessions/{sessionId}/decisions");
        await ofPage.WaitForInteractiveAsync();
        var decisionRow = ofPage.Locator($"tr[data-prescription-id='{pick.Id}']");
        await decisionRow.GetByTestId("row-check").CheckAsync();
        await ofPage.GetByTestId("bulk-select").ClickAsync();
        await Assertions.Expect(ofPage.GetByText("1 candidat(s) sélectionné(s).")).ToBeVisibleAsync();

        await Assertions.Expect(choice).ToContainTextAsync(PrescriptionStatus.Selected.Label(), new() { Timeout = 5_000 });
        await PortalServer.ScreenshotAsync(prescriberPage, "two-servers-live-decision");
    }

    /// <summary>A portal server on Kestrel at 127.0.0.1 behind the gateway, stamping its answers with its name (test only).</summary>
    private sealed class PortalNode : WebApplicationFactory<Program>
    {
        public const string StampHeader = "X-Test-Serveur";

        private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"portal-e2e2-{Guid.NewGuid():N}");
        private readonly string _name;
        private readonly string _connectionString;
        private readonly string _gatewayUrl;

        public PortalNode(string name, string connectionString, string gatewayUrl)
        {
            _name = name;
            _connectionString = connectionString;
            _gatewayUrl = gatewayUrl;
            var port = FreePort();
            BaseUrl = $"http://127.0.0.1:{port}";
            UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        }

        public string BaseUrl { get; }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Portal:DataDirectory", _dataDirectory);
            builder.UseSetting("Portal:JobsEnabled", "false");
            builder.UseSetting("Database:Provider", "PostgreSql");
            builder.UseSetting("Database:ConnectionString", _connectionString);
            builder.UseSetting("Oidc:Authority", _gatewayUrl);
            builder.UseSetting("Proxy:KnownProxies:0", "127.0.0.1");
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new Stamp(_name)));
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

        private sealed class Stamp(string name) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use(async (context, nextMiddleware) =>
                {
                    context.Response.OnStarting(() =>
                    {
                        context.Response.Headers[StampHeader] = name;
                        return Task.CompletedTask;
                    });
                    await nextMiddleware(context);
                });
                next(app);
            };
        }
    }
}
