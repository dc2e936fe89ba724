using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Arbitrations;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Arbitrations;

/// <summary>
/// S10: the administrator or the Région changes the territory an MFE covers. In the same transaction, every undecided
/// arbitration case goes to the arbitrator of its session's territory as it now stands (the MFE that covers it, else the
/// Région); decided cases keep their arbitrator. Both the former and the new arbitrator's screens follow live.
/// </summary>
public sealed record ChangeMfeTerritory(Guid MfeId, Guid TerritoryId)
{
    /// <param name="MovedCases">The undecided cases that changed arbitrator.</param>
    public sealed record Result(int MovedCases);

    public sealed class Handler(IAppDbContextFactory dbFactory, ILiveNotifier notifier)
    {
        public async Task<Result> HandleAsync(ChangeMfeTerritory command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.Admin) && !user.Is(Role.Region))
                throw new AccessDeniedException("Seuls l'administrateur et la Région définissent le territoire d'une MFE.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var mfe = await db.Organisations.FirstOrDefaultAsync(o => o.Id == command.MfeId, cancellationToken)
                ?? throw new NotFoundException("Organisation introuvable.");
            if (mfe.Kind != OrganisationKind.Mfe) throw new DomainException($"« {mfe.Name} » n'est pas une MFE.", "S10");
            if (!await db.Territories.AnyAsync(t => t.Id == command.TerritoryId, cancellationToken))
                throw new DomainException("Ce territoire n'existe pas.", "S10");

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            mfe.MoveToTerritory(command.TerritoryId);
            await db.SaveChangesAsync(cancellationToken);
            var moved = await ReassignOpenCasesAsync(db, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            foreach (var (c, from) in moved)
            {
                // The former arbitrator's list loses the case, the new one's gains it; the parties' pages show the new name.
                await notifier.PublishAsync(c with { AssignedOrganisationId = from }, cancellationToken);
                await notifier.PublishAsync(c, cancellationToken);
            }
            return new Result(moved.Count);
        }

        /// <summary>Every open case whose session's arbitrator changed, reassigned in the caller's context (not saved).</summary>
        internal static async Task<List<(ArbitrationChanged Event, Guid From)>> ReassignOpenCasesAsync(IAppDbContext db, CancellationToken cancellationToken)
        {
            var open = ArbitrationStatus.Open;
            var cases = await (
                    from a in db.AllArbitrations
                    where a.Status == open
                    join p in db.AllPrescriptions on a.PrescriptionId equals p.Id
                    join d in db.SessionDepartements() on p.SessionId equals d.SessionId
                    select new { Case = a, d.Departement, p.PrescriberOrganisationId, p.TrainingBodyId })
                .ToListAsync(cancellationToken);
            var arbitratorOf = await db.ArbitratorsAsync(cancellationToken);
            var moved = new List<(ArbitrationChanged, Guid)>();
            foreach (var x in cases)
            {
                var to = arbitratorOf(x.Departement);
                if (to == x.Case.AssignedOrganisationId) continue;
                var from = x.Case.AssignedOrganisationId;
                x.Case.Reassign(to);
                moved.Add((new ArbitrationChanged(x.Case.Id, x.Case.PrescriptionId, to, x.PrescriberOrganisationId, x.TrainingBodyId, x.Case.Status), from));
            }
            return moved;
        }
    }
}
