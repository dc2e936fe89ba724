using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Sessions;

/// <summary>
/// O8, O9 (ADR 0015): the portal keeps each session's open places = capacity − (selected + offered + entered) − the
/// places the OF keeps back. Every command that changes a status recounts the sessions it touched in its own unit of
/// work, before its one <c>SaveChanges</c>: the figure commits with the status change, and the session's version goes
/// up with it, so two users taking the last place cannot both win.
/// </summary>
public static class SessionPlaces
{
    public const string ConflictMessage =
        "Les places de la session viennent de changer (une autre décision a été enregistrée en même temps) : rechargez l'écran et recommencez.";

    /// <summary>
    /// The places held on the session, counting the changes this unit of work has not saved yet: the rows the database
    /// holds are loaded into the context (so a row changed here is seen as changed), plus the tracked rows now holding.
    /// </summary>
    public static async Task<int> HeldAsync(IAppDbContext db, Guid sessionId, CancellationToken cancellationToken)
    {
        var holding = PrescriptionLifecycle.HoldingPlace;
        var stored = await db.AllPrescriptions.Where(p => p.SessionId == sessionId && holding.Contains(p.Status)).ToListAsync(cancellationToken);
        return stored.Concat(db.AllPrescriptions.Local.Where(p => p.SessionId == sessionId))
            .Where(p => p.Status.HoldsPlace()).Select(p => p.Id).Distinct().Count();
    }

    /// <summary>Recounts the open places of the given sessions (tracked); returns the sessions whose figure changed.</summary>
    public static async Task<IReadOnlyList<TrainingSession>> RecountAsync(IAppDbContext db, IEnumerable<Guid> sessionIds, CancellationToken cancellationToken)
    {
        var changed = new List<TrainingSession>();
        foreach (var id in sessionIds.Distinct())
        {
            var session = await db.Sessions.FirstAsync(s => s.Id == id, cancellationToken);
            if (session.RecountOpenPlaces(await HeldAsync(db, id, cancellationToken))) changed.Add(session);
        }
        return changed;
    }

    /// <summary>
    /// O8: a selection (or an offer) takes places: refused in French when the session has fewer open places than it
    /// needs, before anything is saved. <paramref name="taking"/> is the number of places the command takes.
    /// </summary>
    public static async Task EnsureOpenAsync(IAppDbContext db, Guid sessionId, int taking, CancellationToken cancellationToken)
    {
        var session = await db.Sessions.FirstAsync(s => s.Id == sessionId, cancellationToken);
        var open = TrainingSession.OpenPlacesFor(session.Status, session.Capacity, await HeldAsync(db, sessionId, cancellationToken), session.KeptBackPlaces);
        if (taking > open)
            throw new DomainException(open == 0
                ? "Aucune place ouverte sur cette session : mettez le candidat en liste d'attente (il se verra proposer la prochaine place libérée)."
                : $"Il ne reste que {open} place(s) ouverte(s) pour {taking} candidat(s) : retenez-en moins et mettez les autres en liste d'attente.",
                "O8");
    }

    /// <summary>The live event of a session's new figure (with its new version).</summary>
    public static SessionPlacesChanged Changed(TrainingSession s) => new(s.Id, s.OrganisationId, s.OpenPlaces, s.Capacity, s.Status, s.Version);

    /// <summary>Publishes the new figure of each session that changed (after the commit).</summary>
    public static async Task PublishAsync(ILiveNotifier notifier, IEnumerable<TrainingSession> changed, CancellationToken cancellationToken)
    {
        foreach (var s in changed) await notifier.PublishAsync(Changed(s), cancellationToken);
    }

    /// <summary>Saves the unit of work; a concurrent change of the session or of a prescription answers in French.</summary>
    public static async Task SaveAsync(IAppDbContext db, string conflictMessage, string rule, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException(conflictMessage, rule);
        }
    }
}
