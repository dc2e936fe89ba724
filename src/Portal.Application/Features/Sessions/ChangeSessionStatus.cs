using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Sessions;

public enum SessionAction
{
    /// <summary>O7: only with 5 × capacity prescriptions or after the registration deadline.</summary>
    Suspend = 1,
    Reopen = 2,

    /// <summary>O7: same condition as suspension.</summary>
    Close = 3,

    /// <summary>Before the session runs; its active prescriptions end as "Session annulée".</summary>
    Cancel = 4,
}

/// <summary>The OF suspends, reopens, closes or cancels one of its sessions (O7); everyone showing it sees the change live.</summary>
public sealed record ChangeSessionStatus(Guid SessionId, SessionAction Action, string? Reason = null)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(ChangeSessionStatus command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Seul l'organisme de formation gère ses sessions.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == command.SessionId && s.OrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Session introuvable.");
            var now = clock.GetUtcNow();
            var active = PrescriptionLifecycle.Active;
            var cancelled = new List<Prescription>();
            switch (command.Action)
            {
                case SessionAction.Suspend:
                    session.Suspend(now, await SessionCounts.ReceivedPrescriptionsAsync(db, session.Id, cancellationToken));
                    break;
                case SessionAction.Close:
                    session.Close(now, await SessionCounts.ReceivedPrescriptionsAsync(db, session.Id, cancellationToken));
                    break;
                case SessionAction.Reopen:
                    session.Reopen(now);
                    break;
                case SessionAction.Cancel:
                    if (string.IsNullOrWhiteSpace(command.Reason)) throw new DomainException("Indiquez le motif de l'annulation : il sera communiqué aux prescripteurs.");
                    session.Cancel(command.Reason);
                    // One session's prescriptions (a few dozen): each gets its transition in the history.
                    cancelled = await db.AllPrescriptions.Where(p => p.SessionId == session.Id && active.Contains(p.Status)).ToListAsync(cancellationToken);
                    foreach (var p in cancelled) p.MarkSessionCancelled(user.UserId, now);
                    // O8: a cancelled session has no open place.
                    session.RecountOpenPlaces(0);
                    break;
                default:
                    throw new DomainException("Action inconnue.");
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException("La session vient d'être modifiée par quelqu'un d'autre : rechargez-la et recommencez.");
            }
            await notifier.PublishAsync(new SessionPlacesChanged(session.Id, session.OrganisationId, session.OpenPlaces, session.Capacity, session.Status, session.Version), cancellationToken);
            await Selection.WaitlistPromotion.PublishAsync(notifier, cancelled, cancellationToken);
        }
    }
}
