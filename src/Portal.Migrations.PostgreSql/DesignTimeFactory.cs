using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Portal.Infrastructure;
using Portal.Infrastructure.Persistence;

namespace Portal.Migrations.PostgreSql;

/// <summary>
/// Lets `dotnet ef migrations add X --project src/Portal.Migrations.PostgreSql` build the PostgreSQL model without
/// starting the web app or a server (the connection string is never opened to add a migration).
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>()
            .UseNpgsql("Host=localhost;Database=portal_design_time", o => o.MigrationsAssembly(DependencyInjection.PostgreSqlMigrationsAssembly))
            .UseOpenIddict()
            .Options;
        return new PortalDbContext(options);
    }
}
