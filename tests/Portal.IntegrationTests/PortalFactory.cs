using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.IntegrationTests;

/// <summary>
/// The whole portal on the in-memory test server, over a real SQLite file seeded with the demo data.
/// The OIDC handler's back-channel points at the same server, so the real code + PKCE flow runs.
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    public static readonly Uri BaseAddress = new("https://localhost");

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"portal-it-{Guid.NewGuid():N}");
    private (string Provider, string ConnectionString)? _database;

    /// <summary>The portal over another database, e.g. <c>("PostgreSql", connection string)</c> (ADR 0021).</summary>
    public static PortalFactory Over(string provider, string connectionString) => new() { _database = (provider, connectionString) };

    /// <summary>The portal over another database, with more settings (e.g. <c>("LiveBackplane:Enabled", "false")</c>).</summary>
    public static PortalFactory Over(string provider, string connectionString, params (string Key, string Value)[] settings) =>
        new() { _database = (provider, connectionString), _settings = settings };

    private (string Key, string Value)[] _settings = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Portal:DataDirectory", _dataDirectory);
        builder.UseSetting("Portal:JobsEnabled", "false");
        if (_database is { } database)
        {
            builder.UseSetting("Database:Provider", database.Provider);
            builder.UseSetting("Database:ConnectionString", database.ConnectionString);
        }
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        // Q3: a small threshold, so that the background export path runs over HTTP (ExportEndpointsTests).
        builder.UseSetting("Exports:BackgroundRowThreshold", "3");
        builder.UseSetting("Oidc:Authority", BaseAddress.ToString());
        builder.ConfigureServices(services =>
            services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
                .Configure(o => o.BackchannelHttpHandler = Server.CreateHandler()));
    }

    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        BaseAddress = BaseAddress,
        HandleCookies = true,
    });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFactory>
{
    public const string Name = "portal";
}
