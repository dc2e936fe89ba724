using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;
using Portal.Domain.Common;
using Portal.Domain.Notifications;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Notifications;

/// <summary>The portal's public address, for the links in e-mails (`Mail:PortalUrl`).</summary>
public sealed record PortalLinks(string BaseUrl)
{
    public string Prescription(Guid id) => $"{BaseUrl.TrimEnd('/')}/prescriptions/{id}";

    public string Preferences => $"{BaseUrl.TrimEnd('/')}/preferences";
}

/// <summary>
/// S6: every attendance, decision, entry and cancellation of a prescription is e-mailed to its prescriber.
/// The append-only prescription history is the outbox: the job reads the rows after a persisted watermark
/// (by id, in chunks, one query for the details of a chunk), writes one French message per row of interest,
/// skips prescribers who opted out (and what they did themselves), and moves the watermark past each row only
/// once its mail is sent. A failed send stops the run: it is retried next minute, and nothing is sent twice.
/// A message the server refuses for good (unknown address) is skipped, not retried forever.
/// </summary>
public sealed class SendPrescriberMailsJob(
    IAppDbContextFactory dbFactory, TimeProvider clock, IMailSender sender, PortalLinks links, ILogger<SendPrescriberMailsJob> logger) : IRecurringJob
{
    public const int ChunkSize = 200;

    /// <summary>The statuses a prescriber is told about (S6: attendance, decisions, entry, every way a prescription ends).</summary>
    public static readonly PrescriptionStatus[] Mailed =
    [
        PrescriptionStatus.Attended, PrescriptionStatus.AbsentJustified, PrescriptionStatus.AbsentUnjustified,
        PrescriptionStatus.Selected, PrescriptionStatus.Waitlisted, PrescriptionStatus.NotSelected,
        PrescriptionStatus.Entered, PrescriptionStatus.Cancelled, PrescriptionStatus.Expired,
        PrescriptionStatus.SessionCancelled, PrescriptionStatus.Withdrawn, PrescriptionStatus.PlaceOffered,
    ];

    // Hangfire may start the next minute's run before this one ends: one run at a time in this process.
    private static readonly SemaphoreSlim Running = new(1, 1);

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

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
        var watermark = await db.OutboxWatermarks.FirstOrDefaultAsync(w => w.Key == OutboxWatermark.PrescriberMails, cancellationToken);
        if (watermark is null)
        {
            watermark = new OutboxWatermark(OutboxWatermark.PrescriberMails, 0, clock.GetUtcNow());
            db.OutboxWatermarks.Add(watermark);
        }

        while (true)
        {
            var after = watermark.Position;
            var rows = await db.AllPrescriptionTransitions.AsNoTracking()
                .Where(t => t.Id > after).OrderBy(t => t.Id).Take(ChunkSize)
                .Select(t => new Row(t.Id, t.PrescriptionId, t.ByUserId, t.To, t.Reason, t.At))
                .ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }

            var mailed = Mailed;
            var ids = rows.Where(r => mailed.Contains(r.To)).Select(r => r.PrescriptionId).Distinct().ToList();
            var details = await (
                    from p in db.AllPrescriptions.AsNoTracking()
                    where ids.Contains(p.Id)
                    join u in db.Users on p.PrescriberUserId equals u.Id
                    join c in db.AllCandidates on p.CandidateId equals c.Id
                    join s in db.Sessions on p.SessionId equals s.Id
                    join f in db.FicheActions on s.FicheActionId equals f.Id
                    join o in db.Organisations on p.TrainingBodyId equals o.Id
                    select new Details(p.Id, p.PrescriberUserId, u.Email, u.GivenName, u.FamilyName, u.IsActive, u.EmailNotifications,
                        c.FirstName, c.LastName, c.IsPseudonymised, f.Title, o.Name, s.Start, s.End, p.NonSelectionReasons) { PrescriberExplanation = p.PrescriberExplanation })
                .ToDictionaryAsync(d => d.PrescriptionId, cancellationToken);

            foreach (var row in rows)
            {
                if (details.TryGetValue(row.PrescriptionId, out var d) && ShouldMail(row, d))
                {
                    var mail = Compose(row, d);
                    try
                    {
                        await sender.SendAsync(mail, cancellationToken);
                    }
                    catch (MailRejectedException ex)
                    {
                        logger.LogWarning(ex, "E-mail to the prescriber of prescription {PrescriptionId} refused by the server; skipped.", row.PrescriptionId);
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
            await db.SaveChangesAsync(cancellationToken);
            if (rows.Count < ChunkSize) return;
        }
    }

    /// <summary>Opted-out, inactive or pseudonymised: no mail; nor for what the prescriber did themself.</summary>
    private static bool ShouldMail(Row row, Details d) =>
        d.Active && d.EmailNotifications && !d.Pseudonymised && row.ByUserId != d.PrescriberUserId && d.Email.Contains('@', StringComparison.Ordinal);

    internal sealed record Row(long Id, Guid PrescriptionId, Guid? ByUserId, PrescriptionStatus To, string? Reason, DateTimeOffset At);

    internal sealed record Details(Guid PrescriptionId, Guid PrescriberUserId, string Email, string GivenName, string FamilyName, bool Active,
        bool EmailNotifications, string CandidateFirstName, string CandidateLastName, bool Pseudonymised, string Title, string TrainingBody,
        DateOnly Start, DateOnly End, List<NonSelectionReason> Reasons)
    {
        /// <summary>S7: the OF's explanation of a non-selection, written for the prescriber.</summary>
        public string? PrescriberExplanation { get; init; }
    }

    /// <summary>The French message for one history row. Only what the prescriber already sees; never the RQTH.</summary>
    private OutgoingMail Compose(Row row, Details d)
    {
        var candidate = $"{d.CandidateFirstName} {d.CandidateLastName}";
        var day = FrenchTime.ToFrance(row.At).ToString("dddd d MMMM yyyy", French);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"Bonjour {d.GivenName},\n\n");
        body.Append(CultureInfo.InvariantCulture, $"{Event(row.To, candidate, d.TrainingBody)} (le {day}).\n\n");
        body.Append(CultureInfo.InvariantCulture, $"Formation : {d.Title}\n");
        body.Append(CultureInfo.InvariantCulture, $"Organisme de formation : {d.TrainingBody}\n");
        body.Append(CultureInfo.InvariantCulture, $"Session : du {d.Start.ToString("d MMMM yyyy", French)} au {d.End.ToString("d MMMM yyyy", French)}\n");

        if (row.To == PrescriptionStatus.NotSelected)
        {
            // S7: the explicit reasons, as the OF gave them.
            body.Append("\nMotifs de la décision :\n");
            var reasons = d.Reasons.Count > 0 ? d.Reasons.Select(r => r.Text).ToList() : [row.Reason ?? "motif non précisé"];
            foreach (var reason in reasons) body.Append(CultureInfo.InvariantCulture, $"  - {reason}\n");
            // S7: and the OF's explanation written for the prescriber.
            if (!string.IsNullOrWhiteSpace(d.PrescriberExplanation))
                body.Append(CultureInfo.InvariantCulture, $"\nExplication de l'organisme de formation :\n{d.PrescriberExplanation}\n");
        }
        else if (Detail(row) is { } detail)
        {
            body.Append(CultureInfo.InvariantCulture, $"\n{detail}\n");
        }

        body.Append(CultureInfo.InvariantCulture, $"\nLa prescription dans le portail : {links.Prescription(row.PrescriptionId)}\n\n");
        body.Append("Vous recevez ce message parce que vous avez prescrit cette formation. ");
        body.Append(CultureInfo.InvariantCulture, $"Pour ne plus recevoir ces e-mails, décochez l'option dans « Mes préférences » : {links.Preferences}\n\n");
        body.Append("Portail de prescription de la formation régionale");

        var subject = $"{candidate} – {row.To.Label()} – {d.Title}";
        return new OutgoingMail(d.Email, $"{d.GivenName} {d.FamilyName}".Trim(), subject, body.ToString());
    }

    private static string Event(PrescriptionStatus to, string candidate, string trainingBody) => to switch
    {
        PrescriptionStatus.Attended => $"{candidate} était présent(e) à l'information collective ou à l'entretien de {trainingBody}",
        PrescriptionStatus.AbsentJustified => $"{candidate} était absent(e) à l'information collective ou à l'entretien, absence justifiée",
        PrescriptionStatus.AbsentUnjustified => $"{candidate} était absent(e) à l'information collective ou à l'entretien, sans justification",
        PrescriptionStatus.Selected => $"{candidate} est retenu(e) pour la formation",
        PrescriptionStatus.Waitlisted => $"{candidate} est placé(e) sur la liste d'attente de la session",
        PrescriptionStatus.NotSelected => $"{candidate} n'est pas retenu(e) pour la formation",
        PrescriptionStatus.Entered => $"{candidate} est entré(e) en formation",
        PrescriptionStatus.Cancelled => $"La prescription de {candidate} est annulée",
        PrescriptionStatus.Expired => $"La préinscription de {candidate} a expiré",
        PrescriptionStatus.SessionCancelled => $"La session prescrite à {candidate} est annulée par l'organisme de formation",
        PrescriptionStatus.Withdrawn => $"{candidate} s'est désisté(e)",
        PrescriptionStatus.PlaceOffered => $"Une place libérée est proposée à {candidate} par {trainingBody} : enregistrez sa réponse (acceptée ou refusée) dans le portail avant la date limite",
        _ => $"La prescription de {candidate} passe à l'état « {to.Label()} »",
    };

    private static string? Detail(Row row) => row.Reason is not { Length: > 0 } reason
        ? null
        : row.To switch
        {
            PrescriptionStatus.AbsentJustified => $"Justification : {reason}",
            PrescriptionStatus.Cancelled or PrescriptionStatus.Expired or PrescriptionStatus.SessionCancelled or PrescriptionStatus.Withdrawn => $"Motif : {reason}",
            PrescriptionStatus.PlaceOffered => reason,
            _ => null,
        };
}
