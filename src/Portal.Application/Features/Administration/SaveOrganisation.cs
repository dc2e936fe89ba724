using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Administration;

/// <summary>
/// The administrator creates (<see cref="Id"/> null) or edits an organisation: kind (fixed once created: the members'
/// roles depend on it), name, SIRET checked with its Luhn key when new or changed, and unique, address, commune (from the communes reference)
/// and territory. A new "other approved prescriber" starts with its habilitation pending (A1).
/// </summary>
public sealed record SaveOrganisation(
    Guid? Id, OrganisationKind Kind, string Name, string? Siret, string? Address, string? CommuneInsee, Guid TerritoryId, int Version = 0)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, ILiveNotifier notifier, TimeProvider clock)
    {
        public async Task<Guid> HandleAsync(SaveOrganisation command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrganisationAdmin.EnsureAdmin(user);
            if (!Enum.IsDefined(command.Kind)) throw new DomainException("Choisissez le type de l'organisation.");
            // Its key is checked by the domain when it is new or changed (Organisation.Edit).
            var siret = Domain.Organisations.Siret.Normalise(command.Siret);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            if (command.TerritoryId == Guid.Empty || !await db.Territories.AnyAsync(t => t.Id == command.TerritoryId, cancellationToken))
                throw new DomainException("Choisissez le territoire de l'organisation.");
            var commune = string.IsNullOrWhiteSpace(command.CommuneInsee) ? null : command.CommuneInsee.Trim();
            if (commune is not null && !await db.Communes.AnyAsync(c => c.InseeCode == commune, cancellationToken))
                throw new DomainException("Cette commune n'est pas dans le référentiel des communes.");
            if (siret is not null && await db.Organisations.AnyAsync(o => o.Siret == siret && o.Id != command.Id, cancellationToken))
                throw new DomainException($"Le SIRET {siret} est déjà celui d'une autre organisation.");

            Organisation organisation;
            string? before = null;
            if (command.Id is { } id)
            {
                organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Id == id, cancellationToken)
                    ?? throw new NotFoundException("Organisation introuvable.");
                if (organisation.Version != command.Version) throw new DomainException(OrganisationAdmin.ConcurrentChange);
                if (organisation.Kind != command.Kind)
                    throw new DomainException("Le type d'une organisation ne change pas après sa création : les rôles de ses membres en dépendent.");
                before = Describe(organisation, await TerritoryNameAsync(db, organisation.TerritoryId, cancellationToken));
            }
            else
            {
                organisation = new Organisation(command.Name, command.Kind, command.TerritoryId);
                db.Organisations.Add(organisation);
            }
            organisation.Edit(command.Name, siret, command.Address, commune);
            var moved = command.Id is not null && organisation.Kind == OrganisationKind.Mfe && organisation.TerritoryId != command.TerritoryId;
            organisation.MoveToTerritory(command.TerritoryId);
            // Issue #14 (2): the audit log, in the same SaveChanges (an edit that changes nothing writes no line).
            var after = Describe(organisation, await TerritoryNameAsync(db, command.TerritoryId, cancellationToken));
            if (before != after)
                Access.AuditTrail.Record(db, user, clock.GetUtcNow(),
                    before is null ? Domain.Audit.AuditAction.OrganisationCreated : Domain.Audit.AuditAction.OrganisationEdited,
                    organisation.Id, organisation.Name, before, after);
            List<(ArbitrationChanged Event, Guid From)> cases = [];
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                if (moved)
                {
                    // S10: an MFE's territory decides its arbitrations (when it has no explicit coverage): its undecided cases follow.
                    cases = await Arbitrations.ChangeMfeTerritory.Handler.ReassignOpenCasesAsync(db, cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException(OrganisationAdmin.ConcurrentChange);
            }
            foreach (var (c, from) in cases)
            {
                await notifier.PublishAsync(c with { AssignedOrganisationId = from }, cancellationToken);
                await notifier.PublishAsync(c, cancellationToken);
            }
            return organisation.Id;
        }

        /// <summary>The organisation's administrative fields, as the audit log keeps them before and after.</summary>
        private static string Describe(Organisation o, string? territory) =>
            $"Nom : {o.Name} ; type : {o.Kind.Label()} ; SIRET : {o.Siret ?? "—"} ; adresse : {o.Address ?? "—"} ; commune : {o.CommuneInsee ?? "—"} ; territoire : {territory ?? "—"}";

        private static Task<string?> TerritoryNameAsync(IAppDbContext db, Guid id, CancellationToken cancellationToken) =>
            db.Territories.Where(t => t.Id == id).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
    }
}
