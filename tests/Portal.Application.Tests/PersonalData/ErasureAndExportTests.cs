using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.PersonalData;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.PersonalData;

/// <summary>
/// Issue #14 (4), ADR 0025: a candidate's copy of their data (JSON and readable page) and the erasure on request, by the
/// référent of their prescriber organisation; both logged; another organisation answered "not found" like an unknown id.
/// </summary>
public sealed class ErasureAndExportTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Now = new(2027, 1, 15, 10, 0, 0, TimeSpan.Zero);

    private TestDatabase _db = null!;
    private CurrentUser _camille = null!, _sophie = null!, _karim = null!, _julie = null!, _claire = null!;
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly TempFileStore _files = new();

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        _sophie = await TestUsers.ForAsync(_db, TestUsers.Sophie);
        _karim = await TestUsers.ForAsync(_db, TestUsers.Karim);
        _julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        _claire = await TestUsers.ForAsync(_db, TestUsers.Claire);
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        _files.Dispose();
    }

    /// <summary>A candidate followed by Camille: one prescription selected (holding a place), one submitted, one not selected (closed).</summary>
    private async Task<(Guid Candidate, Guid Selected, Guid Submitted, Guid Closed, Guid Session)> ScenarioAsync()
    {
        var session = await OfferBuilder.AddSessionAsync(_db, _julie.OrganisationId, new DateOnly(2027, 3, 1), capacity: 2, arrange: s => s.Publish(Now.AddDays(-30)));
        var other = await OfferBuilder.AddSessionAsync(_db, _julie.OrganisationId, new DateOnly(2027, 3, 8), arrange: s => s.Publish(Now.AddDays(-30)));
        var third = await OfferBuilder.AddSessionAsync(_db, _julie.OrganisationId, new DateOnly(2027, 3, 15), arrange: s => s.Publish(Now.AddDays(-30)));
        var candidate = new Candidate(_camille.OrganisationId, _camille.UserId, "Inès", "Garnier", new DateOnly(1999, 5, 4), "33063", Now.AddDays(-20));
        candidate.SetContact("ines.garnier@exemple.fr", "06 11 22 33 44");
        var selected = new Prescription(candidate.Id, session.Id, _julie.OrganisationId, _camille.OrganisationId, _camille.UserId, 1, PrescribeTests.Form, Now.AddDays(-19));
        var submitted = new Prescription(candidate.Id, other.Id, _julie.OrganisationId, _camille.OrganisationId, _camille.UserId, 2, PrescribeTests.Form, Now.AddDays(-19));
        var closed = new Prescription(candidate.Id, third.Id, _julie.OrganisationId, _camille.OrganisationId, _camille.UserId, 3, PrescribeTests.Form, Now.AddDays(-19));
        await using (var db = _db.CreateDbContext())
        {
            db.AllCandidates.Add(candidate);
            db.AllPrescriptions.AddRange(selected, submitted, closed);
            Meetings.ConvokeAt(db, selected, _julie.UserId, Now.AddDays(-15));
            selected.RecordAttendance(PrescriptionStatus.Attended, _julie.UserId, Now.AddDays(-7));
            selected.Select(_julie.UserId, Now.AddDays(-6));
            Meetings.ConvokeAt(db, closed, _julie.UserId, Now.AddDays(-15));
            closed.RecordAttendance(PrescriptionStatus.Attended, _julie.UserId, Now.AddDays(-7));
            closed.NotSelect([NonSelectionReason.OtherReason("Inès préfère attendre")], "Revenez en juin.", "Projet à mûrir.", _julie.UserId, Now.AddDays(-6));
            db.AllComplementThreads.Add(new ComplementThread(submitted.Id, _camille.UserId, false, "Inès garde sa fille le mardi.", Now.AddDays(-18)));
            db.AllCandidateLinks.Add(CandidateLink.Create(candidate.Id, _camille.UserId, Now.AddDays(-18), TimeSpan.FromDays(30), out _));
            await db.SaveChangesAsync(Ct);
        }
        // Places recounted as the handlers keep them (O8): one of two held by the selected candidate.
        await using (var db = _db.CreateDbContext())
        {
            await Portal.Application.Features.Sessions.SessionPlaces.RecountAsync(db, [session.Id], Ct);
            await db.SaveChangesAsync(Ct);
        }
        await new Portal.Application.Features.Prescriptions.AddPrescriptionAttachment.Handler(_db, _files.Store, _clock)
            .HandleAsync(new(submitted.Id, new MemoryStream("%PDF-1.7 cv"u8.ToArray()), "cv-ines.pdf"), _camille, Ct);
        return (candidate.Id, selected.Id, submitted.Id, closed.Id, session.Id);
    }

    private ExportCandidateData.Handler Export => new(_db, _clock);

    private EraseCandidate.Handler Erase(ILiveNotifier notifier) => new(_db, _clock, notifier, _files.Store);

    private async Task<List<PersonalDataLogEntry>> LogAsync(Guid candidateId)
    {
        await using var db = _db.CreateDbContext();
        return await db.AllPersonalDataLog.AsNoTracking().Where(l => l.CandidateId == candidateId).OrderBy(l => l.Id).ToListAsync(Ct);
    }

    [Fact]
    public async Task Export_ByTheFollowingPrescriber_HoldsEveryStoredField_TheHistory_TheMessages_TheAttachmentsList_AndIsLogged()
    {
        var (id, selected, submitted, closed, _) = await ScenarioAsync();

        var copy = await Export.HandleAsync(new ExportCandidateData(id, CandidateDataFormat.Json), _camille, Ct);

        copy.Candidate.FirstName.ShouldBe("Inès");
        copy.Candidate.LastName.ShouldBe("Garnier");
        copy.Candidate.BirthDate.ShouldBe(new DateOnly(1999, 5, 4));
        copy.Candidate.Email.ShouldBe("ines.garnier@exemple.fr");
        copy.Candidate.Phone.ShouldBe("06 11 22 33 44");
        copy.Candidate.FollowedBy.ShouldBe("Camille Durand");
        copy.Prescriptions.Select(p => p.Id).ShouldBe([selected, submitted, closed], ignoreOrder: true);
        var notSelected = copy.Prescriptions.Single(p => p.Id == closed);
        notSelected.Status.ShouldBe("Non retenue");
        notSelected.NonSelectionReasons.ShouldBe(["Autre motif : Inès préfère attendre"]);
        notSelected.CandidateExplanation.ShouldBe("Revenez en juin.");
        notSelected.History.Select(h => h.To).ShouldBe(["Prescrite", "Convoquée", "Présente", "Non retenue"]);
        var withThread = copy.Prescriptions.Single(p => p.Id == submitted);
        withThread.Messages.Select(m => m.Body).ShouldBe(["Inès garde sa fille le mardi."]);
        withThread.Attachments.Select(a => a.FileName).ShouldBe(["cv-ines.pdf"]);
        withThread.Form.PriorPath.ShouldBe(PrescribeTests.Form.PriorPath);
        copy.PersonalLinks.Count.ShouldBe(1);

        var log = await LogAsync(id);
        log.Count.ShouldBe(1);
        (log[0].UserId, log[0].Action, log[0].At, log[0].Detail).ShouldBe((_camille.UserId, PersonalDataAction.Export, Now, "Copie des données (JSON)"));
    }

    [Fact]
    public async Task Export_ByTheOrganisationsReferent_IsAllowed_ByAnotherOrganisationsReferent_IsNotFound_LikeAnUnknownId()
    {
        var (id, _, _, _, _) = await ScenarioAsync();

        (await Export.HandleAsync(new ExportCandidateData(id, CandidateDataFormat.Html), _sophie, Ct)).Candidate.LastName.ShouldBe("Garnier");
        var other = await Should.ThrowAsync<NotFoundException>(() => Export.HandleAsync(new ExportCandidateData(id, CandidateDataFormat.Json), _karim, Ct));
        var unknown = await Should.ThrowAsync<NotFoundException>(() => Export.HandleAsync(new ExportCandidateData(Guid.CreateVersion7(), CandidateDataFormat.Json), _karim, Ct));
        other.Message.ShouldBe(unknown.Message);
        await Should.ThrowAsync<AccessDeniedException>(() => Export.HandleAsync(new ExportCandidateData(id, CandidateDataFormat.Json), _julie, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Export.HandleAsync(new ExportCandidateData(id, CandidateDataFormat.Json), _claire, Ct));

        // Only the référent's download is logged; the refused ones are not.
        (await LogAsync(id)).Select(l => (l.UserId, l.Detail)).ShouldBe([(_sophie.UserId, "Copie des données (page lisible)")]);
    }

    [Fact]
    public async Task Export_ByAColleagueWhoDoesNotFollowTheCandidate_IsRefused_AndNotLogged()
    {
        Guid id;
        await using (var db = _db.CreateDbContext())
        {
            var followedBySophie = new Candidate(_sophie.OrganisationId, _sophie.UserId, "Théo", "Vasseur", new DateOnly(1993, 1, 8), "33063", Now);
            db.AllCandidates.Add(followedBySophie);
            await db.SaveChangesAsync(Ct);
            id = followedBySophie.Id;
        }

        var refused = await Should.ThrowAsync<AccessDeniedException>(() => Export.HandleAsync(new ExportCandidateData(id, CandidateDataFormat.Json), _camille, Ct));

        refused.Message.ShouldBe("La copie des données d'un candidat est réservée au référent de l'organisation et au prescripteur qui le suit.");
        (await LogAsync(id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ErasureEffects_ListTheOpenPrescriptionsWithdrawn_AndTheClosedOnesKept()
    {
        var (id, selected, submitted, closed, _) = await ScenarioAsync();

        var effects = await new GetErasureEffects.Handler(_db).HandleAsync(new GetErasureEffects(id), _sophie, Ct);

        effects.CandidateName.ShouldBe("Inès Garnier");
        effects.Withdrawn.Select(p => p.PrescriptionId).ShouldBe([selected, submitted], ignoreOrder: true);
        effects.Kept.Select(p => p.PrescriptionId).ShouldBe([closed]);
        effects.Attachments.ShouldBe(1);
        effects.ActiveLinks.ShouldBe(1);
        effects.Messages.ShouldBe(1);
    }

    [Fact]
    public async Task Erasure_ByTheReferent_WithdrawsTheOpenPrescriptions_OpensTheHeldPlace_PseudonymisesAtOnce_LogsAndPublishes()
    {
        var (id, selected, submitted, closed, session) = await ScenarioAsync();
        using var pseudonymised = new RecordingNotifier<CandidatesPseudonymised>();
        using var changes = new RecordingPrescriptionChanges();
        var notifier = new FanOut(pseudonymised.Notifier, changes.Notifier);

        var result = await Erase(notifier).HandleAsync(new EraseCandidate(id), _sophie, Ct);

        result.Withdrawn.ShouldBe(2);
        await using var db = _db.CreateDbContext();
        var statuses = await db.AllPrescriptions.Where(p => p.CandidateId == id).ToDictionaryAsync(p => p.Id, p => p.Status, Ct);
        statuses[selected].ShouldBe(PrescriptionStatus.Withdrawn);
        statuses[submitted].ShouldBe(PrescriptionStatus.Withdrawn);
        statuses[closed].ShouldBe(PrescriptionStatus.NotSelected);
        var motives = await db.AllPrescriptionTransitions.Where(t => t.PrescriptionId == selected && t.To == PrescriptionStatus.Withdrawn).Select(t => new { t.Reason, t.ByUserId, t.At }).SingleAsync(Ct);
        (motives.Reason, motives.ByUserId, motives.At).ShouldBe(("Effacement des données à la demande du candidat", (Guid?)_sophie.UserId, Now));
        // O8: capacity 2, the one place held is free again.
        (await db.Sessions.Where(s => s.Id == session).Select(s => s.OpenPlaces).SingleAsync(Ct)).ShouldBe(2);
        var candidate = await db.AllCandidates.AsNoTracking().SingleAsync(c => c.Id == id, Ct);
        (candidate.IsPseudonymised, candidate.DisplayName, candidate.Email, candidate.PseudonymisedAt).ShouldBe((true, "Candidat anonymisé", (string?)null, (DateTimeOffset?)Now));
        (await db.AllPrescriptionAttachments.CountAsync(a => a.PrescriptionId == submitted, Ct)).ShouldBe(0);
        _files.Files().ShouldBeEmpty();
        (await LogAsync(id)).Select(l => (l.UserId, l.Action, l.At, l.Detail)).ShouldBe([(_sophie.UserId, PersonalDataAction.Erasure, Now, "2 prescription(s) en cours retirée(s)")]);
        // Issue #14 (2): in the audit log too, without the name being erased.
        var audit = await db.AllAuditEntries.Where(a => a.TargetId == id).Select(a => new { a.ActorId, a.Action, a.At, a.Target, a.After }).SingleAsync(Ct);
        audit.ShouldBe(new { ActorId = _sophie.UserId, Action = Portal.Domain.Audit.AuditAction.CandidateErased, At = Now, Target = "Candidat anonymisé", After = (string?)"2 prescription(s) en cours retirée(s)" });
        pseudonymised.Published.Single().CandidateIds.ShouldBe([id]);
        changes.Batches.SelectMany(b => b.Changes).Select(c => (c.PrescriptionId, c.Status)).ShouldBe(
            [(selected, PrescriptionStatus.Withdrawn), (submitted, PrescriptionStatus.Withdrawn)], ignoreOrder: true);
    }

    [Fact]
    public async Task Erasure_ByAnotherOrganisationsReferent_IsNotFound_AndChangesNothing_ByAPrescriberOrAnOf_IsRefused()
    {
        var (id, selected, _, _, _) = await ScenarioAsync();
        var notifier = new RecordingNotifier<CandidatesPseudonymised>();

        var other = await Should.ThrowAsync<NotFoundException>(() => Erase(notifier.Notifier).HandleAsync(new EraseCandidate(id), _karim, Ct));
        var unknown = await Should.ThrowAsync<NotFoundException>(() => Erase(notifier.Notifier).HandleAsync(new EraseCandidate(Guid.CreateVersion7()), _karim, Ct));
        other.Message.ShouldBe(unknown.Message);
        await Should.ThrowAsync<AccessDeniedException>(() => Erase(notifier.Notifier).HandleAsync(new EraseCandidate(id), _camille, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Erase(notifier.Notifier).HandleAsync(new EraseCandidate(id), _julie, Ct));
        await Should.ThrowAsync<NotFoundException>(() => new GetErasureEffects.Handler(_db).HandleAsync(new GetErasureEffects(id), _karim, Ct));

        await using var db = _db.CreateDbContext();
        (await db.AllCandidates.Where(c => c.Id == id).Select(c => new { c.LastName, c.IsPseudonymised }).SingleAsync(Ct)).ShouldBe(new { LastName = "Garnier", IsPseudonymised = false });
        (await db.AllPrescriptions.Where(p => p.Id == selected).Select(p => p.Status).SingleAsync(Ct)).ShouldBe(PrescriptionStatus.Selected);
        (await LogAsync(id)).ShouldBeEmpty();
        notifier.Published.ShouldBeEmpty();
    }

    [Fact]
    public async Task Erasure_Twice_IsRefusedInFrench()
    {
        var (id, _, _, _, _) = await ScenarioAsync();
        using var notifier = new RecordingNotifier<CandidatesPseudonymised>();
        await Erase(notifier.Notifier).HandleAsync(new EraseCandidate(id), _sophie, Ct);

        var again = await Should.ThrowAsync<DomainException>(() => Erase(notifier.Notifier).HandleAsync(new EraseCandidate(id), _sophie, Ct));

        again.Message.ShouldBe("Les données de ce candidat ont déjà été effacées.");
    }

    [Fact]
    public async Task Erasure_TheListsShowCandidatAnonymise_ThePrescribersDashboard_AndTheOfsDecisions()
    {
        var (id, _, _, closed, _) = await ScenarioAsync();
        using var notifier = new RecordingNotifier<CandidatesPseudonymised>();
        await Erase(notifier.Notifier).HandleAsync(new EraseCandidate(id), _sophie, Ct);

        var dashboard = await new Portal.Application.Features.Home.GetPrescriberDashboard.Handler(_db, _clock)
            .HandleAsync(new Portal.Application.Features.Home.GetPrescriberDashboard(true, Take: 500), _sophie, Ct);
        var row = dashboard.Rows.Single(r => r.CandidateId == id);
        row.FormalName.ShouldBe("Candidat anonymisé");
        dashboard.Rows.ShouldNotContain(r => r.LastName == "Garnier");

        Guid session;
        await using (var db = _db.CreateDbContext())
            session = await db.AllPrescriptions.Where(p => p.Id == closed).Select(p => p.SessionId).SingleAsync(Ct);
        var decisions = await new Portal.Application.Features.Selection.GetSessionDecisions.Handler(_db)
            .HandleAsync(new Portal.Application.Features.Selection.GetSessionDecisions(session), _julie, Ct);
        decisions.Rows.Single(r => r.PrescriptionId == closed).CandidateName.ShouldBe("Candidat anonymisé");
        decisions.Rows.ShouldNotContain(r => r.CandidateName.Contains("GARNIER"));
    }

    /// <summary>Publishes to several notifiers (one recorder per event type), subscribing on the first.</summary>
    private sealed class FanOut(params ILiveNotifier[] notifiers) : ILiveNotifier
    {
        public async Task PublishAsync<TEvent>(TEvent liveEvent, CancellationToken cancellationToken = default) where TEvent : ILiveEvent
        {
            foreach (var n in notifiers) await n.PublishAsync(liveEvent, cancellationToken);
        }

        public IDisposable Subscribe<TEvent>(Func<TEvent, Task> handler) where TEvent : ILiveEvent => notifiers[0].Subscribe(handler);

        public IDisposable Subscribe<TEvent>(Guid topic, Func<TEvent, Task> handler) where TEvent : ILiveEvent => notifiers[0].Subscribe(topic, handler);
    }
}
