using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>
/// S3: an info session is less than 7 Paris calendar days away (and not yet begun) while prescribed candidates of
/// its session are not convoked: they can only be convoked late now (allowed after confirmation, counted by S3). Raises one warning per such info session, resolves those no longer true, reopens those true again.
/// Set-based: a handful of statements whatever the number of info sessions.
/// </summary>
public static class ConvocationWarnings
{
    /// <summary>
    /// The info sessions for which the OF must be warned at <paramref name="now"/>: the candidates still to convoke
    /// can now only be convoked late (S3, ADR 0017). Late means: the meeting's Paris day is less than 7 calendar
    /// days after today's (<see cref="InfoSession.IsConvocationLate"/>), i.e. the meeting starts before Paris
    /// midnight opening day today + 7.
    /// </summary>
    public static IQueryable<InfoSession> Due(IAppDbContext db, DateTimeOffset now)
    {
        var horizon = FrenchTime.StartOfDay(TrainingSession.Today(now).AddDays(InfoSession.ConvocationNoticeDays));
        return db.InfoSessions.Where(i => i.StartsAt > now && i.StartsAt < horizon
            && db.AllPrescriptions.Any(p => p.SessionId == i.SessionId && p.Status == PrescriptionStatus.Submitted));
    }

    /// <summary>Brings the warnings up to date (of one session, or all); answers the OFs whose warnings changed.</summary>
    public static async Task<IReadOnlySet<Guid>> RefreshAsync(IAppDbContext db, DateTimeOffset now, Guid? sessionId, CancellationToken cancellationToken)
    {
        var due = Due(db, now);
        var warnings = db.ConvocationWarnings.AsQueryable();
        if (sessionId is { } only)
        {
            due = due.Where(i => i.SessionId == only);
            warnings = warnings.Where(w => w.SessionId == only);
        }
        var changed = new HashSet<Guid>();
        // Atomic (issue #16, ADR 0022): raising, reopening and resolving commit together, in the caller's transaction if it
        // has one; a failure between them leaves the warnings as they were.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;

        var toRaise = await due.Where(i => !db.ConvocationWarnings.Any(w => w.InfoSessionId == i.Id))
            .Select(i => new { i.Id, i.SessionId, Of = db.Sessions.Where(s => s.Id == i.SessionId).Select(s => s.OrganisationId).First() })
            .ToListAsync(cancellationToken);
        foreach (var i in toRaise)
        {
            db.ConvocationWarnings.Add(new ConvocationWarning(i.Id, i.SessionId, i.Of, now));
            changed.Add(i.Of);
        }
        if (toRaise.Count > 0) await db.SaveChangesAsync(cancellationToken);

        var reopen = await warnings.Where(w => w.ResolvedAt != null && due.Any(i => i.Id == w.InfoSessionId))
            .Select(w => new { w.Id, w.TrainingBodyId }).ToListAsync(cancellationToken);
        if (reopen.Count > 0)
        {
            var ids = reopen.Select(w => w.Id).ToList();
            await db.ConvocationWarnings.Where(w => ids.Contains(w.Id))
                .ExecuteUpdateAsync(u => u.SetProperty(w => w.ResolvedAt, (DateTimeOffset?)null), cancellationToken);
            changed.UnionWith(reopen.Select(w => w.TrainingBodyId));
        }

        var resolve = await warnings.Where(w => w.ResolvedAt == null && !due.Any(i => i.Id == w.InfoSessionId))
            .Select(w => new { w.Id, w.TrainingBodyId }).ToListAsync(cancellationToken);
        if (resolve.Count > 0)
        {
            var ids = resolve.Select(w => w.Id).ToList();
            await db.ConvocationWarnings.Where(w => ids.Contains(w.Id))
                .ExecuteUpdateAsync(u => u.SetProperty(w => w.ResolvedAt, now), cancellationToken);
            changed.UnionWith(resolve.Select(w => w.TrainingBodyId));
        }
        if (transaction is not null) await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>Q (quality observatory): how many warnings were raised in [from, to).</summary>
    public static Task<int> CountRaisedAsync(IAppDbContext db, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        db.ConvocationWarnings.CountAsync(w => w.RaisedAt >= from && w.RaisedAt < to, cancellationToken);
}

/// <summary>S3: the recurring job that keeps the convocation warnings true (see <see cref="ConvocationWarnings"/>).</summary>
public sealed class ConvocationWarningsJob(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var changed = await ConvocationWarnings.RefreshAsync(db, clock.GetUtcNow(), null, cancellationToken);
        foreach (var of in changed) await notifier.PublishAsync(new ConvocationWarningsChanged(of), cancellationToken);
    }
}

/// <summary>S3: the OF's open convocation warnings (of all its sessions, or one), with the candidates still to convoke.</summary>
public sealed record GetConvocationWarnings(Guid? SessionId = null)
{
    public sealed record Warning(Guid InfoSessionId, Guid SessionId, string FicheTitle, DateTimeOffset StartsAt, string Place, int NotConvoked, DateTimeOffset RaisedAt);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<Warning>> HandleAsync(GetConvocationWarnings query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) return [];
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var open = db.ConvocationWarnings.AsNoTracking().Where(w => w.TrainingBodyId == user.OrganisationId && w.ResolvedAt == null);
            if (query.SessionId is { } sessionId) open = open.Where(w => w.SessionId == sessionId);
            var rows = await open
                .Join(db.InfoSessions, w => w.InfoSessionId, i => i.Id, (w, i) => new { w, i })
                .Select(x => new
                {
                    x.w.InfoSessionId, x.w.SessionId, x.w.RaisedAt, x.i.StartsAt, x.i.Place,
                    Title = db.Sessions.Where(s => s.Id == x.w.SessionId).Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => f.Title).First(),
                    NotConvoked = db.AllPrescriptions.Count(p => p.SessionId == x.w.SessionId && p.Status == PrescriptionStatus.Submitted),
                })
                .ToListAsync(cancellationToken);
            return [.. rows.OrderBy(r => r.StartsAt).Select(r => new Warning(r.InfoSessionId, r.SessionId, r.Title, r.StartsAt, r.Place, r.NotConvoked, r.RaisedAt))];
        }
    }
}
