using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Selection;

/// <summary>
/// S2, S3: the OF convokes the session's prescribed candidates (all of them when <see cref="PrescriptionIds"/> is
/// empty, or a selection) to one info session, at least 7 Paris calendar days before it, or later when the OF
/// confirms (<see cref="LateConfirmed"/>: the convocations are then marked late, ADR 0017); in one transaction,
/// then one live event per prescription (S9: the prescribers see it). The candidates with an e-mail address
/// receive the convocation by mail (<see cref="Notifications.SendCandidateConvocationsJob"/>).
/// </summary>
public sealed record ConvokeCandidates(Guid InfoSessionId, IReadOnlyCollection<Guid> PrescriptionIds, bool LateConfirmed = false)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task<int> HandleAsync(ConvokeCandidates command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var info = await InfoSessionAccess.OwnInfoSessionAsync(db, user, command.InfoSessionId, cancellationToken);
            var now = clock.GetUtcNow();
            info.EnsureCanConvoke(now, command.LateConfirmed);
            var sessionStatus = await db.Sessions.Where(s => s.Id == info.SessionId).Select(s => s.Status).FirstAsync(cancellationToken);
            TrainingSession.EnsureSelectionGoesOn(sessionStatus, "convoquer des candidats", "S3");
            var convocable = InfoSessionAccess.Convocable;
            var query = db.AllPrescriptions.Where(p => p.SessionId == info.SessionId && p.TrainingBodyId == user.OrganisationId);
            List<Prescription> prescriptions;
            if (command.PrescriptionIds.Count == 0)
            {
                prescriptions = await query.Where(p => convocable.Contains(p.Status)).ToListAsync(cancellationToken);
                if (prescriptions.Count == 0) throw new DomainException("Aucun candidat à convoquer sur cette session.", "S3");
            }
            else
            {
                var ids = command.PrescriptionIds.Distinct().ToList();
                prescriptions = await query.Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);
                if (prescriptions.Count != ids.Count) throw new NotFoundException("Prescription introuvable.");
            }
            foreach (var p in prescriptions) p.Convoke(info, user.UserId, now, command.LateConfirmed);
            await db.SaveChangesAsync(cancellationToken);
            var resolved = await ConvocationWarnings.RefreshAsync(db, now, info.SessionId, cancellationToken);

            await WaitlistPromotion.PublishAsync(notifier, prescriptions, cancellationToken);
            foreach (var of in resolved) await notifier.PublishAsync(new ConvocationWarningsChanged(of), cancellationToken);
            return prescriptions.Count;
        }
    }
}

/// <summary>S6: the OF records, per convoked candidate, present / absent justified (with the prescriber) / absent unjustified; in bulk, one transaction.</summary>
public sealed record RecordAttendances(Guid InfoSessionId, IReadOnlyList<RecordAttendances.Mark> Marks)
{
    public sealed record Mark(Guid PrescriptionId, PrescriptionStatus Attendance, string? Justification = null);

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(RecordAttendances command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (command.Marks.Count == 0) throw new DomainException("Sélectionnez au moins un candidat.", "S6");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var info = await InfoSessionAccess.OwnInfoSessionAsync(db, user, command.InfoSessionId, cancellationToken);
            var ids = command.Marks.Select(m => m.PrescriptionId).Distinct().ToList();
            var prescriptions = await db.AllPrescriptions
                .Where(p => ids.Contains(p.Id) && p.ConvokedInfoSessionId == info.Id && p.TrainingBodyId == user.OrganisationId)
                .ToDictionaryAsync(p => p.Id, cancellationToken);
            if (prescriptions.Count != ids.Count) throw new NotFoundException("Candidat non convoqué à cette réunion.");
            var now = clock.GetUtcNow();
            if (info.StartsAt > now)
                throw new DomainException($"La présence se saisit à partir du début de la réunion, le {FrenchTime.ToFrance(info.StartsAt):dd/MM/yyyy à HH:mm}.", "S6");
            foreach (var mark in command.Marks)
            {
                var p = prescriptions[mark.PrescriptionId];
                if (p.Status == mark.Attendance) continue;
                p.RecordAttendance(mark.Attendance, user.UserId, now, mark.Justification);
            }
            await db.SaveChangesAsync(cancellationToken);
            await WaitlistPromotion.PublishAsync(notifier, prescriptions.Values, cancellationToken);
        }
    }
}

/// <summary>S6, S5: the prescriber records the justification of an absence the OF recorded as unjustified.</summary>
public sealed record JustifyAbsence(Guid PrescriptionId, string Justification)
{
    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task HandleAsync(JustifyAbsence command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.IsPrescriberSide) throw new AccessDeniedException("Seul le prescripteur justifie une absence ici.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var p = await db.AllPrescriptions.FirstOrDefaultAsync(x => x.Id == command.PrescriptionId && x.PrescriberOrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Prescription introuvable.");
            p.JustifyAbsence(command.Justification, user.UserId, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            await WaitlistPromotion.PublishAsync(notifier, [p], cancellationToken);
        }
    }
}
