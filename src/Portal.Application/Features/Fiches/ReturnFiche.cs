using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;

namespace Portal.Application.Features.Fiches;

/// <summary>O2: the Région returns a submitted fiche to its OF, with a comment saying what to change.</summary>
public sealed record ReturnFiche(Guid FicheId, string Comment)
{
    public const int MaxCommentLength = 2000;

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(ReturnFiche command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            GetFichesToValidate.Handler.EnsureRegion(user);
            if (command.Comment?.Trim().Length > MaxCommentLength)
                throw new DomainException($"Le commentaire tient en {MaxCommentLength} caractères au plus.", "O2");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var fiche = await db.FicheActions.FirstOrDefaultAsync(f => f.Id == command.FicheId, cancellationToken)
                ?? throw new NotFoundException("Fiche action introuvable.");
            fiche.Return(command.Comment ?? "", clock.GetUtcNow());
            await FicheStore.SaveAsync(db, cancellationToken);
            await notifier.PublishAsync(new FicheStatusChanged(fiche.Id, fiche.OrganisationId, fiche.Status, fiche.Version), cancellationToken);
        }
    }
}
