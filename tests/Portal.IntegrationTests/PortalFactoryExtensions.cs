using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Abstractions;
using Portal.Infrastructure.Seed;

namespace Portal.IntegrationTests;

public static class PortalFactoryExtensions
{
    /// <summary>Reads the test database directly (to find ids the way an attacker would guess them).</summary>
    public static async Task<T> QueryAsync<T>(this PortalFactory factory, Func<IAppDbContext, Task<T>> query)
    {
        await using var db = await factory.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync();
        return await query(db);
    }

    public static Task<Guid> OrganisationIdOfAsync(this PortalFactory factory, string account) => factory.QueryAsync(async db =>
    {
        var email = DemoData.Email(account);
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        return await db.Memberships.Where(m => m.UserId == userId).Select(m => m.OrganisationId).FirstAsync();
    });

    public static async Task<HttpClient> LoggedInAsync(this PortalFactory factory, string account)
    {
        var client = factory.CreateBrowser();
        await OidcLogin.LoginAsync(client, DemoData.Email(account));
        return client;
    }
}
