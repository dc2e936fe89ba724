using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Arbitrations;
using Portal.Application.Security;
using Portal.Domain.Arbitrations;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Administration;

/// <summary>
/// S10: the administrator or the Région sets which départements an MFE covers (one MFE per département). In the same
/// transaction the undecided arbitration cases move to the arbitrator of their session's département as it now stands
/// (the logic of <see cref="ChangeMfeTerritory"/>), and a history line records the change and its reason.
/// </summary>
public sealed record SetMfeCoverage(Guid MfeId, IReadOnlyCollection<string> Departements, string? Reason, int Version = 0)
{
    public sealed record Result(int MovedCases);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task<Result> HandleAsync(SetMfeCoverage command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrganisationAdmin.EnsureAdminOrRegion(user, "Seuls l'administrateur et la Région définissent le territoire d'une MFE.");
            if (string.IsNullOrWhiteSpace(command.Reason)) throw new DomainException("Indiquez le motif de ce changement de couverture.", "S10");
            TextLimit.Ensure(command.Reason, Organisation.ReasonMaxLength, "Le motif");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var mfe = await db.Organisations.FirstOrDefaultAsync(o => o.Id == command.MfeId, cancellationToken)
                ?? throw new NotFoundException("Organisation introuvable.");
            if (mfe.Kind != OrganisationKind.Mfe) throw new DomainException($"« {mfe.Name} » n'est pas une MFE.", "S10");
            if (mfe.Version != command.Version) throw new DomainException(OrganisationAdmin.ConcurrentChange);
            var wanted = command.Departements.Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => d.Trim()).Distinct().Order(StringComparer.Ordinal).ToList();
            var known = await db.Territories.Where(t => t.Kind == TerritoryKind.Departement && wanted.Contains(t.DepartementCode))
                .Select(t => t.DepartementCode).ToListAsync(cancellationToken);
            if (wanted.Except(known).FirstOrDefault() is { } unknown) throw new DomainException($"Le département {unknown} n'existe pas.", "S10");
            var taken = await db.MfeCoverages.Where(c => c.OrganisationId != mfe.Id && wanted.Contains(c.DepartementCode))
                .Join(db.Organisations, c => c.OrganisationId, o => o.Id, (c, o) => new { c.DepartementCode, o.Name })
                .FirstOrDefaultAsync(cancellationToken);
            if (taken is not null)
                throw new DomainException($"Le département {taken.DepartementCode} est déjà couvert par « {taken.Name} » : retirez-le d'abord de sa couverture.", "S10");

            var current = await db.MfeCoverages.Where(c => c.OrganisationId == mfe.Id).ToListAsync(cancellationToken);
            var before = current.Select(c => c.DepartementCode).Order(StringComparer.Ordinal).ToList();
            if (before.SequenceEqual(wanted)) throw new DomainException("La couverture est inchangée.", "S10");

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.MfeCoverages.RemoveRange(current.Where(c => !wanted.Contains(c.DepartementCode)));
            db.MfeCoverages.AddRange(wanted.Except(before).Select(d => new MfeCoverage(mfe.Id, d)));
            var now = clock.GetUtcNow();
            db.OrganisationHistory.Add(new OrganisationHistory(mfe.Id, OrganisationHistoryKind.Coverage, now, user.UserId, user.DisplayName,
                Describe(before), Describe(wanted), command.Reason.Trim()));
            // Issue #14 (2): the audit log, in the same SaveChanges.
            Access.AuditTrail.Record(db, user, now, Domain.Audit.AuditAction.MfeCoverageChanged, mfe.Id, mfe.Name,
                Describe(before), $"{Describe(wanted)} — motif : {command.Reason.Trim()}");
            mfe.Touch();
            List<(ArbitrationChanged Event, Guid From)> moved;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                moved = await ChangeMfeTerritory.Handler.ReassignOpenCasesAsync(db, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new DomainException(OrganisationAdmin.ConcurrentChange);
            }
            await transaction.CommitAsync(cancellationToken);
            foreach (var (c, from) in moved)
            {
                await notifier.PublishAsync(c with { AssignedOrganisationId = from }, cancellationToken);
                await notifier.PublishAsync(c, cancellationToken);
            }
            return new Result(moved.Count);
        }

        private static string Describe(IReadOnlyCollection<string> departements) =>
            departements.Count == 0 ? "Territoire de la MFE" : "Départements " + string.Join(", ", departements);
    }
}
