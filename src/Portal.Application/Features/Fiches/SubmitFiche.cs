using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Fiches;

/// <summary>O2: the OF submits its draft or returned fiche to the Région; refused, in French, while mandatory fields are empty.</summary>
public sealed record SubmitFiche(Guid FicheId)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(SubmitFiche command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Seul l'organisme de formation soumet ses fiches action.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var fiche = await db.FicheActions.FirstOrDefaultAsync(f => f.Id == command.FicheId && f.OrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Fiche action introuvable.");
            fiche.Submit(clock.GetUtcNow());
            await FicheStore.SaveAsync(db, cancellationToken);
            await notifier.PublishAsync(new FicheStatusChanged(fiche.Id, fiche.OrganisationId, fiche.Status, fiche.Version), cancellationToken);
        }
    }
}
