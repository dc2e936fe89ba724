using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Export;
using Portal.Application.Features.Identity;
using Portal.Application.Security;
using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.Identity;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Access;

/// <summary>
/// Issue #14 (2): the users list. The administrator sees every account (with no membership too: a requester, someone
/// whose last membership ended); a référent only the members of their organisation, and only their memberships there.
/// Search on name or e-mail, filters on organisation, role and active/inactive; sorted by name, paged and counted in SQL.
/// </summary>
public sealed record SearchUsers(string? Search = null, Guid? OrganisationId = null, Role? Role = null, bool? Active = null,
    int Skip = 0, int Take = SearchUsers.DefaultTake)
{
    public const int DefaultTake = 25;
    public const int MaxSearchLength = 100;

    public sealed record MembershipRow(Guid Id, Guid OrganisationId, string OrganisationName, OrganisationKind Kind, Role Role);

    public sealed record Row(Guid Id, string GivenName, string FamilyName, string Email, bool IsActive, IReadOnlyList<MembershipRow> Memberships)
    {
        public string Name => $"{GivenName} {FamilyName}".Trim();
    }

    public sealed record Result(IReadOnlyList<Row> Rows, int Total);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(SearchUsers query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            var managed = AccessRules.ManagedOrganisation(user);
            TextLimit.Ensure(query.Search, MaxSearchLength, "La recherche");
            // A référent's filter on another organisation finds nobody: their scope is their own organisation.
            var organisationId = managed ?? query.OrganisationId;
            if (managed is not null && query.OrganisationId is { } asked && asked != managed) organisationId = Guid.Empty;
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var users = db.Users.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(query.Search))
            {
                var lower = query.Search.Trim().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
                users = users.Where(u => EF.Functions.Like(u.Email, $"%{lower}%")
                    || EF.Functions.Like((u.GivenName + " " + u.FamilyName).ToLower(), $"%{lower}%")
                    || EF.Functions.Like((u.FamilyName + " " + u.GivenName).ToLower(), $"%{lower}%"));
            }
            if (query.Active is { } active) users = users.Where(u => u.IsActive == active);
            var role = query.Role;
            if (organisationId is { } org)
                users = users.Where(u => db.Memberships.Any(m => m.UserId == u.Id && m.OrganisationId == org && (role == null || m.Role == role)));
            else if (role is not null)
                users = users.Where(u => db.Memberships.Any(m => m.UserId == u.Id && m.Role == role));

            var total = await users.CountAsync(cancellationToken);
            var page = await users.OrderBy(u => u.FamilyName).ThenBy(u => u.GivenName).ThenBy(u => u.Id)
                .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, 500))
                .Select(u => new { u.Id, u.GivenName, u.FamilyName, u.Email, u.IsActive })
                .ToListAsync(cancellationToken);
            var ids = page.Select(u => u.Id).ToList();
            var memberships = await (from m in db.Memberships.AsNoTracking()
                                     join o in db.Organisations on m.OrganisationId equals o.Id
                                     where ids.Contains(m.UserId) && (managed == null || m.OrganisationId == managed)
                                     orderby o.Name, m.Role
                                     select new { m.UserId, Row = new MembershipRow(m.Id, o.Id, o.Name, o.Kind, m.Role) })
                .ToListAsync(cancellationToken);
            var byUser = memberships.ToLookup(m => m.UserId, m => m.Row);
            return new Result([.. page.Select(u => new Row(u.Id, u.GivenName, u.FamilyName, u.Email, u.IsActive, [.. byUser[u.Id]]))], total);
        }

        /// <summary>The organisations this user may filter on (all for the administrator, theirs for a référent).</summary>
        public async Task<IReadOnlyList<(Guid Id, string Name)>> OrganisationsAsync(CurrentUser user, CancellationToken cancellationToken = default)
        {
            var managed = AccessRules.ManagedOrganisation(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var list = await db.Organisations.AsNoTracking().Where(o => managed == null || o.Id == managed).OrderBy(o => o.Name)
                .Select(o => new { o.Id, o.Name }).ToListAsync(cancellationToken);
            return [.. list.Select(o => (o.Id, o.Name))];
        }
    }
}

