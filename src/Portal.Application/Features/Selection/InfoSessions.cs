using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>Who may manage a session's selection: its own OF writes; the Région reads.</summary>
internal static class InfoSessionAccess
{
    /// <summary>The session, if the user's OF runs it (or, when <paramref name="regionReads"/>, the user is the Région); otherwise NotFound.</summary>
    public static async Task<(Guid Id, Guid TrainingBodyId, EntryMode EntryMode)> SessionAsync(IAppDbContext db, CurrentUser user, Guid sessionId, bool regionReads,
        CancellationToken cancellationToken)
    {
        var region = regionReads && (user.Is(Role.Region) || user.Is(Role.Admin));
        if (!region && !user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Cette action est réservée à l'organisme de formation de la session.");
        var session = await db.Sessions.AsNoTracking()
            .Where(s => s.Id == sessionId && (region || s.OrganisationId == user.OrganisationId))
            .Select(s => new { s.Id, s.OrganisationId, s.EntryMode })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Session introuvable.");
        return (session.Id, session.OrganisationId, session.EntryMode);
    }

    /// <summary>An info session of one of the OF's own sessions, tracked; otherwise NotFound.</summary>
    public static async Task<InfoSession> OwnInfoSessionAsync(IAppDbContext db, CurrentUser user, Guid infoSessionId, CancellationToken cancellationToken)
    {
        if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Cette action est réservée à l'organisme de formation de la session.");
        return await db.InfoSessions
            .Where(i => i.Id == infoSessionId && db.Sessions.Any(s => s.Id == i.SessionId && s.OrganisationId == user.OrganisationId))
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Information collective introuvable.");
    }

    /// <summary>Statuses from which a candidate can be convoked (S3; again after a justified absence).</summary>
    public static readonly PrescriptionStatus[] Convocable = [PrescriptionStatus.Submitted, PrescriptionStatus.AbsentJustified];
}

/// <summary>
/// S2, S3, S6, S8: a session's info sessions (or individual interviews), who is convoked to each and their
/// attendance, and the candidates still to convoke. The OF of the session manages them; the Région reads.
/// </summary>
public sealed record GetInfoSessions(Guid SessionId)
{
    public sealed record Attendee(Guid PrescriptionId, string CandidateName, string PrescriberOrganisation, PrescriptionStatus Status, string? Justification);

    public sealed record Meeting(
        Guid Id, InfoSessionKind Kind, DateTimeOffset StartsAt, string Place, string WhatToBring,
        bool CanChange, bool ConvocationInTime, bool HasOpenWarning, IReadOnlyList<Attendee> Convoked);

    public sealed record ToConvoke(Guid PrescriptionId, string CandidateName, string PrescriberOrganisation, PrescriptionStatus Status);

    public sealed record Result(Guid SessionId, EntryMode EntryMode, bool CanManage, IReadOnlyList<Meeting> Meetings, IReadOnlyList<ToConvoke> ToConvokeList);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<Result> HandleAsync(GetInfoSessions query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = await InfoSessionAccess.SessionAsync(db, user, query.SessionId, regionReads: true, cancellationToken);
            var now = clock.GetUtcNow();
            var meetings = await db.InfoSessions.AsNoTracking().Where(i => i.SessionId == session.Id)
                .Select(i => new { i.Id, i.Kind, i.StartsAt, i.Place, i.WhatToBring,
                    Warned = db.ConvocationWarnings.Any(w => w.InfoSessionId == i.Id && w.ResolvedAt == null) })
                .ToListAsync(cancellationToken);
            var prescriptions = await db.AllPrescriptions.AsNoTracking().Where(p => p.SessionId == session.Id)
                .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
                .Select(p => new
                {
                    p.Id, p.Status, p.ConvokedInfoSessionId, p.AbsenceJustification,
                    Candidate = db.AllCandidates.Where(c => c.Id == p.CandidateId).Select(c => c.FirstName + " " + c.LastName).First(),
                    Prescriber = db.Organisations.Where(o => o.Id == p.PrescriberOrganisationId).Select(o => o.Name).First(),
                })
                .ToListAsync(cancellationToken);
            var byMeeting = prescriptions.Where(p => p.ConvokedInfoSessionId != null).ToLookup(p => p.ConvokedInfoSessionId!.Value);
            var canManage = user.Is(Role.OrganismeFormation) && session.TrainingBodyId == user.OrganisationId;
            var result = meetings
                .OrderBy(m => m.StartsAt)
                .Select(m => new Meeting(m.Id, m.Kind, m.StartsAt, m.Place, m.WhatToBring,
                    CanChange: canManage && m.StartsAt > now && !byMeeting[m.Id].Any(),
                    ConvocationInTime: TrainingSession.Today(now) <= DateOnly.FromDateTime(Portal.Domain.Common.FrenchTime.ToFrance(m.StartsAt).DateTime).AddDays(-InfoSession.ConvocationNoticeDays),
                    m.Warned,
                    [.. byMeeting[m.Id].Select(p => new Attendee(p.Id, p.Candidate, p.Prescriber, p.Status, p.AbsenceJustification))]))
                .ToList();
            var toConvoke = prescriptions.Where(p => InfoSessionAccess.Convocable.Contains(p.Status))
                .Select(p => new ToConvoke(p.Id, p.Candidate, p.Prescriber, p.Status)).ToList();
            return new Result(session.Id, session.EntryMode, canManage, result, toConvoke);
        }
    }
}

