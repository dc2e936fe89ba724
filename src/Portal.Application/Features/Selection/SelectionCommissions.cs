using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Selection;

/// <summary>
/// S9: a session's selection commission. The Région sees every session's and edits it; the session's OF and the
/// prescribers with a prescription on the session read it; anyone else gets NotFound.
/// </summary>
public sealed record GetSelectionCommission(Guid SessionId)
{
    public sealed record Result(Guid SessionId, bool CanEdit, int Prescriptions, bool Exists, IReadOnlyList<string> Members, DateTimeOffset? MeetsAt, string? Outcome,
        DateTimeOffset? OutcomeRecordedAt);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetSelectionCommission query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var region = user.Is(Role.Region);
            var session = await db.Sessions.AsNoTracking().Where(s => s.Id == query.SessionId).Select(s => new { s.Id, s.OrganisationId }).FirstOrDefaultAsync(cancellationToken);
            var visible = session is not null && (region || user.Is(Role.Admin)
                || (user.Is(Role.OrganismeFormation) && session.OrganisationId == user.OrganisationId)
                || (user.IsPrescriberSide && await db.AllPrescriptions.AnyAsync(p => p.SessionId == session.Id && p.PrescriberOrganisationId == user.OrganisationId, cancellationToken)));
            if (!visible) throw new NotFoundException("Session introuvable.");
            var count = await db.AllPrescriptions.CountAsync(p => p.SessionId == query.SessionId, cancellationToken);
            var c = await db.SelectionCommissions.AsNoTracking().FirstOrDefaultAsync(x => x.SessionId == query.SessionId, cancellationToken);
            return c is null
                ? new Result(query.SessionId, region, count, false, [], null, null, null)
                : new Result(query.SessionId, region, count, true, c.Members, c.MeetsAt, c.Outcome, c.OutcomeRecordedAt);
        }
    }
}

/// <summary>S9: the Région sets up (or updates) a session's selection commission: members, date, and later the outcome.</summary>
public sealed record SaveSelectionCommission(Guid SessionId, IReadOnlyList<string> Members, DateTimeOffset MeetsAt, string? Outcome)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(SaveSelectionCommission command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.Region)) throw new AccessDeniedException("Seule la Région met en place une commission de sélection.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            if (!await db.Sessions.AnyAsync(s => s.Id == command.SessionId, cancellationToken)) throw new NotFoundException("Session introuvable.");
            var now = clock.GetUtcNow();
            var commission = await db.SelectionCommissions.FirstOrDefaultAsync(c => c.SessionId == command.SessionId, cancellationToken);
            if (commission is null)
            {
                commission = new SelectionCommission(command.SessionId, command.Members, command.MeetsAt, user.UserId, now);
                db.SelectionCommissions.Add(commission);
            }
            else
            {
                commission.Plan(command.Members, command.MeetsAt, now);
            }
            if (!string.IsNullOrWhiteSpace(command.Outcome) && command.Outcome.Trim() != commission.Outcome) commission.RecordOutcome(command.Outcome, now);
            await db.SaveChangesAsync(cancellationToken);
            await notifier.PublishAsync(new SelectionCommissionChanged(command.SessionId), cancellationToken);
        }
    }
}
