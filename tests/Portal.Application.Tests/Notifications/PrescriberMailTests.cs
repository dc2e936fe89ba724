using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Portal.Application.Abstractions;
using Portal.Application.Features.Notifications;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Notifications;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Mail;
using Portal.Testing;

namespace Portal.Application.Tests.Notifications;

/// <summary>
/// S6: attendance, decisions (with their S7 reasons), entry and cancellations reach the prescriber by e-mail, through
/// a real SMTP exchange (MailKit client, in-process SmtpServer); opt-out; exactly once; retried after a failure.
/// Each test has its own database: the outbox watermark is the whole database's.
/// </summary>
public sealed class PrescriberMailTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _clock = new(TestDatabase.DefaultNow.AddHours(1));
    private readonly InProcessSmtpServer _smtp = new();
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        await _smtp.DisposeAsync();
        await _db.DisposeAsync();
    }

    private MailOptions Options => new() { Host = "127.0.0.1", Port = _smtp.Port, Security = "None", PortalUrl = "https://portail.exemple.fr" };

    private SendPrescriberMailsJob Job(IMailSender? sender = null) =>
        new(_db, _clock, sender ?? new SmtpMailSender(Options, _clock), new PortalLinks("https://portail.exemple.fr"), NullLogger<SendPrescriberMailsJob>.Instance);

    /// <summary>A demo prescription after the information session (Présente), its prescriber, and the OF user who decides.</summary>
    private async Task<(Guid Id, Guid PrescriberId, string PrescriberEmail, string Candidate)> AttendedAsync(int skip = 0)
    {
        await using var db = _db.CreateDbContext();
        var p = await db.AllPrescriptions.Where(p => p.Status == PrescriptionStatus.Attended).OrderBy(p => p.Id).Skip(skip).FirstAsync(Ct);
        var user = await db.Users.SingleAsync(u => u.Id == p.PrescriberUserId, Ct);
        var candidate = await db.AllCandidates.SingleAsync(c => c.Id == p.CandidateId, Ct);
        return (p.Id, user.Id, user.Email, candidate.DisplayName);
    }

    private async Task ChangeAsync(Guid prescriptionId, Action<Prescription, Guid, DateTimeOffset> change)
    {
        await using var db = _db.CreateDbContext();
        var p = await db.AllPrescriptions.SingleAsync(x => x.Id == prescriptionId, Ct);
        var of = await db.Memberships.Where(m => m.OrganisationId == p.TrainingBodyId).Select(m => (Guid?)m.UserId).FirstOrDefaultAsync(Ct) ?? Guid.NewGuid();
        change(p, of, _clock.GetUtcNow());
        await db.SaveChangesAsync(Ct);
    }

    private static void NotSelect(Prescription p, Guid by, DateTimeOffset now) =>
        p.NotSelect([NonSelectionReason.Prerequisite("Maîtrise des savoirs de base (lecture, calcul)"), new NonSelectionReason(NonSelectionReasonKind.Unavailable)],
            "Une remise à niveau en calcul vous ouvrira la prochaine session.", PrescriberExplanationText, by, now);

    private const string PrescriberExplanationText = "Calcul non acquis au positionnement ; une remise à niveau est conseillée avant la session de mars.";

    [Fact]
    public async Task S6_S7_DecisionMail_ArrivesThroughSmtp_InFrench_WithTheReasons()
    {
        _smtp.Start();
        var (id, _, email, candidate) = await AttendedAsync();
        await ChangeAsync(id, NotSelect);

        await Job().RunAsync(Ct);

        var mail = _smtp.Received.ShouldHaveSingleItem();
        mail.To.Mailboxes.Single().Address.ShouldBe(email);
        (mail.Subject ?? "").ShouldContain(candidate);
        (mail.Subject ?? "").ShouldContain("Non retenue");
        mail.Body!.Headers[HeaderId.ContentLanguage].ShouldBe("fr");
        var body = mail.TextBody ?? "";
        body.ShouldContain($"{candidate} n'est pas retenu(e) pour la formation");
        body.ShouldContain("Motifs de la décision");
        body.ShouldContain($"{NonSelectionReasonKind.PrerequisitesNotMet.Label()} : Maîtrise des savoirs de base (lecture, calcul)");
        body.ShouldContain(NonSelectionReasonKind.Unavailable.Label());
        body.ShouldContain($"Explication de l'organisme de formation :\n{PrescriberExplanationText}");
        body.ShouldNotContain("Une remise à niveau en calcul vous ouvrira"); // the candidate's explanation is theirs
        body.ShouldContain($"https://portail.exemple.fr/prescriptions/{id}");
        body.ShouldNotContain("RQTH", Case.Insensitive);
    }

    [Fact]
    public async Task S6_AttendanceSelectionEntryAndCancellation_AreEachMailedOnce_AndARerunSendsNothingMore()
    {
        _smtp.Start();
        var (first, _, _, _) = await AttendedAsync();
        var (second, _, _, _) = await AttendedAsync(skip: 1);
        await ChangeAsync(first, (p, by, now) => p.Select(by, now));
        await ChangeAsync(first, (p, by, now) => p.Enter(by, now));
        await ChangeAsync(second, (p, by, now) => p.Withdraw(by, now, "A trouvé un CDI."));

        await Job().RunAsync(Ct);
        await Job().RunAsync(Ct);

        var subjects = _smtp.Received.Select(m => m.Subject ?? "").ToList();
        subjects.Count.ShouldBe(3);
        subjects.Count(s => s.Contains("Retenue", StringComparison.Ordinal)).ShouldBe(1);
        subjects.Count(s => s.Contains("Entrée en formation", StringComparison.Ordinal)).ShouldBe(1);
        _smtp.Received.Single(m => (m.Subject ?? "").Contains("Désistement", StringComparison.Ordinal)).TextBody!.ShouldContain("Motif : A trouvé un CDI.");
    }

    [Fact]
    public async Task S6_OptedOutPrescriber_GetsNoMail_AndTheOutboxMovesOn()
    {
        _smtp.Start();
        var (id, prescriber, _, _) = await AttendedAsync();
        await using (var db = _db.CreateDbContext())
        {
            (await db.Users.SingleAsync(u => u.Id == prescriber, Ct)).SetEmailNotifications(false);
            await db.SaveChangesAsync(Ct);
        }
        await ChangeAsync(id, NotSelect);

        await Job().RunAsync(Ct);

        _smtp.Received.ShouldBeEmpty();
        await using var check = _db.CreateDbContext();
        var last = await check.AllPrescriptionTransitions.MaxAsync(t => t.Id, Ct);
        (await check.OutboxWatermarks.SingleAsync(w => w.Key == OutboxWatermark.PrescriberMails, Ct)).Position.ShouldBe(last);
    }

    [Fact]
    public async Task S6_FailedSend_IsRetriedNextRun_WithoutLossNorDuplicate()
    {
        var (id, _, email, _) = await AttendedAsync();
        await ChangeAsync(id, NotSelect);
        long before;
        await using (var db = _db.CreateDbContext())
            before = (await db.OutboxWatermarks.SingleAsync(w => w.Key == OutboxWatermark.PrescriberMails, Ct)).Position;

        await Job().RunAsync(Ct); // the SMTP server is not there yet: connection refused

        await using (var db = _db.CreateDbContext())
            (await db.OutboxWatermarks.SingleAsync(w => w.Key == OutboxWatermark.PrescriberMails, Ct)).Position.ShouldBe(before);

        _smtp.Start();
        await Job().RunAsync(Ct);
        await Job().RunAsync(Ct);

        _smtp.Received.ShouldHaveSingleItem().To.Mailboxes.Single().Address.ShouldBe(email);
    }

    [Fact]
    public async Task S6_WithoutSmtpHost_MessagesLandAsEmlFilesInThePickupFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"portal-mail-{Guid.NewGuid():N}");
        try
        {
            var (id, _, email, candidate) = await AttendedAsync();
            await ChangeAsync(id, NotSelect);

            await Job(new PickupFolderMailSender(folder, new MailOptions(), _clock)).RunAsync(Ct);

            var file = Directory.GetFiles(folder, "*.eml").ShouldHaveSingleItem();
            var message = await MimeMessage.LoadAsync(file, Ct);
            message.To.Mailboxes.Single().Address.ShouldBe(email);
            message.TextBody!.ShouldContain($"{candidate} n'est pas retenu(e)");
            Directory.GetFiles(folder, "*.tmp").ShouldBeEmpty();
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task S6_DemoHistory_IsNotMailed_OnFirstRun()
    {
        _smtp.Start();
        await Job().RunAsync(Ct);
        _smtp.Received.ShouldBeEmpty();
    }
}
