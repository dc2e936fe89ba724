using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Notifications;
using Portal.Domain.Common;
using Portal.Domain.Notifications;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.Application.Tests.Notifications;

/// <summary>
/// S6 with several servers and concurrent writers (issue #16 (5), ADR 0022): the prescribers' mail job claims its outbox
/// watermark before it reads past it, so two runs at once (two servers) send each mail exactly once; a claim left by a
/// run that stopped lapses with its lease. Each test has its own database (the watermark is the whole database's) and
/// decides on demo prescriptions "Présente" (Attended), one mail each to their prescriber.
/// </summary>
public abstract class OutboxAcrossServersTests : IAsyncLifetime
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;
    protected readonly FakeTimeProvider Clock = new(TestDatabase.DefaultNow.AddHours(1));
    protected TestDatabase Db = null!;

    protected abstract DatabaseProvider Provider { get; }

    public async ValueTask InitializeAsync() => Db = await TestDatabase.CreateAsync(Provider);

    public async ValueTask DisposeAsync() => await Db.DisposeAsync();

    protected SendPrescriberMailsJob Job(IMailSender sender) =>
        new(Db, Clock, sender, new PortalLinks("https://portail.exemple.fr"), NullLogger<SendPrescriberMailsJob>.Instance);

    /// <summary>Demo prescriptions "Présente" whose prescriber gets e-mails, with their candidate's name.</summary>
    protected async Task<List<(Guid Id, string Candidate)>> AttendedAsync(int count)
    {
        await using var db = Db.CreateDbContext();
        return [.. (await db.AllPrescriptions.Where(p => p.Status == PrescriptionStatus.Attended)
                .Join(db.Users.Where(u => u.IsActive && u.EmailNotifications), p => p.PrescriberUserId, u => u.Id, (p, u) => p)
                .Join(db.AllCandidates.Where(c => !c.IsPseudonymised), p => p.CandidateId, c => c.Id, (p, c) => new { p.Id, c.FirstName, c.LastName })
                .OrderBy(x => x.Id).Take(count).ToListAsync(Ct))
            .Select(x => (x.Id, $"{x.FirstName} {x.LastName}"))];
    }

    /// <summary>The OF selects the candidate: one history row "Retenue", mailed to the prescriber.</summary>
    protected async Task SelectAsync(IAppDbContext db, Guid prescriptionId)
    {
        var p = await db.AllPrescriptions.SingleAsync(x => x.Id == prescriptionId, Ct);
        var of = await db.Memberships.Where(m => m.OrganisationId == p.TrainingBodyId).Select(m => m.UserId).FirstAsync(Ct);
        p.Select(of, Clock.GetUtcNow());
        await db.SaveChangesAsync(Ct);
    }

    protected async Task SelectAsync(Guid prescriptionId)
    {
        await using var db = Db.CreateDbContext();
        await SelectAsync(db, prescriptionId);
    }

    private async Task<OutboxWatermark> WatermarkAsync()
    {
        await using var db = Db.CreateDbContext();
        return await db.OutboxWatermarks.AsNoTracking().SingleAsync(w => w.Key == OutboxWatermark.PrescriberMails, Ct);
    }

    [Fact]
    public async Task TwoRunsAtOnce_SendEachMailExactlyOnce_TheSecondFindsTheOutboxClaimed_S6()
    {
        var attended = await AttendedAsync(3);
        attended.Count.ShouldBe(3);
        foreach (var (id, _) in attended) await SelectAsync(id);
        var sender = new HeldSender();

        // Server A's run claims the outbox and is held on its first mail; server B's run meanwhile.
        var onA = Job(sender).RunAsync(Ct);
        await sender.FirstSend.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await Job(sender).RunAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        sender.Sent.ShouldBeEmpty("B found the outbox claimed by A and sent nothing");
        sender.Release();
        await onA.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // One mail per decision, to each candidate's prescriber, none twice; a later run sends nothing more.
        sender.Sent.Count.ShouldBe(3);
        foreach (var (_, candidate) in attended) sender.Sent.Count(m => m.Subject.StartsWith($"{candidate} – {Selected} – ", StringComparison.Ordinal)).ShouldBe(1);
        await Job(sender).RunAsync(Ct);
        sender.Sent.Count.ShouldBe(3);
        (await WatermarkAsync()).ClaimToken.ShouldBeNull("released at the end of A's run");
    }

    [Fact]
    public async Task ALiveClaim_KeepsAnotherRunOut_ALapsedOne_IsTakenOver_S6()
    {
        var sender = new HeldSender();
        sender.Release();
        await Job(sender).RunAsync(Ct); // the watermark exists, free
        var (id, candidate) = (await AttendedAsync(1)).Single();
        await SelectAsync(id);

        // A run of a server that stopped mid-way left its claim; its lease runs until now + 1 minute.
        var until = Clock.GetUtcNow().AddMinutes(1);
        await using (var db = Db.CreateDbContext())
            await db.OutboxWatermarks.Where(w => w.Key == OutboxWatermark.PrescriberMails)
                .ExecuteUpdateAsync(u => u.SetProperty(w => w.ClaimToken, Guid.NewGuid()).SetProperty(w => w.ClaimedUntil, until), Ct);

        await Job(sender).RunAsync(Ct);
        sender.Sent.ShouldBeEmpty("the claim is still live");

        Clock.SetUtcNow(until.AddSeconds(1));
        await Job(sender).RunAsync(Ct);
        sender.Sent.ShouldHaveSingleItem().Subject.ShouldStartWith($"{candidate} – {Selected} – ");
        var watermark = await WatermarkAsync();
        (watermark.ClaimToken, watermark.ClaimedUntil).ShouldBe((null, null));
    }

    /// <summary>The status label in the mail's subject ("{candidate} – Retenue – {fiche}").</summary>
    protected static string Selected => PrescriptionStatus.Selected.Label();

    /// <summary>Records the mails; the first send waits until the test releases it.</summary>
    protected sealed class HeldSender : IMailSender
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<OutgoingMail> _sent = new();

        public Task FirstSend => _first.Task;

        public IReadOnlyList<OutgoingMail> Sent => [.. _sent];

        public void Release() => _released.TrySetResult();

        public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
        {
            _first.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            _sent.Enqueue(mail);
        }
    }
}

