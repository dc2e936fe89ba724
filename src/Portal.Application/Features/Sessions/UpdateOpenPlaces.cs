using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Sessions;

/// <summary>
/// O8: the OF lowers a session's open places below their bound (capacity − places held), keeping places back for other
/// financing, or raises them back up to the bound, never above; every screen showing them updates live.
/// </summary>
public sealed record UpdateOpenPlaces(Guid SessionId, int OpenPlaces)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, ILiveNotifier notifier)
    {
        public async Task HandleAsync(UpdateOpenPlaces command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Seul l'organisme de formation met à jour les places ouvertes.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == command.SessionId && s.OrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Session introuvable.");
            // O8: the OF sets the kept-back part within capacity − places held; nobody is selected by it (O9: the OF offers places).
            session.SetOpenPlaces(command.OpenPlaces, await SessionPlaces.HeldAsync(db, session.Id, cancellationToken));
            await SessionPlaces.SaveAsync(db, "La session vient d'être modifiée par quelqu'un d'autre : rechargez-la et recommencez.", "O8", cancellationToken);
            await SessionPlaces.PublishAsync(notifier, [session], cancellationToken);
        }
    }
}
