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
/// minute, nothing sent twice); an address the server refuses for good is skipped.
/// Several servers, concurrent writers (ADR 0022): a run first claims its watermark for a lease with one conditional
/// UPDATE; a run that finds it claimed (on this server or another) stops at once, so each mail is sent by one run only.
/// The lease is renewed with every save and released at the end; a run that lost its claim (lease lapsed and taken over)
/// fails its next save and stops. The rows are read only up to the history's settled end
/// (<see cref="IDialectQueries.SettledTransitionsEndAsync"/>): on PostgreSQL a row may commit after a row with a higher
/// id, and the watermark must never pass a row still to come.
/// </summary>
public abstract class HistoryOutboxJob(IAppDbContextFactory dbFactory, TimeProvider clock, IMailSender sender, ILogger logger) : IRecurringJob
{
    public const int ChunkSize = 200;

    /// <summary>How long a claim holds without being renewed (a run renews it with every save).</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

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
        await EnsureWatermarkAsync(cancellationToken);
        var token = Guid.NewGuid();
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var watermark = await ClaimAsync(db, token, cancellationToken);
        if (watermark is null) return;
        try
        {
            await SendPendingAsync(db, watermark, cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            // The lease lapsed and another run took the watermark over: it goes on from the last position saved.
            logger.LogWarning(ex, "The outbox {Key} was taken over by another run; this run stops.", WatermarkKey);
        }
        finally
        {
            await ReleaseAsync(token);
        }
    }

    /// <summary>The first run creates the watermark (a concurrent first run may create it first: the key is unique).</summary>
    private async Task EnsureWatermarkAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var key = WatermarkKey;
        if (await db.OutboxWatermarks.AnyAsync(w => w.Key == key, cancellationToken)) return;
        var start = StartsAtTheEnd ? await db.Queries.SettledTransitionsEndAsync(cancellationToken) : 0;
        db.OutboxWatermarks.Add(new OutboxWatermark(key, start, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Created meanwhile by another run (the key is unique); anything else fails the run.
            if (!await WatermarkExistsAsync(key, cancellationToken)) throw;
        }
    }

    private async Task<bool> WatermarkExistsAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        return await db.OutboxWatermarks.AnyAsync(w => w.Key == key, cancellationToken);
    }

    /// <summary>One conditional, set-based UPDATE: the watermark is this run's if it was free or its lease had lapsed.</summary>
    private async Task<OutboxWatermark?> ClaimAsync(IAppDbContext db, Guid token, CancellationToken cancellationToken)
    {
        var key = WatermarkKey;
        var now = clock.GetUtcNow();
        var until = now + ClaimLease;
        var claimed = await db.OutboxWatermarks
            .Where(w => w.Key == key && (w.ClaimToken == null || w.ClaimedUntil == null || w.ClaimedUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.ClaimToken, token).SetProperty(w => w.ClaimedUntil, until), cancellationToken);
        if (claimed == 0) return null;
        return await db.OutboxWatermarks.SingleAsync(w => w.Key == key && w.ClaimToken == token, cancellationToken);
    }

    /// <summary>Frees the watermark if this run still holds it (a fresh context: the run's may have failed mid-save).</summary>
    private async Task ReleaseAsync(Guid token)
    {
        await using var db = await dbFactory.CreateAsync(CancellationToken.None);
        var key = WatermarkKey;
        await db.OutboxWatermarks.Where(w => w.Key == key && w.ClaimToken == token)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.ClaimToken, (Guid?)null).SetProperty(w => w.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
    }

    private async Task SendPendingAsync(IAppDbContext db, OutboxWatermark watermark, CancellationToken cancellationToken)
    {
        var statuses = Statuses.ToList();
        while (true)
        {
            // The history's settled end is read first: every row up to it is either read below or of no interest to this job.
            var last = await db.Queries.SettledTransitionsEndAsync(cancellationToken);
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
                    watermark.Renew(clock.GetUtcNow() + ClaimLease);
                    await db.SaveChangesAsync(CancellationToken.None);
                }
                else
                {
                    watermark.MoveTo(row.Id, clock.GetUtcNow());
                }
            }
            watermark.Renew(clock.GetUtcNow() + ClaimLease);
            if (rows.Count < ChunkSize)
            {
                // Nothing else of interest up to the settled end read above: the watermark passes the other rows.
                watermark.MoveTo(last, clock.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
