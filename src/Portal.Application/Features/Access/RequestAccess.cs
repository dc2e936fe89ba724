using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;
using Portal.Application.Features.Notifications;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Access;

/// <summary>
/// Live event: an access request was made or decided. Topics: the request (the requester's *Accès en attente* page),
/// and its organisation (its référents' and délégué's lists and counts). The administrator's screens subscribe to the type.
/// </summary>
public sealed record AccessRequestsChanged(Guid RequestId, Guid OrganisationId, AccessRequestStatus Status) : ILiveEvent
{
    public IEnumerable<Guid> Topics() => [RequestId, OrganisationId];
}

/// <summary>
/// Issue #14 (2): a person signed in with no active membership asks for access to an organisation, with a role its kind
/// allows and an optional message. Their portal account is created from their identity on the first request (or the
/// account already known by their subject or e-mail is used). One open request per person; a deactivated account is refused.
/// After the commit the deciders hear it live and are e-mailed by <see cref="AccessRequestMailJob"/>.
/// </summary>
public sealed record RequestAccess(Guid OrganisationId, Role Role, string? Message)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier, IJobScheduler jobs)
    {
        public async Task<Guid> HandleAsync(RequestAccess command, PendingIdentity identity, CancellationToken cancellationToken = default)
        {
            TextLimit.Ensure(command.Message, AccessRequest.MessageMaxLength, "Le message");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Id == command.OrganisationId, cancellationToken)
                ?? throw new DomainException("Choisissez l'organisation à laquelle vous demandez l'accès.");
            var user = await FindUserAsync(db, identity, cancellationToken);
            if (user is null)
            {
                if (string.IsNullOrWhiteSpace(identity.Email))
                    throw new DomainException("Votre identité ne donne pas d'adresse e-mail : le portail ne peut pas créer votre compte.");
                var (given, family) = Names(identity);
                user = new AppUser(identity.Email, given, family, identity.Subject);
                db.Users.Add(user);
            }
            else
            {
                if (!user.IsActive) throw new DomainException("Votre compte a été désactivé : adressez-vous à l'administrateur du portail.");
                if (user.Memberships.Count > 0) throw new DomainException("Vous avez déjà accès au portail : reconnectez-vous.");
                if (await db.AllAccessRequests.AnyAsync(r => r.UserId == user.Id && r.Status == AccessRequestStatus.Pending, cancellationToken))
                    throw new DomainException("Vous avez déjà une demande d'accès en cours : attendez sa réponse.");
            }
            var request = new AccessRequest(user.Id, organisation, command.Role, command.Message, clock.GetUtcNow());
            db.AllAccessRequests.Add(request);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The unique index on the open request (two quick clicks), or the e-mail taken meanwhile.
                throw new DomainException("Vous avez déjà une demande d'accès en cours : attendez sa réponse.");
            }
            await notifier.PublishAsync(new AccessRequestsChanged(request.Id, organisation.Id, request.Status), cancellationToken);
            // Issue #14 (2): the deciders are e-mailed in a job, not while the requester's screen waits for the mail server.
            var id = request.Id;
            jobs.Enqueue<AccessRequestMailJob>(job => job.RunAsync(id, CancellationToken.None));
            return request.Id;
        }

        /// <summary>The account of this identity: by subject, else by an e-mail not yet bound (bound now); another subject's e-mail is refused.</summary>
        internal static async Task<AppUser?> FindUserAsync(IAppDbContext db, PendingIdentity identity, CancellationToken cancellationToken)
        {
            var user = await db.Users.Include(u => u.Memberships).FirstOrDefaultAsync(u => u.Subject == identity.Subject, cancellationToken);
            if (user is not null || string.IsNullOrWhiteSpace(identity.Email)) return user;
            var email = identity.Email.Trim().ToLowerInvariant();
            user = await db.Users.Include(u => u.Memberships).FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
            if (user is null) return null;
            if (user.Subject is not null)
                throw new DomainException("Votre adresse e-mail est déjà celle d'un autre compte du portail : adressez-vous à l'administrateur.");
            user.BindSubject(identity.Subject);
            return user;
        }

        private static (string Given, string Family) Names(PendingIdentity identity)
        {
            if (!string.IsNullOrWhiteSpace(identity.GivenName) || !string.IsNullOrWhiteSpace(identity.FamilyName))
                return (identity.GivenName ?? "", identity.FamilyName ?? "");
            var parts = identity.DisplayName.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            return parts.Length switch { 0 => ("", identity.Email ?? ""), 1 => ("", parts[0]), _ => (parts[0], parts[1]) };
        }
    }
}

