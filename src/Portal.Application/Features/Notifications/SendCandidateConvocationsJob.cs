using Microsoft.Extensions.Logging;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Domain.Notifications;
using Portal.Domain.Prescriptions;

namespace Portal.Application.Features.Notifications;

/// <summary>
/// S2, S3: the candidate receives their convocation by e-mail when an address is known (<see cref="ConvocationLetter"/>,
/// the same text as the printed letter), through the history outbox (<see cref="HistoryOutboxJob"/>, ADR 0017) with a
/// watermark of its own. A convocation replaced by a later one is not sent (the later one is). The first run starts at
/// the end of the history: the convocations made before this job existed are not mailed to candidates months later.
/// </summary>
public sealed class SendCandidateConvocationsJob(
    IAppDbContextFactory dbFactory, TimeProvider clock, IMailSender sender, ILogger<SendCandidateConvocationsJob> logger)
    : HistoryOutboxJob(dbFactory, clock, sender, logger)
{
    private static readonly PrescriptionStatus[] Convoked = [PrescriptionStatus.Convoked];

    protected override string WatermarkKey => OutboxWatermark.CandidateConvocations;

    protected override bool StartsAtTheEnd => true;

    protected override IReadOnlyCollection<PrescriptionStatus> Statuses => Convoked;

    protected override async Task<Func<OutboxRow, OutgoingMail?>> PrepareAsync(IAppDbContext db, IReadOnlyList<OutboxRow> rows, CancellationToken cancellationToken)
    {
        var letters = await ConvocationLetter.ReadManyAsync(db, db.AllPrescriptions, [.. rows.Select(r => r.PrescriptionId).Distinct()], cancellationToken);
        // Only the prescription's current convocation, to a candidate with an address who is not pseudonymised.
        return row => letters.GetValueOrDefault(row.PrescriptionId) is { Pseudonymised: false, CandidateEmail: { } email } letter
                      && email.Contains('@', StringComparison.Ordinal) && letter.ConvokedAt == row.At
            ? new OutgoingMail(email, letter.CandidateName, letter.Subject, letter.MailBody)
            : null;
    }
}
