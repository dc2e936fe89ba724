using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Persistence;
using Portal.Testing;
using Yarp.ReverseProxy.Model;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #16 (4, 5, 6; Tests), ADR 0022 and 0023: PostgreSQL (the run's throwaway cluster; skipped with the reason without
/// PostgreSQL 15), two portal servers as real OS processes of the built Portal.Web (<see cref="PortalServerProcess"/>) and
/// Portal.Gateway in front of them (in process); in Chromium, the OF is pinned to server A and the prescriber to server
/// B, both logged in through the gateway with the built-in provider. Then server A is killed (SIGKILL) right after the
/// OF's last write: the write is kept, B goes on, and the OF's browser moves to B still logged in.
/// </summary>
public sealed class TwoServersJourneyTests : IAsyncLifetime
{
    /// <summary>Set by the gateway of this test on each answer: the destination that served it (<c>serveur-1</c> is A).</summary>
    private const string StampHeader = "x-test-serveur";

    private const string ServerA = "serveur-1";
    private const string ServerB = "serveur-2";

    private readonly string _shared = Path.Combine(Path.GetTempPath(), $"portal-e2e-servers-{Guid.NewGuid():N}");
    private TestDatabase? _database;
    private PortalServerProcess? _a;
    private PortalServerProcess? _b;
    private WebApplication? _gateway;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _gatewayUrl = "";
    private string _startup = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        _database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        var databaseReady = watch.Elapsed;
        _gatewayUrl = $"http://127.0.0.1:{PortalServerProcess.FreePort()}";
        // The settings the in-process hosts had, as environment variables of the processes. Hangfire's server stays off:
        // the jobs across two processes are TwoServerProcessesJobsTests' (tests/Portal.IntegrationTests).
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["Database__ConnectionString"] = _database.ConnectionString,
            ["Portal__JobsEnabled"] = "false",
            ["Portal__FilesDirectory"] = Path.Combine(_shared, "fichiers"),
            // The public address, the gateway's: the built-in provider's own calls go to the server itself (ADR 0023).
            ["Oidc__Authority"] = _gatewayUrl,
            ["Proxy__KnownProxies__0"] = "127.0.0.1",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        _a = PortalServerProcess.Start("A", new Dictionary<string, string>(settings) { ["Portal__DataDirectory"] = Path.Combine(_shared, "donnees-a") });
        _b = PortalServerProcess.Start("B", new Dictionary<string, string>(settings) { ["Portal__DataDirectory"] = Path.Combine(_shared, "donnees-b") });
        // Chromium starts while the servers do.
        var browser = LaunchBrowserAsync();
        await Task.WhenAll(_a.WaitUntilUpAsync(TimeSpan.FromSeconds(90), Ct), _b.WaitUntilUpAsync(TimeSpan.FromSeconds(90), Ct), browser);
        var serversUp = watch.Elapsed;
        _gateway = Portal.Gateway.Gateway.Build(
        [
            $"--urls={_gatewayUrl}",
            $"--Gateway:Servers:0={_a.BaseAddress}",
            $"--Gateway:Servers:1={_b.BaseAddress}",
            // Browsers without the cookie in turn: the first context to A, the second to B.
            "--Gateway:LoadBalancing=RoundRobin",
            // A dead server is out after two failed probes, one second apart (10 s by default: a test kept short). A
            // refused connection fails at once; the timeout stays the default 5 s, so that a slow answer of a busy
            // machine never puts a live server out.
            "--Gateway:HealthInterval=00:00:01",
            "--Logging:LogLevel:Default=Warning",
        ]);
        // Runs before the proxy's endpoint: each answer names the destination YARP chose for it.
        _gateway.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var destination = context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination?.DestinationId;
                if (destination is not null) context.Response.Headers[StampHeader] = destination;
                return Task.CompletedTask;
            });
            await next(context);
        });
        await _gateway.StartAsync(Ct);
        _startup = $"base {databaseReady.TotalSeconds:0.0} s, serveurs et navigateur {serversUp.TotalSeconds:0.0} s, passerelle {watch.Elapsed.TotalSeconds:0.0} s";
    }

    private async Task LaunchBrowserAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Kills both servers whatever happened (SIGKILL; a no-op for one already gone), so that no process outlives the test.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_gateway is not null) await _gateway.DisposeAsync();
        foreach (var server in new[] { _a, _b })
        {
            if (server is null) continue;
            await server.DisposeAsync();
            KeepOutput(server);
        }
        if (_database is not null) await _database.DisposeAsync();
        try { Directory.Delete(_shared, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>
    /// The server's warnings and errors (its log level here) go to the end-to-end run's error log, which test.sh prints
    /// when a test failed, as the in-process servers' do (<see cref="ServerErrorLog"/>).
    /// </summary>
    private static void KeepOutput(PortalServerProcess server)
    {
        if (server.Lines.Count == 0) return;
        var path = ServerErrorLog.PathBesideScreenshots;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.AppendAllLines(path, server.Lines.Select(line => $"[{nameof(TwoServersJourneyTests)}, serveur {server.Name}] {line}"));
    }

    private async Task<(IPage Page, string Server)> LoggedInAsync(string account)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = _gatewayUrl, Locale = "fr-FR", ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        var first = await page.GotoAsync("/");
        var server = first!.Headers[StampHeader];
        await new LoginPage(page).LoginAsAsync(account);
        return (page, server);
    }

    [Fact]
    public async Task OpenPlaces_O8_AndADecision_S1_MadeByTheTrainingBodyOnServerA_AppearLiveOnServerB_ThenAIsKilled_TheWriteIsKept_AndTheTrainingBodyGoesOnOnB_StillLoggedIn()
    {
        var watch = Stopwatch.StartNew();
        var (ofPage, ofServer) = await LoggedInAsync("julie.moreau");
        var (prescriberPage, prescriberServer) = await LoggedInAsync("camille.durand");
        (ofServer, prescriberServer).ShouldBe((ServerA, ServerB));
        await ofPage.GotoAsync("/");
        await prescriberPage.GotoAsync("/");
        await ofPage.WaitForInteractiveAsync();
        await prescriberPage.WaitForInteractiveAsync();

        // The CACES session of Formapro Gironde is one of Camille's candidates' choices (demo data).
        var sessionId = await ofPage.Locator("tr", new() { HasText = "cariste" }).First.Locator("[data-session-id]").GetAttributeAsync("data-session-id");
        var places = prescriberPage.Locator($"[data-session-id='{sessionId}'] [data-testid='open-places']").First;
        await Assertions.Expect(places).ToBeVisibleAsync();

        // O8 on server A, seen on server B without a reload: the change arrives over LISTEN/NOTIFY.
        await ChangeOpenPlacesAsync(ofPage, places);
        await PortalServer.ScreenshotAsync(prescriberPage, "two-servers-live-prescriber-dashboard");

        // The OF's decision on server A: one of Camille's candidates met at the information session on that session is
        // selected (S1); her dashboard on server B shows the new status without a reload.
        var session = Guid.Parse(sessionId!);
        Guid pickId;
        string pickName;
        await using (var db = _database!.CreateDbContext())
        {
            var pick = await db.AllPrescriptions.Where(p => p.SessionId == session && p.Status == PrescriptionStatus.Attended)
                .Join(db.AllCandidates, p => p.CandidateId, c => c.Id, (p, c) => new { p.Id, c.FirstName, c.LastName, c.ReferentUserId })
                .Join(db.Users.Where(u => u.Email.StartsWith("camille.durand@")), x => x.ReferentUserId, u => u.Id, (x, u) => x)
                .OrderBy(x => x.LastName).FirstAsync(Ct);
            (pickId, pickName) = (pick.Id, $"{pick.LastName.ToUpperInvariant()} {pick.FirstName}");
        }
        var choice = prescriberPage.Locator("tbody tr", new() { HasText = pickName }).Locator($"[data-session-id='{sessionId}']").First;
        await Assertions.Expect(choice).ToContainTextAsync(PrescriptionStatus.Attended.Label());

        await ofPage.GotoAsync($"/sessions/{sessionId}/decisions");
        await ofPage.WaitForInteractiveAsync();
        await ofPage.Locator($"tr[data-prescription-id='{pickId}']").GetByTestId("row-check").CheckAsync();
        await ofPage.GetByTestId("bulk-select").ClickAsync();
        await Assertions.Expect(ofPage.GetByText("1 candidat(s) sélectionné(s).")).ToBeVisibleAsync();

        // The OF's last write is committed (its confirmation is on screen): server A dies at once, without a shutdown.
        _a!.Kill();
        var killedAt = watch.Elapsed;
        _a.HasExited.ShouldBeTrue();

        // No committed write lost: the decision is in the database, and on the prescriber's screen on B.
        await using (var db = _database!.CreateDbContext())
            (await db.AllPrescriptions.Where(p => p.Id == pickId).Select(p => p.Status).SingleAsync(Ct)).ShouldBe(PrescriptionStatus.Selected);
        await Assertions.Expect(choice).ToContainTextAsync(PrescriptionStatus.Selected.Label(), new() { Timeout = 5_000 });
        await PortalServer.ScreenshotAsync(prescriberPage, "two-servers-live-decision");

        // The OF's tab: its circuit died with A. Once the gateway's probe has put A out (two failures), the pinned browser is
        // given B (FailurePolicy=Redistribute). Blazor's reconnection then reaches B, which does not know the circuit, and
        // the page reloads by itself (seen after about 5 s); should it not within 15 s (its retries spent on a slow
        // machine), the test reloads, as the OF would. Either way the page comes from B, still logged in: the session is a
        // row of the database and the cookie is readable by B (Data Protection keys in the database, ADR 0018 and 0022).
        var failover = Stopwatch.StartNew();
        var reloads = await OwnReloadOnAsync(ofPage, ServerB, TimeSpan.FromSeconds(15));
        if (reloads is null) reloads = "rechargée par le test : " + await ReloadUntilServedByAsync(ofPage, ServerB, TimeSpan.FromSeconds(30));
        var failedOverIn = failover.Elapsed;
        ofPage.Url.ShouldEndWith($"/sessions/{sessionId}/decisions", Case.Insensitive, "the OF stays on its page, not sent to the login");
        await ofPage.WaitForInteractiveAsync();
        await Assertions.Expect(ofPage.Locator($"tr[data-prescription-id='{pickId}']")).ToBeVisibleAsync();
        await Assertions.Expect(ofPage.GetByRole(AriaRole.Link, new() { Name = "Se connecter" })).ToHaveCountAsync(0);
        await PortalServer.ScreenshotAsync(ofPage, "two-servers-failover-training-body");

        // And goes on: one more place change (O8), now on B, seen live by the prescriber.
        var home = await ofPage.GotoAsync("/");
        home!.Headers[StampHeader].ShouldBe(ServerB);
        await ofPage.WaitForInteractiveAsync();
        await ChangeOpenPlacesAsync(ofPage, places);
        _b!.HasExited.ShouldBeFalse();

        // No portal process is left behind (DisposeAsync kills them too when the test fails earlier).
        await _b.DisposeAsync();
        _a.RunningProcesses().ShouldBeEmpty();
        _b.RunningProcesses().ShouldBeEmpty();
        TestContext.Current.SendDiagnosticMessage(
            $"Deux serveurs (démarrage : {_startup}) : A tué à {killedAt.TotalSeconds:0.0} s, l'OF servi par B {failedOverIn.TotalSeconds:0.0} s plus tard ({reloads}), fin à {watch.Elapsed.TotalSeconds:0.0} s.");
    }

    /// <summary>The OF lowers the CACES session's open places by one (O8); the prescriber's <paramref name="places"/> shows the new number live.</summary>
    private static async Task ChangeOpenPlacesAsync(IPage ofPage, ILocator places)
    {
        var open = int.Parse(Regex.Match(await places.InnerTextAsync(), @"\d+").Value, CultureInfo.InvariantCulture);
        open.ShouldBeGreaterThan(0, "the demo's CACES session has places open");
        var newValue = (open - 1).ToString(CultureInfo.InvariantCulture);
        var row = ofPage.Locator("tr", new() { HasText = "cariste" }).First;
        await row.Locator("input").First.FillAsync(newValue);
        await row.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Assertions.Expect(ofPage.GetByText("Places ouvertes enregistrées.")).ToBeVisibleAsync();
        await Assertions.Expect(places).ToContainTextAsync($"{newValue} place(s) ouverte(s)", new() { Timeout = 5_000 });
    }

    /// <summary>
    /// Waits for the page to reload by itself (a navigation of its own, answered through the gateway) from
    /// <paramref name="server"/> with a 200; null when none comes in time (or another answer came).
    /// </summary>
    private static async Task<string?> OwnReloadOnAsync(IPage page, string server, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var response = await page.WaitForResponseAsync(
                r => r.Request.IsNavigationRequest && r.Frame == page.MainFrame && r.Headers.ContainsKey(StampHeader),
                new() { Timeout = (float)timeout.TotalMilliseconds });
            if (response.Status != 200 || response.Headers[StampHeader] != server) return null;
            // The navigation is answered; the test goes on once its page is loaded.
            await page.WaitForLoadStateAsync(LoadState.Load);
            return $"rechargée par Blazor après {watch.Elapsed.TotalSeconds:0.0} s";
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reloads the page until the gateway serves it from <paramref name="server"/> with a 200. Before the probe has put the
    /// dead server out, the pinned browser gets the gateway's 502; Blazor's own reload after its failed reconnection may
    /// cross ours (an interrupted navigation), which is retried too. Returns what each attempt got, for the test's report.
    /// </summary>
    private static async Task<string> ReloadUntilServedByAsync(IPage page, string server, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var seen = new List<string>();
        while (watch.Elapsed < timeout)
        {
            try
            {
                var response = await page.ReloadAsync();
                if (response is not null)
                {
                    response.Headers.TryGetValue(StampHeader, out var by);
                    seen.Add($"{response.Status} {by ?? "-"}");
                    if (response.Status == 200 && by == server) return string.Join(" | ", seen);
                }
            }
            catch (PlaywrightException ex)
            {
                seen.Add(ex.Message.Split('\n')[0]);
            }
            await Task.Delay(250, Ct);
        }
        throw new TimeoutException($"La page n'a pas été servie par {server} en {timeout} : {string.Join(" | ", seen)}");
    }
}