/// <summary>Issue #14 (2): the users list as filtered on screen, CSV or XLSX, for its readers only (same scope as the screen).</summary>
public sealed class UsersExport(SearchUsers.Handler handler, TimeProvider clock) : IListExport
{
    public const string ListKey = "utilisateurs";

    public string Key => ListKey;

    public async Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken)
    {
        var organisation = parameters.Text("organisation") is { } text
            ? Guid.TryParse(text, out var id) ? id : throw new DomainException($"Organisation invalide : « {text} ».")
            : (Guid?)null;
        var role = parameters.Text("role") is null ? (Role?)null : parameters.Enum("role", Role.Prescripteur);
        var active = parameters.Text("actif") switch
        {
            null => (bool?)null,
            "oui" => true,
            "non" => false,
            var other => throw new DomainException($"Valeur inconnue pour le paramètre « actif » : « {other} » (oui ou non)."),
        };
        var filter = new SearchUsers(parameters.Text("q"), organisation, role, active);
        var total = (await handler.HandleAsync(filter with { Take = 1 }, user, cancellationToken)).Total;
        return new ExportSource("Utilisateurs", ExportCells.FileName(ListKey, clock),
            ["Nom", "Prénom", "E-mail", "Compte", "Rattachements"], total,
            async (skip, take, ct) => [.. (await handler.HandleAsync(filter with { Skip = skip, Take = take }, user, ct)).Rows
                .Select(r => (IReadOnlyList<string>)[
                    r.FamilyName, r.GivenName, r.Email, r.IsActive ? "Actif" : "Désactivé",
                    string.Join(" ; ", r.Memberships.Select(m => $"{m.OrganisationName} ({m.Role.Label()})")),
                ])]);
    }
}

/// <summary>Shared steps of the membership commands: the membership in the caller's scope, and the end of the person's sessions.</summary>
internal static class MembershipAdmin
{
    public const string NotFound = "Rattachement introuvable.";

    /// <summary>The member (tracked, with memberships) and the organisation of a membership the caller manages; else not found.</summary>
    public static async Task<(AppUser User, Membership Membership, Organisation Organisation)> FindAsync(
        IAppDbContext db, Guid membershipId, CurrentUser caller, CancellationToken cancellationToken)
    {
        var managed = AccessRules.ManagedOrganisation(caller);
        var found = await db.Memberships.AsNoTracking().Where(m => m.Id == membershipId && (managed == null || m.OrganisationId == managed))
            .Select(m => new { m.UserId, m.OrganisationId }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException(NotFound);
        if (found.UserId == caller.UserId) throw new DomainException("Vous ne pouvez pas modifier vos propres rattachements : demandez-le à l'administrateur.");
        var user = await db.Users.Include(u => u.Memberships).FirstAsync(u => u.Id == found.UserId, cancellationToken);
        var organisation = await db.Organisations.FirstAsync(o => o.Id == found.OrganisationId, cancellationToken);
        return (user, user.Memberships.First(m => m.Id == membershipId), organisation);
    }
}

/// <summary>
/// Issue #14 (2): the administrator, or the organisation's référent, gives a member another role (one the organisation's
/// kind allows). Audit line in the same SaveChanges; the person's sessions end (their claims carry the old role): they log
/// in again with the new one. <paramref name="ExpectedRole"/> is the role the screen showed: changed meanwhile by someone
/// else, the command is refused (optimistic concurrency on the role itself).
/// </summary>
public sealed record ChangeMembershipRole(Guid MembershipId, Role Role, Role? ExpectedRole = null)
{
    public const string ConcurrentChange = "Ce rattachement vient d'être modifié par quelqu'un d'autre : rechargez la page et recommencez.";

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, EndAllSessionsForUser.Handler sessions)
    {
        public async Task HandleAsync(ChangeMembershipRole command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var (member, membership, organisation) = await MembershipAdmin.FindAsync(db, command.MembershipId, user, cancellationToken);
            if (command.Role == Role.Admin && !user.Is(Role.Admin)) throw new AccessDeniedException("Seul l'administrateur donne le rôle d'administrateur.");
            var before = membership.Role;
            if (command.ExpectedRole is { } expected && expected != before) throw new DomainException(ConcurrentChange);
            member.ChangeRole(membership.Id, organisation, command.Role);
            AuditTrail.Record(db, user, clock.GetUtcNow(), AuditAction.MembershipRoleChanged, member.Id,
                $"{member.DisplayName} ({member.Email}) — {organisation.Name}", before.Label(), command.Role.Label());
            await db.SaveChangesAsync(cancellationToken);
            await sessions.HandleAsync(new EndAllSessionsForUser(member.Id, SessionEndReason.EndedByAdministrator), cancellationToken);
        }
    }
}

