using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Observatory;

/// <summary>
/// Who reads the observatories (Q2, Q3, Q5) and over what: the Région, the CARIF-OREF and the administrator see
/// the whole region; an MFE sees the training bodies of its territory (and the employment zones inside it).
/// One place for every aggregate screen, so that the counters and the observatories agree.
/// </summary>
public static class ObservatoryScope
{
    public static bool CanRead(CurrentUser user) =>
        user.Is(Role.Region) || user.Is(Role.Carif) || user.Is(Role.Mfe) || user.Is(Role.Admin);

    public static void EnsureCanRead(CurrentUser user)
    {
        if (!CanRead(user))
            throw new AccessDeniedException("Cet écran est réservé à la Région, au CARIF-OREF, aux MFE et aux administrateurs.");
    }

    /// <summary>The period of an aggregate screen: Paris calendar days, both ends included, at most three years.</summary>
    public static IReadOnlyList<string> ValidatePeriod(DateOnly from, DateOnly to)
    {
        var errors = new List<string>();
        if (to < from) errors.Add("La fin de la période doit suivre son début.");
        if (to.DayNumber - from.DayNumber > 3 * 366) errors.Add("La période ne peut pas dépasser trois ans.");
        return errors;
    }

    /// <summary>An MFE reads its territory only.</summary>
    public static bool IsTerritorial(CurrentUser user) => user.Is(Role.Mfe) && !user.Is(Role.Region) && !user.Is(Role.Admin) && !user.Is(Role.Carif);

    /// <summary>
    /// What a reader's figures depend on, as a key (<see cref="ObservatoryResults"/>): the whole region for the Région, the
    /// CARIF-OREF and the administrator; an MFE's organisation and territory otherwise (<see cref="TrainingBodies"/>).
    /// </summary>
    public static string Key(CurrentUser user) =>
        IsTerritorial(user) ? $"mfe:{user.OrganisationId:N}:{user.TerritoryId:N}" : "region";

    /// <summary>
    /// The training bodies the user's aggregates cover; null for the whole region. An MFE's are those of the départements
    /// its coverage names (S10, set by the administration), or, without any, those of its territory and the zones inside it.
    /// </summary>
    public static IQueryable<Guid>? TrainingBodies(IAppDbContext db, CurrentUser user)
    {
        if (!IsTerritorial(user)) return null;
        var covered = db.MfeCoverages.Where(c => c.OrganisationId == user.OrganisationId).Select(c => c.DepartementCode);
        var territories = db.Territories.Where(t => covered.Any()
            ? covered.Contains(t.DepartementCode)
            : t.Id == user.TerritoryId || t.ParentId == user.TerritoryId).Select(t => t.Id);
        return db.Organisations.Where(o => territories.Contains(o.TerritoryId)).Select(o => o.Id);
    }

    public static IQueryable<Prescription> Prescriptions(IAppDbContext db, CurrentUser user)
    {
        EnsureCanRead(user);
        var ofs = TrainingBodies(db, user);
        return ofs is null ? db.AllPrescriptions : db.AllPrescriptions.Where(p => ofs.Contains(p.TrainingBodyId));
    }

    public static IQueryable<TrainingSession> Sessions(IAppDbContext db, CurrentUser user)
    {
        EnsureCanRead(user);
        var ofs = TrainingBodies(db, user);
        return ofs is null ? db.Sessions : db.Sessions.Where(s => ofs.Contains(s.OrganisationId));
    }
}
