using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;

namespace Portal.Application.Features.Fiches;

/// <summary>O2: the Région validates a submitted fiche: it is published (catalogue, sessions).</summary>
public sealed record ValidateFiche(Guid FicheId)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(ValidateFiche command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            GetFichesToValidate.Handler.EnsureRegion(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var fiche = await db.FicheActions.FirstOrDefaultAsync(f => f.Id == command.FicheId, cancellationToken)
                ?? throw new NotFoundException("Fiche action introuvable.");
            fiche.Validate(clock.GetUtcNow());
            await FicheStore.SaveAsync(db, cancellationToken);
            await notifier.PublishAsync(new FicheStatusChanged(fiche.Id, fiche.OrganisationId, fiche.Status, fiche.Version), cancellationToken);
        }
    }
}
