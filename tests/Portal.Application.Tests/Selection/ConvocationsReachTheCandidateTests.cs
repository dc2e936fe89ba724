using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Notifications;
using Portal.Application.Features.Selection;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Live;
using Portal.Testing;

namespace Portal.Application.Tests.Selection;

/// <summary>
/// S2, S3: the convocation reaches the candidate (an e-mail when an address is known, a letter the prescriber prints);
/// O7: sessions live their whole life (job); S5: a refusal on a version older than a justification is refused.
/// Each test has its own database (the outbox watermark is the whole database's).
/// </summary>
public sealed class ConvocationsReachTheCandidateTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    // Meeting Tue 15/06/2027 09:30 Paris (07:30 UTC, summer); convocations on 01/06 (in time) unless said otherwise.
    private static readonly DateTimeOffset MeetingAt = new(2027, 6, 15, 7, 30, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 6, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly LiveNotifier _notifier = new(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private sealed class RecordingSender : IMailSender
    {
        public List<OutgoingMail> Sent { get; } = [];

        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
        {
            Sent.Add(mail);
            return Task.CompletedTask;
        }
    }

    private SendCandidateConvocationsJob Job(IMailSender sender) => new(_db, _clock, sender, NullLogger<SendCandidateConvocationsJob>.Instance);

    /// <summary>A session of Julie's OF starting 01/07/2027, a meeting, and candidates prescribed by Camille (with the given e-mails).</summary>
    private async Task<(Guid Session, Guid Meeting, List<Guid> Prescriptions)> ArrangeAsync(params string?[] emails)
    {
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        var session = await OfferBuilder.AddSessionAsync(_db, julie.OrganisationId, new DateOnly(2027, 7, 1), new DateOnly(2027, 6, 20), arrange: s => s.Publish(new DateTimeOffset(2027, 4, 1, 10, 0, 0, TimeSpan.Zero)));
        await using var db = _db.CreateDbContext();
        var info = new InfoSession(session.Id, InfoSessionKind.Collective, MeetingAt, "Formapro, 12 avenue de l'Argonne, Mérignac", "Pièce d'identité, CV, attestation France Travail");
        db.InfoSessions.Add(info);
        var ids = new List<Guid>();
        var n = 0;
        foreach (var email in emails)
        {
            var c = new Candidate(camille.OrganisationId, camille.UserId, "Inès", $"Convoquée{++n}", new DateOnly(1995, 4, n), "33063", _clock.GetUtcNow());
            c.SetContact(email, null);
            db.AllCandidates.Add(c);
            var p = new Prescription(c.Id, session.Id, julie.OrganisationId, camille.OrganisationId, camille.UserId, 1, Prescriptions.PrescribeTests.Form, _clock.GetUtcNow());
            db.AllPrescriptions.Add(p);
            ids.Add(p.Id);
        }
        await db.SaveChangesAsync(Ct);
        return (session.Id, info.Id, ids);
    }

    private async Task ConvokeAsync(Guid meeting, bool late = false) =>
        await new ConvokeCandidates.Handler(_db, _clock, _notifier).HandleAsync(new ConvokeCandidates(meeting, [], late), await TestUsers.ForAsync(_db, TestUsers.Julie), Ct);

    [Fact]
    public async Task Convocation_IsMailedToTheCandidateWithAnAddress_Once_InPlainFrench_S3_S2()
    {
        var (_, meeting, _) = await ArrangeAsync("ines.convoquee1@exemple.fr", null);
        var sender = new RecordingSender();
        await Job(sender).RunAsync(Ct); // first run: starts at the end of the history, nothing old is mailed
        sender.Sent.ShouldBeEmpty();

        await ConvokeAsync(meeting);
        await Job(sender).RunAsync(Ct);
        await Job(sender).RunAsync(Ct);

        var mail = sender.Sent.ShouldHaveSingleItem("the candidate without an address gets the printed letter only; nothing is sent twice");
        mail.ToAddress.ShouldBe("ines.convoquee1@exemple.fr");
        mail.Subject.ShouldStartWith("Convocation à une information collective le 15 juin 2027");
        mail.Body.ShouldContain("Bonjour Inès Convoquée1,");
        mail.Body.ShouldContain("Date et heure : mardi 15 juin 2027 à 09 h 30"); // 07:30 UTC in summer
        mail.Body.ShouldContain("Lieu : Formapro, 12 avenue de l'Argonne, Mérignac");
        mail.Body.ShouldContain("À apporter : Pièce d'identité, CV, attestation France Travail");
        mail.Body.ShouldContain("Contacts : Votre conseiller(ère) :");
        mail.Body.ShouldNotContain("moins de 7 jours");
    }

    [Fact]
    public async Task LateConvocation_Mail_SaysItCameLate_S3()
    {
        var (_, meeting, _) = await ArrangeAsync("ines.convoquee1@exemple.fr");
        var sender = new RecordingSender();
        await Job(sender).RunAsync(Ct);
        _clock.SetUtcNow(MeetingAt.AddDays(-3));

        await ConvokeAsync(meeting, late: true);
        await Job(sender).RunAsync(Ct);

        sender.Sent.ShouldHaveSingleItem().Body.ShouldContain("moins de 7 jours avant la réunion");
    }

    [Fact]
    public async Task Letter_IsReadByThePrescriberAndTheOf_NotFoundForAnotherPrescriber_S3()
    {
        var (_, meeting, ids) = await ArrangeAsync((string?)null);
        await ConvokeAsync(meeting);
        var handler = new GetConvocationLetter.Handler(_db);

        var letter = await handler.HandleAsync(new GetConvocationLetter(ids[0]), await TestUsers.ForAsync(_db, TestUsers.Camille), Ct);
        letter.CandidateName.ShouldBe("Inès Convoquée1");
        letter.Place.ShouldBe("Formapro, 12 avenue de l'Argonne, Mérignac");
        letter.Late.ShouldBeFalse();
        (await handler.HandleAsync(new GetConvocationLetter(ids[0]), await TestUsers.ForAsync(_db, TestUsers.Julie), Ct)).PrescriptionId.ShouldBe(ids[0]);
        await Should.ThrowAsync<NotFoundException>(() => handler.HandleAsync(new GetConvocationLetter(ids[0]), TestUsers.ForAsync(_db, TestUsers.Lucas).Result, Ct));
    }

    [Fact]
    public async Task Letter_OfACandidateNotConvoked_IsNotFound_S3()
    {
        var (_, _, ids) = await ArrangeAsync((string?)null);

        await Should.ThrowAsync<NotFoundException>(() =>
            new GetConvocationLetter.Handler(_db).HandleAsync(new GetConvocationLetter(ids[0]), TestUsers.ForAsync(_db, TestUsers.Camille).Result, Ct));
    }

    [Fact]
    public async Task LifeJob_RunsTheSessionFromItsFirstDay_AndFinishesItTheDayAfterItsLast_Idempotent()
    {
        // The session runs from Thu 01/07/2027 to its end (OfferBuilder: start + 120 days), Paris days.
        var (session, _, _) = await ArrangeAsync();
        var published = new List<SessionPlacesChanged>();
        using var subscription = _notifier.Subscribe<SessionPlacesChanged>(e => { published.Add(e); return Task.CompletedTask; });
        var job = new SessionLifeJob(_db, _clock, _notifier);
        async Task<SessionStatus> StatusAsync() => (await OfferBuilder.ReloadSessionAsync(_db, session)).Status;
        var end = (await OfferBuilder.ReloadSessionAsync(_db, session)).End;

        _clock.SetUtcNow(new DateTimeOffset(2027, 6, 30, 21, 59, 0, TimeSpan.Zero)); // 30/06 23:59 Paris
        await job.RunAsync(Ct);
        (await StatusAsync()).ShouldBe(SessionStatus.Open);

        _clock.SetUtcNow(new DateTimeOffset(2027, 6, 30, 22, 0, 0, TimeSpan.Zero)); // 01/07 00:00 Paris
        await job.RunAsync(Ct);
        await job.RunAsync(Ct);
        (await StatusAsync()).ShouldBe(SessionStatus.Running);

        _clock.SetUtcNow(FrenchTime.StartOfDay(end.AddDays(1)).AddMinutes(-1));
        await job.RunAsync(Ct);
        (await StatusAsync()).ShouldBe(SessionStatus.Running);
        _clock.SetUtcNow(FrenchTime.StartOfDay(end.AddDays(1)));
        await job.RunAsync(Ct);
        (await StatusAsync()).ShouldBe(SessionStatus.Finished);

        await _notifier.DrainAsync();
        published.Where(e => e.SessionId == session).Select(e => e.Status).ShouldBe([SessionStatus.Running, SessionStatus.Finished], "one live event per move, none for the idle runs");
    }

    [Fact]
    public async Task LifeJob_ASessionWhoseWholeLifeWentByUnseen_EndsFinished()
    {
        var (session, _, _) = await ArrangeAsync();
        var end = (await OfferBuilder.ReloadSessionAsync(_db, session)).End;
        _clock.SetUtcNow(FrenchTime.StartOfDay(end.AddDays(3)));

        await new SessionLifeJob(_db, _clock, _notifier).RunAsync(Ct);

        (await OfferBuilder.ReloadSessionAsync(_db, session)).Status.ShouldBe(SessionStatus.Finished);
    }

    [Fact]
    public async Task FinishedSession_RefusesNewMeetingsAndDecisions_S1_S2()
    {
        var (session, meeting, ids) = await ArrangeAsync((string?)null);
        await ConvokeAsync(meeting);
        await using (var db = _db.CreateDbContext())
            await db.Sessions.Where(s => s.Id == session).ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SessionStatus.Finished), Ct);
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);

        (await Should.ThrowAsync<DomainException>(() => new SaveInfoSession.Handler(_db, _clock, _notifier)
            .HandleAsync(new SaveInfoSession(session, null, InfoSessionKind.Collective, MeetingAt.AddDays(5), "Salle 2", null), julie, Ct))).Rule.ShouldBe("S2");
        int version;
        await using (var db = _db.CreateDbContext()) version = await db.AllPrescriptions.Where(p => p.Id == ids[0]).Select(p => p.Version).SingleAsync(Ct);
        var ex = await Should.ThrowAsync<DomainException>(() => new DecideSelection.Handler(_db, _clock, _notifier)
            .HandleAsync(new DecideSelection(session, [new DecisionTarget(ids[0], version)], BulkDecision.Select), julie, Ct));
        ex.Rule.ShouldBe("S1");
        ex.Message.ShouldContain("Terminée");
    }

    [Fact]
    public async Task Refusal_OnAVersionSeenBeforeThePrescriberJustifiedTheAbsence_IsRefusedInFrench_AndNothingChanges_S5()
    {
        var (session, meeting, ids) = await ArrangeAsync((string?)null);
        await ConvokeAsync(meeting);
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        _clock.SetUtcNow(MeetingAt.AddHours(3));
        await new RecordAttendances.Handler(_db, _clock, _notifier).HandleAsync(
            new RecordAttendances(meeting, [new RecordAttendances.Mark(ids[0], PrescriptionStatus.AbsentUnjustified)]), julie, Ct);
        int seen;
        await using (var db = _db.CreateDbContext()) seen = await db.AllPrescriptions.Where(p => p.Id == ids[0]).Select(p => p.Version).SingleAsync(Ct);
        // The OF opens the refusal on the version it saw; meanwhile the prescriber justifies the absence.
        await new JustifyAbsence.Handler(_db, _clock, _notifier).HandleAsync(new JustifyAbsence(ids[0], "Hospitalisée, certificat transmis"), camille, Ct);

        var ex = await Should.ThrowAsync<DomainException>(() => new NotSelectCandidate.Handler(_db, _clock, _notifier).HandleAsync(
            new NotSelectCandidate(session, new DecisionTarget(ids[0], seen), [new NonSelectionReason(NonSelectionReasonKind.ProjectNotValidated)],
                "Projet à retravailler.", "Projet à consolider."), julie, Ct));

        ex.Rule.ShouldBe("S5");
        ex.Message.ShouldContain("Le prescripteur vient de justifier l'absence de ce candidat (« Hospitalisée, certificat transmis »)");
        await using var check = _db.CreateDbContext();
        (await check.AllPrescriptions.SingleAsync(p => p.Id == ids[0], Ct)).Status.ShouldBe(PrescriptionStatus.AbsentJustified);
    }

    [Fact]
    public async Task Justification_AfterTheOfDecided_IsRefusedInFrench_S5()
    {
        var (session, meeting, ids) = await ArrangeAsync((string?)null);
        await ConvokeAsync(meeting);
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        _clock.SetUtcNow(MeetingAt.AddHours(3));
        await new RecordAttendances.Handler(_db, _clock, _notifier).HandleAsync(
            new RecordAttendances(meeting, [new RecordAttendances.Mark(ids[0], PrescriptionStatus.AbsentUnjustified)]), julie, Ct);
        int version;
        await using (var db = _db.CreateDbContext()) version = await db.AllPrescriptions.Where(p => p.Id == ids[0]).Select(p => p.Version).SingleAsync(Ct);
        await new NotSelectCandidate.Handler(_db, _clock, _notifier).HandleAsync(
            new NotSelectCandidate(session, new DecisionTarget(ids[0], version), [new NonSelectionReason(NonSelectionReasonKind.AbsentFromInfoSession)],
                "Absent à l'information collective.", "Absent sans justification."), julie, Ct);

        var ex = await Should.ThrowAsync<DomainException>(() => new JustifyAbsence.Handler(_db, _clock, _notifier)
            .HandleAsync(new JustifyAbsence(ids[0], "Malade"), TestUsers.ForAsync(_db, TestUsers.Camille).Result, Ct));

        ex.Rule.ShouldBe("S5");
        ex.Message.ShouldContain("a déjà décidé");
    }
}
