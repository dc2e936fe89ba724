using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Sessions;

/// <summary>The OF's "Mes sessions": capacity, open places (O8), prescriptions received and waitlist, in one query.</summary>
public sealed record GetTrainingBodySessions(bool IncludeFinished = false)
{
    public sealed record Row(
        Guid SessionId, string FicheTitle, EntryMode EntryMode, DateOnly Start, DateOnly End, DateOnly RegistrationDeadline,
        SessionStatus Status, int Capacity, int OpenPlaces, int Prescriptions, int Waitlisted, int Version);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<Row>> HandleAsync(GetTrainingBodySessions query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Cet écran est réservé aux organismes de formation.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var received = SessionCounts.ReceivedBySession;
            var sessions = db.Sessions.Where(s => s.OrganisationId == user.OrganisationId);
            if (!query.IncludeFinished)
                sessions = sessions.Where(s => s.Status != SessionStatus.Finished && s.Status != SessionStatus.Cancelled);
            return await sessions
                .OrderBy(s => s.Start)
                .Select(s => new Row(
                    s.Id,
                    db.FicheActions.Where(f => f.Id == s.FicheActionId).Select(f => f.Title).First(),
                    s.EntryMode, s.Start, s.End, s.RegistrationDeadline, s.Status, s.Capacity, s.OpenPlaces,
                    // The same count as the O7 rule (SessionCounts): every prescription received.
                    db.AllPrescriptions.Where(p => p.SessionId == s.Id).Count(received),
                    db.AllPrescriptions.Count(p => p.SessionId == s.Id && p.Status == PrescriptionStatus.Waitlisted),
                    s.Version))
                .ToListAsync(cancellationToken);
        }
    }
}
