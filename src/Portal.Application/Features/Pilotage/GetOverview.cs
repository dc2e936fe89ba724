using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Observatory;
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
        int NotSelected, int Entered, int Organisations, int Users, int OpenArbitrations, int PendingHabilitations = 0, int PendingAccessRequests = 0,
        DateTimeOffset? ComputedAt = null);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider? clock = null, ObservatoryResults? results = null)
    {
        /// <summary>
        /// Issue #12: the counters shared by their readers for a while, as the observatories' figures are (the CARIF's home,
        /// whose counters nobody acts on: at a million prescriptions each computation takes about 80 ms of the server's one
        /// core, and sixteen readers at once waited 1.8 s). The key names the reader's scope, organisation and role, so a
        /// reader only ever gets figures computed for an equal reader. <see cref="Result.ComputedAt"/> says when.
        /// </summary>
        public async Task<Result> HandleSharedAsync(CurrentUser user, CancellationToken cancellationToken = default)
        {
            ObservatoryScope.EnsureCanRead(user);
            return await results.SharedAsync(ObservatoryResultsExtensions.Key("accueil", user, user.OrganisationId, user.Is(Role.Admin)),
                async ct => await HandleAsync(user, ct) with { ComputedAt = (clock ?? TimeProvider.System).GetUtcNow() }, cancellationToken);
        }

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
