using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Sessions;

/// <summary>O8: the OF updates a session's open places; every screen showing them updates live.</summary>
public sealed record UpdateOpenPlaces(Guid SessionId, int OpenPlaces)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, ILiveNotifier notifier, TimeProvider clock)
    {
        public async Task HandleAsync(UpdateOpenPlaces command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Seul l'organisme de formation met à jour les places ouvertes.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == command.SessionId && s.OrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Session introuvable.");
            var freed = command.OpenPlaces - session.OpenPlaces;
            session.SetOpenPlaces(command.OpenPlaces);
            // O9: each place the OF opens goes to the next of the waiting list.
            var promoted = await WaitlistPromotion.PromoteAsync(db, session.Id, freed, clock.GetUtcNow(), cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException("La session vient d'être modifiée par quelqu'un d'autre : rechargez-la et recommencez.", "O8");
            }
            await notifier.PublishAsync(new SessionPlacesChanged(session.Id, session.OrganisationId, session.OpenPlaces, session.Capacity, session.Status, session.Version), cancellationToken);
            await WaitlistPromotion.PublishAsync(notifier, promoted, cancellationToken);
        }
    }
}
