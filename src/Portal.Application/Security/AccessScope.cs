using Portal.Application.Abstractions;
using Portal.Domain.Candidates;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Security;

/// <summary>
/// The one place that says which rows a user may read. Every handler starts its query here, so a
/// prescriber never reaches another organisation's candidates, even by guessing an id (PRODUCT: personal data).
/// </summary>
public static class AccessScope
{
    /// <summary>Prescriber side: its organisation's; OF: candidates prescribed on its sessions; Région: all.</summary>
    public static IQueryable<Candidate> Candidates(this IAppDbContext db, CurrentUser user)
    {
        if (user.Is(Role.Region) || user.Is(Role.Admin)) return db.AllCandidates;
        if (user.IsPrescriberSide) return db.AllCandidates.Where(c => c.OrganisationId == user.OrganisationId);
        if (user.Is(Role.OrganismeFormation))
            return db.AllCandidates.Where(c => db.AllPrescriptions.Any(p => p.CandidateId == c.Id && p.TrainingBodyId == user.OrganisationId));
        return db.AllCandidates.Where(_ => false);
    }

    /// <summary>Prescriber side: its organisation's; OF: those on its sessions; Région: all.</summary>
    public static IQueryable<Prescription> Prescriptions(this IAppDbContext db, CurrentUser user)
    {
        if (user.Is(Role.Region) || user.Is(Role.Admin)) return db.AllPrescriptions;
        if (user.IsPrescriberSide && user.Is(Role.OrganismeFormation))
            return db.AllPrescriptions.Where(p => p.PrescriberOrganisationId == user.OrganisationId || p.TrainingBodyId == user.OrganisationId);
        if (user.IsPrescriberSide) return db.AllPrescriptions.Where(p => p.PrescriberOrganisationId == user.OrganisationId);
        if (user.Is(Role.OrganismeFormation)) return db.AllPrescriptions.Where(p => p.TrainingBodyId == user.OrganisationId);
        return db.AllPrescriptions.Where(_ => false);
    }

    /// <summary>An OF sees all its fiches; the Région all; everyone else only validated ones (O2).</summary>
    public static IQueryable<FicheAction> FicheActions(this IAppDbContext db, CurrentUser? user)
    {
        if (user is not null && (user.Is(Role.Region) || user.Is(Role.Admin))) return db.FicheActions;
        if (user is not null && user.Is(Role.OrganismeFormation))
            return db.FicheActions.Where(f => f.OrganisationId == user.OrganisationId || f.Status == FicheStatus.Validated);
        return db.FicheActions.Where(f => f.Status == FicheStatus.Validated);
    }

    /// <summary>Planned sessions are not visible outside their OF and the Région (O4).</summary>
    public static IQueryable<TrainingSession> Sessions(this IAppDbContext db, CurrentUser? user)
    {
        if (user is not null && (user.Is(Role.Region) || user.Is(Role.Admin))) return db.Sessions;
        if (user is not null && user.Is(Role.OrganismeFormation))
            return db.Sessions.Where(s => s.OrganisationId == user.OrganisationId || s.Status != SessionStatus.Planned);
        return db.Sessions.Where(s => s.Status != SessionStatus.Planned);
    }
}