public sealed class OutboxAcrossServersOnSqliteTests : OutboxAcrossServersTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

/// <summary>
/// PostgreSQL (skipped without PostgreSQL 15): the same, and the case SQLite's single writer rules out: a history row
/// whose transaction commits after a row with a higher id is still mailed (the watermark never passes a row still to come).
/// </summary>
public sealed class OutboxAcrossServersOnPostgreSqlTests : OutboxAcrossServersTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    [Fact]
    public async Task ARowCommittedAfterAHigherId_IsStillMailed_TheRunWaitsForItsTransaction_S6()
    {
        var sender = new HeldSender();
        sender.Release();
        await Job(sender).RunAsync(Ct);
        var attended = await AttendedAsync(2);
        var (early, late) = (attended[0], attended[1]);

        // Transaction T1 writes its history row first (the lower id) and stays open; T2 writes the next id and commits.
        await using var t1 = Db.CreateDbContext();
        await using var transaction = await t1.Database.BeginTransactionAsync(Ct);
        await SelectAsync(t1, early.Id);
        await SelectAsync(late.Id);
        long earlyRow, lateRow;
        await using (var db = Db.CreateDbContext())
            lateRow = await db.AllPrescriptionTransitions.Where(t => t.PrescriptionId == late.Id).MaxAsync(t => t.Id, Ct);
        earlyRow = await t1.AllPrescriptionTransitions.Where(t => t.PrescriptionId == early.Id).MaxAsync(t => t.Id, Ct);
        earlyRow.ShouldBeLessThan(lateRow);

        var run = Job(sender).RunAsync(Ct);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        sender.Sent.ShouldBeEmpty("the run waits until the history's writers have ended");
        await transaction.CommitAsync(Ct);
        await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        sender.Sent.Count.ShouldBe(2);
        sender.Sent.ShouldContain(m => m.Subject.StartsWith($"{early.Candidate} – {Selected} – ", StringComparison.Ordinal), "the row committed last, with the lower id");
        sender.Sent.ShouldContain(m => m.Subject.StartsWith($"{late.Candidate} – {Selected} – ", StringComparison.Ordinal));
    }
}
