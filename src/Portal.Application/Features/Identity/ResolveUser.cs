using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Identity;

/// <summary>
/// Matches a user signed in through OpenID Connect to a portal account: by <c>sub</c> first, then by
/// e-mail (binding the <c>sub</c> on that first match). Null when unknown or inactive: the user then
/// lands on the "access pending" page, never on an error.
/// </summary>
public sealed record ResolveUser(string Subject, string? Email)
{
    public sealed record Resolved(Guid UserId, string DisplayName, Guid OrganisationId, string OrganisationName,
        OrganisationKind OrganisationKind, Guid TerritoryId, IReadOnlyList<Role> Roles, bool IsDelegate = false);

    public sealed record SiretMatch(Guid Id, string Name);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Resolved?> HandleAsync(ResolveUser query, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(query.Subject)) return null;
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var user = await db.Users.Include(u => u.Memberships).FirstOrDefaultAsync(u => u.Subject == query.Subject, cancellationToken);
            if (user is null && !string.IsNullOrWhiteSpace(query.Email))
            {
                var email = query.Email.Trim().ToLowerInvariant();
                user = await db.Users.Include(u => u.Memberships).FirstOrDefaultAsync(u => u.Email == email && u.Subject == null, cancellationToken);
                if (user is not null)
                {
                    user.BindSubject(query.Subject);
                    await db.SaveChangesAsync(cancellationToken);
                }
            }
            if (user is null || !user.IsActive || user.Memberships.Count == 0) return null;

            // One organisation per session: the first membership's (switching organisation is for later).
            var orgId = user.Memberships.OrderBy(m => m.Role).First().OrganisationId;
            var org = await db.Organisations.AsNoTracking().FirstAsync(o => o.Id == orgId, cancellationToken);
            var roles = user.Memberships.Where(m => m.OrganisationId == orgId).Select(m => m.Role).Distinct().OrderBy(r => r).ToList();
            return new Resolved(user.Id, user.DisplayName, org.Id, org.Name, org.Kind, org.TerritoryId, roles, org.DelegateUserId == user.Id);
        }

        /// <summary>
        /// The organisation whose SIRET the identity provider gave (the <c>siret</c> claim) for a user not yet in the portal:
        /// its name, for the access pending page; null when the claim is absent, malformed or matches nothing.
        /// </summary>
        public async Task<string?> OrganisationBySiretAsync(string? siret, CancellationToken cancellationToken = default) =>
            (await MatchSiretAsync(siret, cancellationToken))?.Name;

        /// <summary>Issue #14 (2): the organisation matching the <c>siret</c> claim (id and name), pre-selected in the access request.</summary>
        public async Task<SiretMatch?> MatchSiretAsync(string? siret, CancellationToken cancellationToken = default)
        {
            var digits = Siret.Normalise(siret);
            if (digits is null || !Siret.IsValid(digits)) return null;
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            return await db.Organisations.AsNoTracking().Where(o => o.Siret == digits).OrderBy(o => o.Name)
                .Select(o => new SiretMatch(o.Id, o.Name)).FirstOrDefaultAsync(cancellationToken);
        }
    }
}
