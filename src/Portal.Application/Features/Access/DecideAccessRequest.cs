using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Access;

/// <summary>
/// Issue #14 (2): the access requests a decider sees (<see cref="AccessRules.DecidableRequests"/>): the pending ones by
/// default, oldest first, or those of another status, latest decided first; with <paramref name="Decided"/>, the accepted and
/// the refused together (the screen's second tab), latest decided first; paged in SQL. Another organisation's requests are
/// not listed.
/// </summary>
public sealed record GetAccessRequests(AccessRequestStatus Status = AccessRequestStatus.Pending, int Skip = 0, int Take = 50, bool Decided = false)
{
    public sealed record Row(Guid Id, Guid UserId, string Name, string Email, Guid OrganisationId, string OrganisationName, Role Role,
        string? Message, DateTimeOffset CreatedAt, AccessRequestStatus Status, string? DecidedByName, DateTimeOffset? DecidedAt,
        string? RefusalReason, int Version);

    public sealed record Result(IReadOnlyList<Row> Rows, int Total);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetAccessRequests query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.MayDecideAccess()) throw new AccessDeniedException("Les demandes d'accès sont réservées aux référents, aux correspondants délégués et à l'administrateur.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var status = query.Status;
            var requests = db.DecidableRequests(user).AsNoTracking();
            requests = query.Decided ? requests.Where(r => r.Status != AccessRequestStatus.Pending) : requests.Where(r => r.Status == status);
            var rows = from r in requests
                       join u in db.Users on r.UserId equals u.Id
                       join o in db.Organisations on r.OrganisationId equals o.Id
                       select new { r, u, o };
            var total = await rows.CountAsync(cancellationToken);
            var ordered = status == AccessRequestStatus.Pending && !query.Decided ? rows.OrderBy(x => x.r.CreatedAt) : rows.OrderByDescending(x => x.r.DecidedAt);
            var page = await ordered.ThenBy(x => x.r.Id).Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, 200))
                .Select(x => new Row(x.r.Id, x.u.Id, x.u.GivenName + " " + x.u.FamilyName, x.u.Email, x.o.Id, x.o.Name, x.r.Role, x.r.Message,
                    x.r.CreatedAt, x.r.Status, x.r.DecidedByName, x.r.DecidedAt, x.r.RefusalReason, x.r.Version))
                .ToListAsync(cancellationToken);
            return new Result(page, total);
        }

        /// <summary>How many requests wait for this user's decision (0 for a user who decides none): the home's and the menu's count.</summary>
        public async Task<int> CountPendingAsync(CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.MayDecideAccess()) return 0;
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            return await db.DecidableRequests(user).CountAsync(r => r.Status == AccessRequestStatus.Pending, cancellationToken);
        }
    }
}

/// <summary>
/// Issue #14 (2): the organisation's référent, its délégué (A2) or the administrator accepts a pending request (the
/// membership is created) or refuses it with a reason. Audit line in the same SaveChanges; the requester's page and the
/// deciders' lists follow live; the requester is e-mailed by <see cref="AccessDecisionMailJob"/>. A request outside the
/// decider's scope is "not found", whatever its id.
/// </summary>
public sealed record DecideAccessRequest(Guid RequestId, bool Accept, string? Reason = null, int Version = 0)
{
    public const string ConcurrentChange = "Cette demande vient d'être traitée par quelqu'un d'autre : rechargez la page.";

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier, IJobScheduler jobs)
    {
        public async Task HandleAsync(DecideAccessRequest command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.MayDecideAccess()) throw new AccessDeniedException("Les demandes d'accès sont réservées aux référents, aux correspondants délégués et à l'administrateur.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var request = await db.DecidableRequests(user).FirstOrDefaultAsync(r => r.Id == command.RequestId, cancellationToken)
                ?? throw new NotFoundException(AccessRules.NotYours);
            if (request.Version != command.Version) throw new DomainException(ConcurrentChange);
            var organisation = await db.Organisations.FirstAsync(o => o.Id == request.OrganisationId, cancellationToken);
            var requester = await db.Users.Include(u => u.Memberships).FirstAsync(u => u.Id == request.UserId, cancellationToken);
            var now = clock.GetUtcNow();
            var target = $"{requester.DisplayName} ({requester.Email}) → {organisation.Name}";
            if (command.Accept)
            {
                if (!requester.IsActive) throw new DomainException("Ce compte est désactivé : l'administrateur doit d'abord le réactiver.");
                request.Accept(now, user.UserId, user.DisplayName);
                // Added explicitly: its client-made key would otherwise make EF take it for an existing row.
                db.Memberships.Add(requester.Join(organisation, request.Role));
                AuditTrail.Record(db, user, now, AuditAction.AccessAccepted, requester.Id, target, "Demande en attente",
                    $"Rattaché·e comme « {request.Role.Label()} »");
            }
            else
            {
                request.Refuse(command.Reason, now, user.UserId, user.DisplayName);
                AuditTrail.Record(db, user, now, AuditAction.AccessRefused, requester.Id, target, "Demande en attente",
                    $"Refusée : {request.RefusalReason}");
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException(ConcurrentChange);
            }
            await notifier.PublishAsync(new AccessRequestsChanged(request.Id, organisation.Id, request.Status), cancellationToken);
            var id = request.Id;
            jobs.Enqueue<AccessDecisionMailJob>(job => job.RunAsync(id, CancellationToken.None));
        }
    }
}

/// <summary>
/// Issue #14 (2): e-mails the requester the decision on their access request (accepted: how to get in; refused: the
/// reason). Sent in a job, not while the decider's screen waits; a mail that fails is logged: the page says it live.
/// </summary>
public sealed class AccessDecisionMailJob(IAppDbContextFactory dbFactory, IMailSender mail, ILogger<AccessDecisionMailJob> logger)
{
    public async Task RunAsync(Guid requestId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var decided = await (from r in db.AllAccessRequests.AsNoTracking()
                             join u in db.Users on r.UserId equals u.Id
                             join o in db.Organisations on r.OrganisationId equals o.Id
                             where r.Id == requestId && r.Status != AccessRequestStatus.Pending
                             select new { r.Status, r.Role, r.RefusalReason, r.DecidedByName, u.Email, u.GivenName, u.FamilyName, Organisation = o.Name })
            .FirstOrDefaultAsync(cancellationToken);
        if (decided is null) return;
        var (subject, body) = decided.Status == AccessRequestStatus.Accepted
            ? ($"Votre accès au portail de prescription ({decided.Organisation}) est ouvert",
               $"Votre demande d'accès à « {decided.Organisation} » comme « {decided.Role.Label()} » a été acceptée par {decided.DecidedByName}.\n\n" +
               "Connectez-vous de nouveau au portail pour y entrer.")
            : ($"Votre demande d'accès au portail de prescription ({decided.Organisation}) est refusée",
               $"Votre demande d'accès à « {decided.Organisation} » a été refusée par {decided.DecidedByName}.\n\nMotif : {decided.RefusalReason}\n\n" +
               "Vous pouvez faire une nouvelle demande depuis la page « Accès en attente » du portail.");
        try
        {
            await mail.SendAsync(new OutgoingMail(decided.Email, $"{decided.GivenName} {decided.FamilyName}".Trim(), subject, body), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Access decision mail for request {RequestId} not sent", requestId);
        }
    }
}
