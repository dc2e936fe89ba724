using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Application.Abstractions;
using Portal.Infrastructure;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #16 (5), ADR 0022: what several portal servers share. With PostgreSQL, two hosts on one database read each
/// other's protected payloads and login cookies (the key ring is in the database, not in each host's data folder) and
/// report their jobs storage in /health; the files every server must see go to <c>Portal:FilesDirectory</c>.
/// </summary>
public sealed class SharedStateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoHostsOnOnePostgreSqlDatabase_ReadEachOthersProtectedPayloadsAndLoginCookies_KeysInTheDatabase()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var serverA = PortalFactory.Over("PostgreSql", database.ConnectionString);
        await using var serverB = PortalFactory.Over("PostgreSql", database.ConnectionString);

        var payload = serverA.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("issue-16").Protect("donnée protégée par A");
        serverB.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("issue-16").Unprotect(payload).ShouldBe("donnée protégée par A");
        // The other way round, on the login cookie's own format.
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "camille")], "test")), CookieAuthenticationDefaults.AuthenticationScheme);
        var cookie = CookieFormat(serverB).Protect(ticket);
        CookieFormat(serverA).Unprotect(cookie)!.Principal.FindFirst("sub")!.Value.ShouldBe("camille");

        await using var db = database.CreateDbContext();
        (await db.DataProtectionKeys.CountAsync(Ct)).ShouldBeGreaterThan(0);
        // A single key ring: each host created no key of its own.
        (await db.DataProtectionKeys.CountAsync(Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task Health_ReportsTheDatabaseAndTheJobsStorage_OnPostgreSql()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var server = PortalFactory.Over("PostgreSql", database.ConnectionString);

        var response = await server.CreateBrowser().GetAsync("/health", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var checks = json.RootElement.GetProperty("checks");
        checks.GetProperty("database").GetProperty("status").GetString().ShouldBe("Healthy");
        var jobs = checks.GetProperty("hangfire");
        jobs.GetProperty("status").GetString().ShouldBe("Healthy");
        jobs.GetProperty("description").GetString()!.ShouldStartWith("Stockage des tâches (PostgreSQL, schéma hangfire)");
    }

    [Fact]
    public async Task Health_ReportsTheJobsStorage_OnSqlite()
    {
        await using var server = new PortalFactory();

        var response = await server.CreateBrowser().GetAsync("/health", Ct);

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        json.RootElement.GetProperty("checks").GetProperty("hangfire").GetProperty("description").GetString()!
            .ShouldStartWith("Stockage des tâches (fichier SQLite)");
    }

    [Fact]
    public async Task FilesDirectory_HoldsUploadsExportsAndLheoFiles_ThatAnotherServerReads_NotTheDataFolder()
    {
        var root = Directory.CreateTempSubdirectory("portal-shared-").FullName;
        try
        {
            var shared = Path.Combine(root, "partage");
            using var serverA = Server(Path.Combine(root, "donnees-a"), shared);
            using var serverB = Server(Path.Combine(root, "donnees-b"), shared);

            var stored = await serverA.GetRequiredService<IFileStore>().SaveAsync(new MemoryStream("%PDF-1.4 pièce"u8.ToArray()), 1000, Ct);
            var importId = Guid.NewGuid();
            await serverA.GetRequiredService<ILheoImportStore>().SaveAsync(importId, new MemoryStream("<lheo/>"u8.ToArray()), Ct);

            await using (var read = await serverB.GetRequiredService<IFileStore>().OpenReadAsync(stored.Key, Ct))
                read.ShouldNotBeNull("server B reads the document server A stored");
            await using (var lheo = serverB.GetRequiredService<ILheoImportStore>().Open(importId))
                new StreamReader(lheo).ReadToEnd().ShouldBe("<lheo/>");
            Directory.EnumerateFiles(Path.Combine(shared, "uploads"), "*", SearchOption.AllDirectories).ShouldNotBeEmpty();
            Directory.EnumerateFiles(Path.Combine(shared, "imports", "lheo")).ShouldNotBeEmpty();
            Directory.Exists(Path.Combine(root, "donnees-a", "uploads")).ShouldBeFalse();
            Directory.Exists(Path.Combine(root, "donnees-a", "imports")).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void WithoutFilesDirectory_TheFilesStayInTheDataFolder()
    {
        var root = Directory.CreateTempSubdirectory("portal-shared-").FullName;
        try
        {
            new PortalOptions { DataDirectory = "donnees" }.ResolveFilesDirectory(root).ShouldBe(Path.Combine(root, "donnees"));
            new PortalOptions { DataDirectory = "donnees", FilesDirectory = "partage" }.ResolveFilesDirectory(root).ShouldBe(Path.Combine(root, "partage"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static ServiceProvider Server(string dataDirectory, string filesDirectory)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPortalInfrastructure(new PortalOptions { DataDirectory = dataDirectory, FilesDirectory = filesDirectory }, dataDirectory);
        return services.BuildServiceProvider();
    }

    private static ISecureDataFormat<AuthenticationTicket> CookieFormat(PortalFactory server) =>
        server.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme).TicketDataFormat;
}
