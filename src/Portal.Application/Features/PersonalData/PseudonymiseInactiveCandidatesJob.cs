using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Candidates;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.PersonalData;

/// <summary>
/// Issue #14 (4), PRODUCT "Personal data", ADR 0025: every day, pseudonymises the candidates with no activity for
/// <see cref="PersonalDataSettings.RetentionMonths"/> months (default 24). The period runs from the latest of:
/// the candidate's creation and last change (<c>LastActivityAt</c>, moved by every edit and every choice taken); the end
/// of each of their prescriptions (a prescription still active has not ended, whatever its age; one in a final status
/// ended when it got there, <c>StatusChangedAt</c>, except an entry into training, which ends with the session's last
/// day); the last message of their fiches complément; the creation of a personal link. Any of these later than the cutoff
/// keeps the candidate, so later activity starts the period again.
/// </summary>
/// <remarks>
/// Chunked: the next <see cref="PersonalDataSettings.ChunkSize"/> due candidates (index (IsPseudonymised, LastActivityAt))
/// are pseudonymised by <see cref="Pseudonymisation.ApplyAsync"/>'s set-based statements in one transaction, then their
/// attachment files deleted and the open screens told. A pseudonymised candidate is never due again: idempotent.
/// </remarks>
public sealed class PseudonymiseInactiveCandidatesJob(
    IAppDbContextFactory dbFactory, TimeProvider clock, PersonalDataSettings settings, IFileStore files, ILiveNotifier notifier) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cutoffDay = CutoffDay(now, settings.RetentionMonths);
        var chunk = Math.Max(1, settings.ChunkSize);
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var due = await Due(db, cutoffDay).OrderBy(c => c.LastActivityAt).ThenBy(c => c.Id).Take(chunk)
                .Select(c => new { c.Id, c.OrganisationId }).ToListAsync(cancellationToken);
            if (due.Count == 0) return;
            IReadOnlyList<string> keys;
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                keys = await Pseudonymisation.ApplyAsync(db, [.. due.Select(c => c.Id)], now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            await Pseudonymisation.DeleteFilesAsync(files, keys, CancellationToken.None);
            await notifier.PublishAsync(new CandidatesPseudonymised([.. due.Select(c => c.Id)], [.. due.Select(c => c.OrganisationId).Distinct()]), CancellationToken.None);
            if (due.Count < chunk) return;
        }
    }

    /// <summary>
    /// The Paris day whose activity falls due on <paramref name="now"/>'s day: that day minus the period in calendar
    /// months. Last active on 10/03/2024 with 24 months: kept on 09/03/2026, pseudonymised on 10/03/2026.
    /// </summary>
    public static DateOnly CutoffDay(DateTimeOffset now, int months) => TrainingSession.Today(now).AddMonths(-Math.Max(1, months));

    /// <summary>
    /// The candidates not yet pseudonymised whose every activity (see the class) lies on or before <paramref name="cutoffDay"/>
    /// (Paris calendar).
    /// </summary>
    public static IQueryable<Candidate> Due(IAppDbContext db, DateOnly cutoffDay)
    {
        var active = PrescriptionLifecycle.Active;
        var entered = PrescriptionStatus.Entered;
        // Instants are compared with the first instant of the next Paris day (stored in UTC, ADR 0021).
        var cutoff = FrenchTime.StartOfDay(cutoffDay.AddDays(1));
        return db.AllCandidates.Where(c => !c.IsPseudonymised && c.LastActivityAt < cutoff && c.CreatedAt < cutoff
            && !db.AllPrescriptions.Any(p => p.CandidateId == c.Id
                && (active.Contains(p.Status) || p.StatusChangedAt >= cutoff
                    || (p.Status == entered && db.Sessions.Any(s => s.Id == p.SessionId && s.End > cutoffDay))))
            // Led by the candidate's prescriptions (index CandidateId), then their thread and messages (indexes PrescriptionId, ThreadId).
            && !db.AllPrescriptions.Any(p => p.CandidateId == c.Id && db.AllComplementThreads.Any(t => t.PrescriptionId == p.Id
                && db.AllComplementMessages.Any(m => m.ThreadId == t.Id && m.At >= cutoff)))
            && !db.AllCandidateLinks.Any(l => l.CandidateId == c.Id && l.CreatedAt >= cutoff));
    }
}
