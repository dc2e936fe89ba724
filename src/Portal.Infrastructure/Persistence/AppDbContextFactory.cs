using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Persistence;

internal sealed class AppDbContextFactory(IDbContextFactory<PortalDbContext> factory) : IAppDbContextFactory
{
    public async Task<IAppDbContext> CreateAsync(CancellationToken cancellationToken = default) =>
        await factory.CreateDbContextAsync(cancellationToken);
}
