using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Audit;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Access;

/// <summary>
/// Issue #14 (2), ADR 0024: who decides access requests and who manages users. The administrator: every organisation.
/// A référent formation: their own organisation. The correspondant délégué of a prescriber organisation (A2, checked
/// again in the database on every call): their organisation's access requests. Nobody else.
/// </summary>
public static class AccessRules
{
    public const string NotYours = "Demande d'accès introuvable.";

    /// <summary>May this user open the access requests screen at all (the handlers then scope each row)?</summary>
    public static bool MayDecideAccess(this CurrentUser user) => user.Is(Role.Admin) || user.Is(Role.ReferentFormation) || (user.IsDelegate && user.IsPrescriberSide);

    /// <summary>May this user open the users screen (admin: all; référent: their organisation's)?</summary>
    public static bool MayManageUsers(this CurrentUser user) => user.Is(Role.Admin) || user.Is(Role.ReferentFormation);

    /// <summary>The access requests this user decides: all for the administrator; their organisation's for its référent or délégué.</summary>
    public static IQueryable<AccessRequest> DecidableRequests(this IAppDbContext db, CurrentUser user)
    {
        if (user.Is(Role.Admin)) return db.AllAccessRequests;
        if (!user.IsPrescriberSide) return db.AllAccessRequests.Where(_ => false);
        var organisationId = user.OrganisationId;
        var userId = user.UserId;
        var referent = user.Is(Role.ReferentFormation);
        // A2: the délégué is read from the organisation row on every call, so that removing them takes effect at once.
        return db.AllAccessRequests.Where(r => r.OrganisationId == organisationId
            && (referent || db.Organisations.Any(o => o.Id == organisationId && o.DelegateUserId == userId)));
    }

    /// <summary>The organisations whose members this user manages: null for all (administrator), else theirs (référent).</summary>
    public static Guid? ManagedOrganisation(CurrentUser user)
    {
        if (user.Is(Role.Admin)) return null;
        if (user.Is(Role.ReferentFormation)) return user.OrganisationId;
        throw new AccessDeniedException("La gestion des utilisateurs est réservée à l'administrateur et aux référents.");
    }

    /// <summary>The roles a person may ask for in an organisation of this kind (the administrator's role is given, not asked).</summary>
    public static IReadOnlyList<Role> RequestableRoles(OrganisationKind kind) =>
        [.. Enum.GetValues<Role>().Where(r => r != Role.Admin && kind.Allows(r))];
}

/// <summary>
/// Issue #14 (2): writes a line of the audit log into the caller's unit of work, so that it is saved by the same
/// SaveChanges as the change it records (both or neither).
/// </summary>
public static class AuditTrail
{
    public static void Record(IAppDbContext db, CurrentUser actor, DateTimeOffset at, AuditAction action, Guid? targetId, string target,
        string? before, string? after) =>
        db.AllAuditEntries.Add(new AuditEntry(at, actor.UserId, actor.DisplayName, action, targetId, target, before, after));
}
