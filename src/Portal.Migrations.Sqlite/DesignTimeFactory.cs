using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Portal.Infrastructure;
using Portal.Infrastructure.Persistence;

namespace Portal.Migrations.Sqlite;

/// <summary>
/// Lets `dotnet ef migrations add X --project src/Portal.Migrations.Sqlite` build the model without
/// starting the web app.
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly(DependencyInjection.SqliteMigrationsAssembly))
            .UseOpenIddict()
            .Options;
        return new PortalDbContext(options);
    }
}