/// <summary>S2, S8: the OF schedules (or, before any convocation, changes) an info session or individual interview on its session.</summary>
public sealed record SaveInfoSession(Guid SessionId, Guid? InfoSessionId, InfoSessionKind Kind, DateTimeOffset StartsAt, string Place, string? WhatToBring)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task<Guid> HandleAsync(SaveInfoSession command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var session = await InfoSessionAccess.SessionAsync(db, user, command.SessionId, regionReads: false, cancellationToken);
            var sessionStatus = await db.Sessions.Where(s => s.Id == session.Id).Select(s => s.Status).FirstAsync(cancellationToken);
            TrainingSession.EnsureSelectionGoesOn(sessionStatus, "planifier une réunion", "S2");
            var now = clock.GetUtcNow();
            InfoSession info;
            if (command.InfoSessionId is { } id)
            {
                info = await InfoSessionAccess.OwnInfoSessionAsync(db, user, id, cancellationToken);
                if (info.SessionId != session.Id) throw new NotFoundException("Information collective introuvable.");
                if (await db.AllPrescriptions.AnyAsync(p => p.ConvokedInfoSessionId == info.Id, cancellationToken))
                    throw new Portal.Domain.Common.DomainException("Des candidats sont déjà convoqués à cette réunion : elle ne peut plus être modifiée.", "S3");
                info.Reschedule(command.Kind, command.StartsAt, command.Place, command.WhatToBring, now);
            }
            else
            {
                info = InfoSession.Schedule(session.Id, command.Kind, command.StartsAt, command.Place, command.WhatToBring, now);
                db.InfoSessions.Add(info);
            }
            await db.SaveChangesAsync(cancellationToken);
            await notifier.PublishAsync(new InfoSessionsChanged(session.Id, session.TrainingBodyId), cancellationToken);
            return info.Id;
        }
    }
}

/// <summary>S3: the OF cancels an info session to which nobody has been convoked yet.</summary>
public sealed record CancelInfoSession(Guid InfoSessionId)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, ILiveNotifier notifier)
    {
        public async Task HandleAsync(CancelInfoSession command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var info = await InfoSessionAccess.OwnInfoSessionAsync(db, user, command.InfoSessionId, cancellationToken);
            if (await db.AllPrescriptions.AnyAsync(p => p.ConvokedInfoSessionId == info.Id, cancellationToken))
                throw new Portal.Domain.Common.DomainException("Des candidats sont déjà convoqués à cette réunion : elle ne peut plus être annulée ici.", "S3");
            db.InfoSessions.Remove(info);
            await db.SaveChangesAsync(cancellationToken);
            await notifier.PublishAsync(new InfoSessionsChanged(info.SessionId, user.OrganisationId), cancellationToken);
        }
    }
}
