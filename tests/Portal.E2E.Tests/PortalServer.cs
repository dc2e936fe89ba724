using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Portal.Web.Features.Catalogue;

namespace Portal.E2E.Tests;

/// <summary>
/// The portal on real Kestrel at 127.0.0.1 on a free port (Blazor Server needs WebSockets), with the
/// built-in OIDC provider, and one headless Debian Chromium shared by the tests.
/// </summary>
public sealed class PortalServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"portal-e2e-{Guid.NewGuid():N}");
    private readonly Dictionary<string, string> _storageStates = [];
    private IPlaywright? _playwright;

    public PortalServer()
    {
        Port = FreePort();
        BaseUrl = $"http://127.0.0.1:{Port}";
        UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }

    public string BaseUrl { get; }

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Portal:DataDirectory", _dataDirectory);
        builder.UseSetting("Portal:JobsEnabled", "false");
        builder.UseSetting("Oidc:Authority", BaseUrl);
        // Q3: any list of more than 3 rows is exported in the background, and its job runs in process (Hangfire's server is off).
        builder.UseSetting("Exports:BackgroundRowThreshold", "3");
        // Issue #15 (7): open screens check their session every 2 s, so that a test of a logout elsewhere stays short.
        builder.UseSetting("Auth:RevalidationInterval", "00:00:02");
        builder.ConfigureTestServices(services => services.AddSingleton<IJobScheduler, ExportJobsInProcess>());
        // The server's warnings and errors go to a file that test.sh shows when a test failed (CI keeps only the output).
        builder.ConfigureLogging(logging => logging.AddProvider(new ServerErrorLog(ServerErrorLog.PathBesideScreenshots)));
    }

    public async ValueTask InitializeAsync()
    {
        StartServer();
        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        await WarmUpAsync();
    }

    /// <summary>
    /// The server's first pages are slow (JIT of the rendering, the first static files): with the other test projects beside
    /// this one (test.sh), the first test's first navigation once took more than Playwright's 30 s. The fixture opens the
    /// public home and the login page once, with room for that, before any test runs.
    /// </summary>
    private async Task WarmUpAsync()
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        var patient = new PageGotoOptions { Timeout = 180_000 };
        await page.GotoAsync("/", patient);
        await page.GotoAsync("/catalogue", patient);
    }

    /// <summary>A new browser context logged in as the account (the OIDC login runs once per account, then its state is reused).</summary>
    public async Task<IBrowserContext> ContextForAsync(string? account)
    {
        var options = new BrowserNewContextOptions { BaseURL = BaseUrl, Locale = "fr-FR", ViewportSize = new() { Width = 1400, Height = 900 } };
        if (account is null) return await Browser.NewContextAsync(options);
        if (!_storageStates.TryGetValue(account, out var state))
        {
            await using var fresh = await Browser.NewContextAsync(options);
            var page = await fresh.NewPageAsync();
            await new LoginPage(page).LoginAsAsync(account);
            state = await fresh.StorageStateAsync();
            _storageStates[account] = state;
        }
        options.StorageState = state;
        return await Browser.NewContextAsync(options);
    }

    /// <summary>
    /// A test that writes the offer straight into the database (not through a command, so no live event) empties the
    /// anonymous catalogue's output cache, as the event of a real change would: a page cached by an earlier test of the
    /// run (the accessibility scan visits the same fiche) would otherwise show the offer without the arranged session.
    /// </summary>
    public async Task ForgetCachedCatalogueAsync() =>
        await Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(CatalogueOutputCache.Tag, CancellationToken.None);

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PortalServerCollection : ICollectionFixture<PortalServer>
{
    public const string Name = "e2e";
}
