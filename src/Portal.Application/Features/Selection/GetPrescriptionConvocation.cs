using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>
/// S9, S6: what a prescription's reader sees of the selection: the info session the candidate is convoked to
/// (date, place, what to bring), the attendance and its justification, the session's upcoming meetings (the
/// prescriber is invited to them) and the selection commission, if the Région set one up.
/// </summary>
public sealed record GetPrescriptionConvocation(Guid PrescriptionId)
{
    public sealed record Meeting(Guid Id, InfoSessionKind Kind, DateTimeOffset StartsAt, string Place, string WhatToBring);

    public sealed record Commission(IReadOnlyList<string> Members, DateTimeOffset MeetsAt, string? Outcome);

    public sealed record Result(
        Guid PrescriptionId, Guid SessionId, PrescriptionStatus Status, Meeting? ConvokedTo, DateTimeOffset? ConvokedAt,
        string? AbsenceJustification, bool CanJustify, IReadOnlyList<Meeting> UpcomingMeetings, Commission? SelectionCommission)
    {
        /// <summary>S3: the convocation was sent less than 7 Paris calendar days before the meeting (ADR 0017).</summary>
        public bool ConvokedLate { get; init; }
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<Result> HandleAsync(GetPrescriptionConvocation query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var p = await db.Prescriptions(user).AsNoTracking().Where(x => x.Id == query.PrescriptionId)
                .Select(x => new { x.Id, x.SessionId, x.Status, x.ConvokedInfoSessionId, x.ConvokedAt, x.ConvokedLate, x.AbsenceJustification, x.PrescriberOrganisationId })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            var meetings = await db.InfoSessions.AsNoTracking().Where(i => i.SessionId == p.SessionId)
                .Select(i => new Meeting(i.Id, i.Kind, i.StartsAt, i.Place, i.WhatToBring))
                .ToListAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var commission = await db.SelectionCommissions.AsNoTracking().Where(c => c.SessionId == p.SessionId)
                .Select(c => new Commission(c.Members, c.MeetsAt, c.Outcome))
                .FirstOrDefaultAsync(cancellationToken);
            return new Result(p.Id, p.SessionId, p.Status,
                meetings.FirstOrDefault(m => m.Id == p.ConvokedInfoSessionId), p.ConvokedAt,
                p.AbsenceJustification,
                CanJustify: user.IsPrescriberSide && p.PrescriberOrganisationId == user.OrganisationId && p.Status == PrescriptionStatus.AbsentUnjustified,
                [.. meetings.Where(m => m.StartsAt > now).OrderBy(m => m.StartsAt)],
                commission) { ConvokedLate = p.ConvokedLate && p.ConvokedInfoSessionId != null };
        }
    }
}