/// <summary>
/// Issue #14 (2): the administrator, or the organisation's référent, ends a membership. Audit line in the same
/// SaveChanges. Every session of the person ends at once (ADR 0018): their claims named that membership; with no
/// membership left they see only *Accès en attente* when they log in again. A délégué who leaves is no longer délégué (A2).
/// </summary>
public sealed record EndMembership(Guid MembershipId)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, EndAllSessionsForUser.Handler sessions)
    {
        public async Task HandleAsync(EndMembership command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var (member, membership, organisation) = await MembershipAdmin.FindAsync(db, command.MembershipId, user, cancellationToken);
            var role = membership.Role;
            member.Leave(membership.Id);
            var now = clock.GetUtcNow();
            if (organisation.DelegateUserId == member.Id && !member.Memberships.Any(m => m.OrganisationId == organisation.Id))
                db.OrganisationHistory.Add(organisation.NameDelegate(null, member.DisplayName, null, now, user.UserId, user.DisplayName));
            AuditTrail.Record(db, user, now, AuditAction.MembershipEnded, member.Id,
                $"{member.DisplayName} ({member.Email}) — {organisation.Name}", role.Label(),
                member.Memberships.Count == 0 ? "Plus aucun rattachement" : "Rattachement terminé");
            await db.SaveChangesAsync(cancellationToken);
            await sessions.HandleAsync(new EndAllSessionsForUser(member.Id, SessionEndReason.MembershipEnded), cancellationToken);
        }
    }
}

/// <summary>
/// Issue #14 (2): the administrator deactivates a person (every session of theirs ends at once, ADR 0018: their open
/// screens say so within the revalidation interval, their next request is refused) or reactivates them. Audit line in the
/// same SaveChanges. Nobody deactivates themselves.
/// </summary>
public sealed record SetUserActive(Guid UserId, bool Active)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, EndAllSessionsForUser.Handler sessions)
    {
        public async Task HandleAsync(SetUserActive command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.Admin)) throw new AccessDeniedException("Seul l'administrateur désactive ou réactive un compte.");
            if (command.UserId == user.UserId) throw new DomainException("Vous ne pouvez pas désactiver votre propre compte.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var member = await db.Users.FirstOrDefaultAsync(u => u.Id == command.UserId, cancellationToken)
                ?? throw new NotFoundException("Utilisateur introuvable.");
            if (member.IsActive == command.Active)
                throw new DomainException(command.Active ? "Ce compte est déjà actif." : "Ce compte est déjà désactivé.");
            if (command.Active) member.Reactivate(); else member.Deactivate();
            AuditTrail.Record(db, user, clock.GetUtcNow(), command.Active ? AuditAction.UserReactivated : AuditAction.UserDeactivated, member.Id,
                $"{member.DisplayName} ({member.Email})", command.Active ? "Désactivé" : "Actif", command.Active ? "Actif" : "Désactivé");
            await db.SaveChangesAsync(cancellationToken);
            if (!command.Active)
                await sessions.HandleAsync(new EndAllSessionsForUser(member.Id, SessionEndReason.UserDeactivated), cancellationToken);
        }
    }
}
