using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// The Data Protection key ring, which signs and encrypts the login cookie, the antiforgery tokens and Blazor's circuit
/// descriptors (ADR 0022). With PostgreSQL, in the portal's database (table <c>DataProtectionKeys</c>): every server
/// reads the same ring, so a cookie issued by one is accepted by the others. With SQLite (one server), in the data folder
/// (<c>keys/</c>) as before: an existing installation keeps its keys and nobody is logged out by an upgrade.
/// </summary>
public static class DataProtectionSetup
{
    /// <summary>The application name every server shares (it isolates the portal's payloads from other apps' on one ring).</summary>
    public const string ApplicationName = "Portal";

    public static IDataProtectionBuilder AddPortalDataProtection(this IServiceCollection services, PortalOptions options, string contentRoot)
    {
        var builder = services.AddDataProtection().SetApplicationName(ApplicationName);
        return DatabaseProviders.Parse(options.DatabaseProvider) == DatabaseProvider.PostgreSql
            ? builder.PersistKeysToDbContext<PortalDbContext>()
            : builder.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.ResolveDataDirectory(contentRoot), "keys")));
    }
}
