using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Pilotage;

/// <summary>
/// The counters of the Région's *Pilotage*, the CARIF's *Observatoires*, the MFE's *Arbitrages* and the
/// admin's home: aggregates only (no personal data), scoped to the MFE's territory for the MFE.
/// </summary>
public sealed record GetOverview
{
    public sealed record Result(
        int FichesToValidate, int FichesValidated, int SessionsOpen, int SessionsPlanned, int PrescriptionsActive,
        int NotSelected, int Entered, int Organisations, int Users, int OpenArbitrations, int PendingHabilitations = 0, int PendingAccessRequests = 0);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var active = PrescriptionLifecycle.Active;
            // S10: an MFE works on its territory only (the training bodies of its territory).
            var sessions = Observatory.ObservatoryScope.Sessions(db, user);
            var prescriptions = Observatory.ObservatoryScope.Prescriptions(db, user);
            return new Result(
                await db.FicheActions.CountAsync(f => f.Status == FicheStatus.Submitted, cancellationToken),
                await db.FicheActions.CountAsync(f => f.Status == FicheStatus.Validated, cancellationToken),
                await sessions.CountAsync(s => s.Status == SessionStatus.Open, cancellationToken),
                await sessions.CountAsync(s => s.Status == SessionStatus.Planned, cancellationToken),
                await prescriptions.CountAsync(p => active.Contains(p.Status), cancellationToken),
                await prescriptions.CountAsync(p => p.Status == PrescriptionStatus.NotSelected, cancellationToken),
                await prescriptions.CountAsync(p => p.Status == PrescriptionStatus.Entered, cancellationToken),
                await db.Organisations.CountAsync(cancellationToken),
                await db.Users.CountAsync(cancellationToken),
                await db.AllArbitrations.CountAsync(a => a.AssignedOrganisationId == user.OrganisationId && a.Status == Domain.Arbitrations.ArbitrationStatus.Open, cancellationToken),
                // A1: the prescriber organisations waiting for a habilitation decision (the admin's and the Région's homes).
                await db.Organisations.CountAsync(o => o.Habilitation == HabilitationStatus.Pending && o.Kind == OrganisationKind.OtherApprovedPrescriber, cancellationToken),
                // Issue #14 (2): the access requests waiting for a decision (the admin's home; the administrator decides them all).
                user.Is(Role.Admin) ? await db.AllAccessRequests.CountAsync(r => r.Status == AccessRequestStatus.Pending, cancellationToken) : 0);
        }
    }
}
