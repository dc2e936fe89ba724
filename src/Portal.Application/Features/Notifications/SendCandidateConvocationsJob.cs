using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Domain.Notifications;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Notifications;

/// <summary>
/// S2, S3: the candidate receives their convocation by e-mail when an address is known (<see cref="ConvocationLetter"/>,
/// the same text as the printed letter). Same outbox as the prescribers' mails (the append-only prescription history,
/// ADR 0017): the convocations after a persisted watermark of their own, in order; the watermark moves past each row
/// once its mail is sent; a failed send stops the run (retried next minute, nothing sent twice); a refused address is
/// skipped. A convocation replaced by a later one is not sent (the later one is). The first run starts at the end of
/// the history: the convocations made before this job existed are not mailed to candidates months later.
/// </summary>
public sealed class SendCandidateConvocationsJob(
    IAppDbContextFactory dbFactory, TimeProvider clock, IMailSender sender, ILogger<SendCandidateConvocationsJob> logger) : IRecurringJob
{
    public const int ChunkSize = 200;

    private static readonly SemaphoreSlim Running = new(1, 1);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!await Running.WaitAsync(0, cancellationToken)) return;
        try
        {
            await SendPendingAsync(cancellationToken);
        }
        finally
        {
            Running.Release();
        }
    }

    private async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var watermark = await db.OutboxWatermarks.FirstOrDefaultAsync(w => w.Key == OutboxWatermark.CandidateConvocations, cancellationToken);
        if (watermark is null)
        {
            var end = await db.AllPrescriptionTransitions.MaxAsync(t => (long?)t.Id, cancellationToken) ?? 0;
            db.OutboxWatermarks.Add(new OutboxWatermark(OutboxWatermark.CandidateConvocations, end, clock.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var convoked = PrescriptionStatus.Convoked;
        while (true)
        {
            var after = watermark.Position;
            var rows = await db.AllPrescriptionTransitions.AsNoTracking()
                .Where(t => t.Id > after && t.To == convoked).OrderBy(t => t.Id).Take(ChunkSize)
                .Select(t => new { t.Id, t.PrescriptionId, t.At })
                .ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                // Nothing left to mail: the watermark may pass every other row of the history.
                var last = await db.AllPrescriptionTransitions.MaxAsync(t => (long?)t.Id, cancellationToken) ?? 0;
                watermark.MoveTo(last, clock.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            foreach (var row in rows)
            {
                var letter = await ConvocationLetter.ReadAsync(db, db.AllPrescriptions, row.PrescriptionId, cancellationToken);
                // Only the prescription's current convocation, to a candidate with an address who is not pseudonymised.
                if (letter is { Pseudonymised: false, CandidateEmail: { } email } && email.Contains('@', StringComparison.Ordinal) && letter.ConvokedAt == row.At)
                {
                    try
                    {
                        await sender.SendAsync(new OutgoingMail(email, letter.CandidateName, letter.Subject, letter.MailBody), cancellationToken);
                    }
                    catch (MailRejectedException ex)
                    {
                        logger.LogWarning(ex, "Convocation e-mail of prescription {PrescriptionId} refused by the server; skipped.", row.PrescriptionId);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogWarning(ex, "Sending the convocation of history row {TransitionId} failed; retried next run.", row.Id);
                        await db.SaveChangesAsync(CancellationToken.None);
                        return;
                    }
                }
                watermark.MoveTo(row.Id, clock.GetUtcNow());
                await db.SaveChangesAsync(CancellationToken.None);
            }
            if (rows.Count < ChunkSize)
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
        }
    }
}
