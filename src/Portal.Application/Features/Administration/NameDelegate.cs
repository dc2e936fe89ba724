using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Administration;

/// <summary>
/// A2: the administrator names the correspondant délégué of a prescriber organisation (one of its active prescribers or
/// référents), or removes them (<see cref="UserId"/> null). The délégué sees the whole organisation like a référent.
/// </summary>
public sealed record NameDelegate(Guid OrganisationId, Guid? UserId, int Version = 0)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task HandleAsync(NameDelegate command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrganisationAdmin.EnsureAdmin(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Id == command.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Organisation introuvable.");
            if (organisation.Version != command.Version) throw new DomainException(OrganisationAdmin.ConcurrentChange);
            string? toName = null;
            if (command.UserId is { } id)
            {
                Role[] prescriberSide = [Role.Prescripteur, Role.ReferentFormation];
                toName = await db.Users.Where(u => u.Id == id && u.IsActive
                        && db.Memberships.Any(m => m.UserId == u.Id && m.OrganisationId == organisation.Id && prescriberSide.Contains(m.Role)))
                    .Select(u => u.GivenName + " " + u.FamilyName).FirstOrDefaultAsync(cancellationToken)
                    ?? throw new DomainException("Le correspondant délégué doit être un prescripteur ou un référent actif de l'organisation.", "A2");
            }
            var fromName = organisation.DelegateUserId is { } current
                ? await db.Users.Where(u => u.Id == current).Select(u => u.GivenName + " " + u.FamilyName).FirstOrDefaultAsync(cancellationToken)
                : null;
            var line = organisation.NameDelegate(command.UserId, fromName, toName, clock.GetUtcNow(), user.UserId, user.DisplayName);
            db.OrganisationHistory.Add(line);
            // Issue #14 (2): the audit log, in the same SaveChanges.
            Access.AuditTrail.Record(db, user, line.At, Domain.Audit.AuditAction.DelegateNamed, organisation.Id, organisation.Name, line.From, line.To);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException(OrganisationAdmin.ConcurrentChange);
            }
        }
    }
}