/// <summary>
/// Issue #14 (2), A2: e-mails a new access request to those who decide it: the organisation's référents and its
/// correspondant délégué (active accounts still members of it); when the organisation has none (an OF, an MFE, or a
/// prescriber organisation without référent), the administrators. Those who opted out of e-mails are not mailed (the
/// request waits on their *Demandes d'accès* screen, live). The mail names the requester (name and e-mail), the
/// organisation and the role, with the link to the screen; not the requester's message nor anything else about them.
/// A request decided or gone before the job runs is not mailed; a mail that fails is logged, not retried.
/// </summary>
public sealed class AccessRequestMailJob(IAppDbContextFactory dbFactory, IMailSender mail, PortalLinks links, ILogger<AccessRequestMailJob> logger)
{
    public async Task RunAsync(Guid requestId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var request = await (from r in db.AllAccessRequests.AsNoTracking()
                             join u in db.Users on r.UserId equals u.Id
                             join o in db.Organisations on r.OrganisationId equals o.Id
                             where r.Id == requestId && r.Status == AccessRequestStatus.Pending
                             select new { r.Role, r.OrganisationId, u.Email, u.GivenName, u.FamilyName, Organisation = o.Name, o.DelegateUserId })
            .FirstOrDefaultAsync(cancellationToken);
        if (request is null) return;
        var deciders = await Deciders(db, request.OrganisationId, request.DelegateUserId)
            .Select(u => new Recipient(u.Email, u.GivenName, u.FamilyName, u.EmailNotifications)).ToListAsync(cancellationToken);
        if (deciders.Count == 0)
        {
            var admin = Role.Admin;
            deciders = await db.Users.AsNoTracking()
                .Where(u => u.IsActive && db.Memberships.Any(m => m.UserId == u.Id && m.Role == admin))
                .Select(u => new Recipient(u.Email, u.GivenName, u.FamilyName, u.EmailNotifications)).ToListAsync(cancellationToken);
        }
        var requester = $"{request.GivenName} {request.FamilyName}".Trim();
        var subject = $"Demande d'accès au portail de prescription : {request.Organisation}";
        var body = $"{requester} ({request.Email}) demande l'accès au portail de prescription pour « {request.Organisation} » " +
                   $"comme « {request.Role.Label()} ».\n\n" +
                   $"Acceptez ou refusez cette demande sur la page « Demandes d'accès » du portail : {links.AccessRequests}\n\n" +
                   "Vous recevez ce message parce que vous décidez des demandes d'accès de cette organisation. " +
                   "Vous pouvez ne plus recevoir d'e-mails du portail depuis « Mes préférences ».";
        foreach (var r in deciders.Where(r => r.EmailNotifications && r.Email.Contains('@', StringComparison.Ordinal)).DistinctBy(r => r.Email))
        {
            try
            {
                await mail.SendAsync(new OutgoingMail(r.Email, $"{r.GivenName} {r.FamilyName}".Trim(), subject, body), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Access request mail for request {RequestId} to a decider not sent", requestId);
            }
        }
    }

    /// <summary>The organisation's active référents and its active délégué still a member (A2): who decides its requests.</summary>
    private static IQueryable<AppUser> Deciders(IAppDbContext db, Guid organisationId, Guid? delegateUserId)
    {
        var referent = Role.ReferentFormation;
        return db.Users.AsNoTracking().Where(u => u.IsActive
            && (db.Memberships.Any(m => m.UserId == u.Id && m.OrganisationId == organisationId && m.Role == referent)
                || (u.Id == delegateUserId && db.Memberships.Any(m => m.UserId == u.Id && m.OrganisationId == organisationId))));
    }

    private sealed record Recipient(string Email, string GivenName, string FamilyName, bool EmailNotifications);
}

/// <summary>
/// Issue #14 (2): what *Accès en attente* shows a person: their latest request (status, decider, refusal reason), the
/// organisation matching their SIRET, and the organisations they may choose (search by name) with the roles each allows.
/// </summary>
public sealed record GetMyAccessRequest
{
    public sealed record Request(Guid Id, string OrganisationName, Role Role, string? Message, AccessRequestStatus Status,
        DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecidedByName, string? RefusalReason);

    public sealed record OrganisationOption(Guid Id, string Name, OrganisationKind Kind, string? Siret)
    {
        public IReadOnlyList<Role> Roles => AccessRules.RequestableRoles(Kind);
    }

    public const int MaxSearchLength = 100;

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        /// <summary>The person's latest request, or null (no account yet, or no request).</summary>
        public async Task<Request?> HandleAsync(PendingIdentity identity, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var subject = identity.Subject;
            return await (from r in db.AllAccessRequests.AsNoTracking()
                          join u in db.Users on r.UserId equals u.Id
                          join o in db.Organisations on r.OrganisationId equals o.Id
                          where u.Subject == subject
                          orderby r.CreatedAt descending
                          select new Request(r.Id, o.Name, r.Role, r.Message, r.Status, r.CreatedAt, r.DecidedAt, r.DecidedByName, r.RefusalReason))
                .FirstOrDefaultAsync(cancellationToken);
        }

        /// <summary>Organisations whose name (or SIRET) contains the text, sorted by name, at most <paramref name="take"/>.</summary>
        public async Task<IReadOnlyList<OrganisationOption>> SearchOrganisationsAsync(string? search, int take = 20, CancellationToken cancellationToken = default)
        {
            TextLimit.Ensure(search, MaxSearchLength, "La recherche");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var organisations = db.Organisations.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(search))
            {
                var lower = search.Trim().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
                var digits = string.Concat(lower.Where(char.IsDigit));
                organisations = organisations.Where(o => EF.Functions.Like(o.Name.ToLower(), $"%{lower}%")
                    || (digits.Length >= 9 && o.Siret != null && o.Siret.StartsWith(digits)));
            }
            return await organisations.OrderBy(o => o.Name).Take(Math.Clamp(take, 1, 50))
                .Select(o => new OrganisationOption(o.Id, o.Name, o.Kind, o.Siret)).ToListAsync(cancellationToken);
        }

        /// <summary>One organisation as an option (the SIRET's pre-selection), or null.</summary>
        public async Task<OrganisationOption?> OrganisationAsync(Guid id, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            return await db.Organisations.AsNoTracking().Where(o => o.Id == id)
                .Select(o => new OrganisationOption(o.Id, o.Name, o.Kind, o.Siret)).FirstOrDefaultAsync(cancellationToken);
        }
    }
}
