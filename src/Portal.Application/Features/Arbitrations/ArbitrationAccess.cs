using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Arbitrations;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Arbitrations;

/// <summary>S10: who arbitrates a prescription's case, and which cases an arbitrator sees.</summary>
public static class ArbitrationAccess
{
    /// <summary>Whether the user arbitrates at all (an MFE, or the Région for the territories without MFE).</summary>
    public static bool IsArbitrator(this CurrentUser user) => user.Is(Role.Mfe) || user.Is(Role.Region);

    /// <summary>An arbitrator sees the cases assigned to its organisation, and nothing else (ADR 0001: NotFound).</summary>
    public static IQueryable<Arbitration> ArbitrationsToDecide(this IAppDbContext db, CurrentUser user) =>
        user.IsArbitrator()
            ? db.AllArbitrations.Where(a => a.AssignedOrganisationId == user.OrganisationId)
            : db.AllArbitrations.Where(_ => false);

    /// <summary>The party the user speaks for on this prescription, or null when the user is neither its prescriber nor its OF.</summary>
    public static ArbitrationSide? SideOf(this CurrentUser user, Guid prescriberOrganisationId, Guid trainingBodyId)
    {
        if (user.IsPrescriberSide && prescriberOrganisationId == user.OrganisationId) return ArbitrationSide.Prescriber;
        if (user.Is(Role.OrganismeFormation) && trainingBodyId == user.OrganisationId) return ArbitrationSide.TrainingBody;
        return null;
    }

    /// <summary>
    /// S10: the MFE of the session's territory (the département of its place; the OF's when the place is unknown),
    /// a département-wide MFE before a zone's; the Région when that territory has no MFE.
    /// </summary>
    public static async Task<Guid> ArbitratorForSessionAsync(this IAppDbContext db, Guid sessionId, CancellationToken cancellationToken)
    {
        var departement = await db.SessionDepartements().Where(x => x.SessionId == sessionId).Select(x => x.Departement).FirstAsync(cancellationToken);
        return (await db.ArbitratorsAsync(cancellationToken))(departement);
    }

    /// <summary>Each session's département: its place's, or its OF's when the place is unknown (S10).</summary>
    public static IQueryable<SessionDepartement> SessionDepartements(this IAppDbContext db) =>
        from s in db.Sessions
        select new SessionDepartement
        {
            SessionId = s.Id,
            Departement = db.Communes.Where(c => c.InseeCode == s.PlaceCommuneInsee).Select(c => c.DepartementCode).FirstOrDefault()
                ?? db.Organisations.Where(o => o.Id == s.OrganisationId).Join(db.Territories, o => o.TerritoryId, t => t.Id, (o, t) => t.DepartementCode).FirstOrDefault(),
        };

    /// <summary>A member-initialised projection (EF composes filters and joins over it, not over a constructor's).</summary>
    public sealed class SessionDepartement
    {
        public Guid SessionId { get; init; }
        public string? Departement { get; init; }
    }

    /// <summary>
    /// The arbitrator of each département, read once: the MFE whose coverage names it (set on the administration's
    /// organisation form, one MFE per département), else an MFE without coverage whose territory lies in it (a
    /// département-wide one before a zone's, then by name), else the Région. Throws in French when neither exists.
    /// </summary>
    public static async Task<Func<string?, Guid>> ArbitratorsAsync(this IAppDbContext db, CancellationToken cancellationToken)
    {
        var covered = await db.MfeCoverages
            .Join(db.Organisations.Where(o => o.Kind == OrganisationKind.Mfe), c => c.OrganisationId, o => o.Id, (c, o) => new { c.DepartementCode, o.Id })
            .ToListAsync(cancellationToken);
        var withCoverage = covered.Select(c => c.Id).ToHashSet();
        var mfes = await db.Organisations.Where(o => o.Kind == OrganisationKind.Mfe)
            .Join(db.Territories, o => o.TerritoryId, t => t.Id, (o, t) => new { o.Id, o.Name, t.DepartementCode, t.Kind })
            .ToListAsync(cancellationToken);
        var byDepartement = mfes.Where(m => !withCoverage.Contains(m.Id)).GroupBy(m => m.DepartementCode)
            .ToDictionary(g => g.Key, g => g.OrderBy(x => x.Kind == TerritoryKind.Departement ? 0 : 1).ThenBy(x => x.Name, StringComparer.Ordinal).First().Id);
        foreach (var c in covered) byDepartement[c.DepartementCode] = c.Id;
        var region = await db.Organisations.Where(o => o.Kind == OrganisationKind.Region).OrderBy(o => o.Name).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken);
        return departement => departement is not null && byDepartement.TryGetValue(departement, out var mfe) ? mfe
            : region ?? throw new DomainException("Aucune MFE ni la Région ne peut arbitrer ce territoire : contactez l'administrateur.", "S10");
    }

    /// <summary>
    /// S10: an arbitration is final. A prescription's current decision was already arbitrated when a case was decided
    /// at or after the prescription's last change (an upheld decision did not change it; an overturn changed it at the
    /// moment of the ruling). Only a new decision, taken after the ruling, may be contested again.
    /// </summary>
    public static Task<bool> DecisionAlreadyArbitratedAsync(this IAppDbContext db, Guid prescriptionId, DateTimeOffset statusChangedAt, CancellationToken cancellationToken)
    {
        var decided = ArbitrationStatus.Decided;
        return db.AllArbitrations.AnyAsync(a => a.PrescriptionId == prescriptionId && a.Status == decided && a.DecidedAt >= statusChangedAt, cancellationToken);
    }

    public const string AlreadyArbitrated =
        "Cette décision a déjà été arbitrée par la MFE : l'arbitrage est définitif. Un nouvel arbitrage n'est possible que contre une nouvelle décision.";

    /// <summary>The statuses a prescription may still be contested in (a decision, or a disagreement while it is active).</summary>
    public static bool CanBeContested(PrescriptionStatus status) => status.IsActive() || status == PrescriptionStatus.NotSelected;
}
