using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;

namespace Portal.Application.Features.Order;

/// <summary>O3: after the tender deadline the Région declares a lot infructueux; its annexes stay online.</summary>
public sealed record DeclareLotUnsuccessful(Guid LotId)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task HandleAsync(DeclareLotUnsuccessful command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrderAccess.RequireRegion(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var lot = await db.OrderLots.FirstOrDefaultAsync(l => l.Id == command.LotId, cancellationToken)
                ?? throw new NotFoundException("Lot introuvable.");
            lot.DeclareUnsuccessful(clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
