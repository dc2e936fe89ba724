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

    /// <summary>Issue #14 (2): the deciders' screen of access requests.</summary>
    public string AccessRequests => $"{BaseUrl.TrimEnd('/')}/acces/demandes";
}

/// <summary>
/// S6: every attendance, decision, entry and cancellation of a prescription is e-mailed to its prescriber, through the
/// history outbox (<see cref="HistoryOutboxJob"/>, ADR 0017): one French message per row of interest, one query for the
/// details of a chunk; prescribers who opted out are skipped, and so is what they did themselves.
/// </summary>
public sealed class SendPrescriberMailsJob(
    IAppDbContextFactory dbFactory, TimeProvider clock, IMailSender sender, PortalLinks links, ILogger<SendPrescriberMailsJob> logger)
    : HistoryOutboxJob(dbFactory, clock, sender, logger)
{
    /// <summary>The statuses a prescriber is told about (S6: attendance, decisions, entry, every way a prescription ends).</summary>
    public static readonly PrescriptionStatus[] Mailed =
    [
        PrescriptionStatus.Attended, PrescriptionStatus.AbsentJustified, PrescriptionStatus.AbsentUnjustified,
        PrescriptionStatus.Selected, PrescriptionStatus.Waitlisted, PrescriptionStatus.NotSelected,
        PrescriptionStatus.Entered, PrescriptionStatus.Cancelled, PrescriptionStatus.Expired,
        PrescriptionStatus.SessionCancelled, PrescriptionStatus.Withdrawn, PrescriptionStatus.PlaceOffered,
    ];

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    protected override string WatermarkKey => OutboxWatermark.PrescriberMails;

    protected override bool StartsAtTheEnd => false;

    protected override IReadOnlyCollection<PrescriptionStatus> Statuses => Mailed;

    protected override async Task<Func<OutboxRow, OutgoingMail?>> PrepareAsync(IAppDbContext db, IReadOnlyList<OutboxRow> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.PrescriptionId).Distinct().ToList();
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
        // S7, ADR 0026: the reasons with their codes' labels in the list.
        var labels = await Selection.NonSelectionReasonList.LabelsAsync(db, cancellationToken);
        foreach (var d in details.Values)
            for (var i = 0; i < d.Reasons.Count; i++)
                d.Reasons[i] = d.Reasons[i] with { Label = d.Reasons[i].Code is { } code ? labels.GetValueOrDefault(code) : null };
        return row => details.TryGetValue(row.PrescriptionId, out var d) && ShouldMail(row, d) ? Compose(row, d) : null;
    }

    /// <summary>Opted-out, inactive or pseudonymised: no mail; nor for what the prescriber did themself.</summary>
    private static bool ShouldMail(OutboxRow row, Details d) =>
        d.Active && d.EmailNotifications && !d.Pseudonymised && row.ByUserId != d.PrescriberUserId && d.Email.Contains('@', StringComparison.Ordinal);

    internal sealed record Details(Guid PrescriptionId, Guid PrescriberUserId, string Email, string GivenName, string FamilyName, bool Active,
        bool EmailNotifications, string CandidateFirstName, string CandidateLastName, bool Pseudonymised, string Title, string TrainingBody,
        DateOnly Start, DateOnly End, List<NonSelectionReason> Reasons)
    {
        /// <summary>S7: the OF's explanation of a non-selection, written for the prescriber.</summary>
        public string? PrescriberExplanation { get; init; }
    }

    /// <summary>The French message for one history row. Only what the prescriber already sees; never the RQTH.</summary>
    private OutgoingMail Compose(OutboxRow row, Details d)
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

    private static string? Detail(OutboxRow row) => row.Reason is not { Length: > 0 } reason
        ? null
        : row.To switch
        {
            PrescriptionStatus.AbsentJustified => $"Justification : {reason}",
            PrescriptionStatus.Cancelled or PrescriptionStatus.Expired or PrescriptionStatus.SessionCancelled or PrescriptionStatus.Withdrawn => $"Motif : {reason}",
            PrescriptionStatus.PlaceOffered => reason,
            _ => null,
        };
}
