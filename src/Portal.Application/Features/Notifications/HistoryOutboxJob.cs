using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;
using Portal.Domain.Notifications;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Notifications;

/// <summary>One row of the prescription history a mail job reads.</summary>
public sealed record OutboxRow(long Id, Guid PrescriptionId, Guid? ByUserId, PrescriptionStatus To, string? Reason, DateTimeOffset At);

/// <summary>
/// The append-only prescription history as an outbox (S3, S6, ADR 0017), shared by the mail jobs: each job reads the
/// rows of the statuses it mails after its own persisted watermark, by id, in chunks, with one query for what a chunk's
/// mails need; it moves the watermark past each row once its mail is sent. A failed send stops the run (retried next
/// minute, nothing sent twice); an address the server refuses for good is skipped. One run at a time per job in this
/// process (Hangfire may start the next minute's run before this one ends). The history's ids follow the commits'
/// order because SQLite has one writer: a row below the last id read cannot appear later.
/// </summary>
public abstract class HistoryOutboxJob(IAppDbContextFactory dbFactory, TimeProvider clock, IMailSender sender, ILogger logger) : IRecurringJob
{
    public const int ChunkSize = 200;

    private static readonly ConcurrentDictionary<Type, SemaphoreSlim> Running = new();

    /// <summary>The job's watermark.</summary>
    protected abstract string WatermarkKey { get; }

    /// <summary>When the watermark does not exist yet: start after the history's last row (true) or at its first row.</summary>
    protected abstract bool StartsAtTheEnd { get; }

    /// <summary>The statuses whose history rows this job mails.</summary>
    protected abstract IReadOnlyCollection<PrescriptionStatus> Statuses { get; }

    /// <summary>Reads what the mails of <paramref name="rows"/> need (one query) and gives each row's mail, or null for none.</summary>
    protected abstract Task<Func<OutboxRow, OutgoingMail?>> PrepareAsync(IAppDbContext db, IReadOnlyList<OutboxRow> rows, CancellationToken cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var running = Running.GetOrAdd(GetType(), _ => new SemaphoreSlim(1, 1));
        if (!await running.WaitAsync(0, cancellationToken)) return;
        try
        {
            await SendPendingAsync(cancellationToken);
        }
        finally
        {
            running.Release();
        }
    }

    private async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var watermark = await db.OutboxWatermarks.FirstOrDefaultAsync(w => w.Key == WatermarkKey, cancellationToken);
        if (watermark is null)
        {
            watermark = new OutboxWatermark(WatermarkKey, StartsAtTheEnd ? await LastIdAsync(db, cancellationToken) : 0, clock.GetUtcNow());
            db.OutboxWatermarks.Add(watermark);
            await db.SaveChangesAsync(cancellationToken);
            if (StartsAtTheEnd) return;
        }

        var statuses = Statuses.ToList();
        while (true)
        {
            // The history's end is read first: every row up to it is either read below or of no interest to this job.
            var last = await LastIdAsync(db, cancellationToken);
            var after = watermark.Position;
            var rows = await db.AllPrescriptionTransitions.AsNoTracking()
                .Where(t => t.Id > after && t.Id <= last && statuses.Contains(t.To)).OrderBy(t => t.Id).Take(ChunkSize)
                .Select(t => new OutboxRow(t.Id, t.PrescriptionId, t.ByUserId, t.To, t.Reason, t.At))
                .ToListAsync(cancellationToken);
            var mailOf = rows.Count == 0 ? null : await PrepareAsync(db, rows, cancellationToken);
            foreach (var row in rows)
            {
                if (mailOf!(row) is { } mail)
                {
                    try
                    {
                        await sender.SendAsync(mail, cancellationToken);
                    }
                    catch (MailRejectedException ex)
                    {
                        logger.LogWarning(ex, "The e-mail of history row {TransitionId} was refused by the server; skipped.", row.Id);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Keep what was sent; this row and the next ones are retried next run.
                        logger.LogWarning(ex, "Sending the e-mail of history row {TransitionId} failed; retried next run.", row.Id);
                        await db.SaveChangesAsync(CancellationToken.None);
                        return;
                    }
                    watermark.MoveTo(row.Id, clock.GetUtcNow());
                    await db.SaveChangesAsync(CancellationToken.None);
                }
                else
                {
                    watermark.MoveTo(row.Id, clock.GetUtcNow());
                }
            }
            if (rows.Count < ChunkSize)
            {
                // Nothing else of interest up to the end read above: the watermark passes the other rows.
                watermark.MoveTo(last, clock.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static async Task<long> LastIdAsync(IAppDbContext db, CancellationToken cancellationToken) =>
        await db.AllPrescriptionTransitions.MaxAsync(t => (long?)t.Id, cancellationToken) ?? 0;
}
