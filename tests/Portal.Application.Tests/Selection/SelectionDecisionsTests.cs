using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Features.Selection;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Portal.Application.Tests.Selection;

/// <summary>S1, S5, S7, S11, O9: the OF's decisions screen, its bulk decisions, the reasoned refusal, and the waiting list's promotion.</summary>
public sealed class SelectionDecisionsTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);
    private readonly RecordingPrescriptionChanges _recording = new();

    public void Dispose() => _recording.Dispose();

    private IAppDbContextFactory Db => fixture.Database;

    private DecideSelection.Handler Decide(IAppDbContextFactory? db = null) => new(db ?? Db, _clock, _recording.Notifier);

    private NotSelectCandidate.Handler Refuse(IAppDbContextFactory? db = null) => new(db ?? Db, _clock, _recording.Notifier);

    private static readonly NonSelectionReason[] Prerequisite = [NonSelectionReason.Prerequisite("Motivation pour le métier")];

    /// <summary>A fresh open session of Julie's with <paramref name="count"/> candidates of Camille's, each brought to <paramref name="status"/>.</summary>
    private async Task<(Guid Session, List<Guid> Prescriptions)> SessionAsync(int count, PrescriptionStatus status = PrescriptionStatus.Attended, int capacity = 12,
        Action<Domain.Offer.TrainingSession>? arrange = null)
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var session = await OfferBuilder.AddSessionAsync(fixture.Database, julie.OrganisationId, new DateOnly(2027, 2, 1), capacity: capacity, arrange: s =>
        {
            s.Publish(DemoDatabase.SeededAt);
            arrange?.Invoke(s);
        });
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var candidate = await new CreateCandidate.Handler(Db, _clock).HandleAsync(new CreateCandidate($"Cand{i}", "Décision", new DateOnly(1998, 1, 1 + i), "33063"), camille, Ct);
            ids.Add(await new Prescribe.Handler(Db, _clock, _recording.Notifier).HandleAsync(new Prescribe(candidate, session.Id, PrescribeTests.Form), camille, Ct));
        }
        await using var db = fixture.Database.CreateDbContext();
        foreach (var p in await db.Prescriptions.Where(p => ids.Contains(p.Id)).ToListAsync(Ct))
        {
            Meetings.ConvokeAt(db, p, julie.UserId, _clock.GetUtcNow());
            p.RecordAttendance(status, julie.UserId, _clock.GetUtcNow(), status == PrescriptionStatus.AbsentJustified ? "Rendez-vous Pôle santé, prévenu" : null);
        }
        await db.SaveChangesAsync(Ct);
        return (session.Id, ids);
    }

    private async Task<Prescription> LoadAsync(Guid id)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Prescriptions.AsNoTracking().SingleAsync(p => p.Id == id, Ct);
    }

    private async Task<DecisionTarget> TargetAsync(Guid id) => new(id, (await LoadAsync(id)).Version);

    private async Task<List<DecisionTarget>> TargetsAsync(IEnumerable<Guid> ids)
    {
        var list = new List<DecisionTarget>();
        foreach (var id in ids) list.Add(await TargetAsync(id));
        return list;
    }

    // ---- S1: the OF decides ----

    [Fact]
    public async Task BulkSelect_SelectsEveryCheckedCandidate_AndTellsThePrescribersLive_S1()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(3);

        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync(ids.Take(2)), BulkDecision.Select), julie, Ct);

        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.Selected);
        (await LoadAsync(ids[1])).Status.ShouldBe(PrescriptionStatus.Selected);
        (await LoadAsync(ids[2])).Status.ShouldBe(PrescriptionStatus.Attended);
        _recording.Published.Where(e => e.Status == PrescriptionStatus.Selected).Select(e => e.PrescriptionId).ShouldBe(ids.Take(2), ignoreOrder: true);
    }

    [Fact]
    public async Task Decisions_ByAPrescriber_AreRefused_AndAnotherTrainingBodyGetsNotFound_S1()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var (session, ids) = await SessionAsync(1);
        var targets = await TargetsAsync(ids);

        await Should.ThrowAsync<AccessDeniedException>(() => Decide().HandleAsync(new DecideSelection(session, targets, BulkDecision.Select), camille, Ct));
        await Should.ThrowAsync<NotFoundException>(() => Decide().HandleAsync(new DecideSelection(session, targets, BulkDecision.Select), thomas, Ct));
        await Should.ThrowAsync<NotFoundException>(() => Refuse().HandleAsync(
            new NotSelectCandidate(session, targets[0], Prerequisite, "Pour le candidat", "Pour le prescripteur"), thomas, Ct));
        await Should.ThrowAsync<NotFoundException>(() => new GetSessionDecisions.Handler(Db).HandleAsync(new GetSessionDecisions(session), thomas, Ct));
        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.Attended);
    }

    [Fact]
    public async Task TwoOfUsersDecidingTheSameCandidateAtOnce_OnlyTheFirstWins_TheOtherIsToldInFrench_S1()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(1);
        var seen = await TargetAsync(ids[0]);
        var otherRan = false;
        var slow = Decide(new GatedDbContextFactory(Db, async () =>
        {
            if (otherRan) return;
            otherRan = true;
            // The colleague refuses the same candidate between this user's read and write.
            await Refuse().HandleAsync(new NotSelectCandidate(session, seen, Prerequisite, "Pour le candidat", "Pour le prescripteur"), julie, Ct);
        }));

        var ex = await Should.ThrowAsync<DomainException>(() => slow.HandleAsync(new DecideSelection(session, [seen], BulkDecision.Select), julie, Ct));

        otherRan.ShouldBeTrue();
        ex.Rule.ShouldBe("S1");
        ex.Message.ShouldContain("Un autre utilisateur vient de décider");
        var stored = await LoadAsync(ids[0]);
        stored.Status.ShouldBe(PrescriptionStatus.NotSelected);
        _recording.Published.ShouldNotContain(e => e.PrescriptionId == ids[0] && e.Status == PrescriptionStatus.Selected);
    }

    [Fact]
    public async Task ADecisionBasedOnAnOutdatedView_IsRefused_S1()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(1);
        var seen = await TargetAsync(ids[0]);
        await Decide().HandleAsync(new DecideSelection(session, [seen], BulkDecision.Waitlist), julie, Ct);

        var ex = await Should.ThrowAsync<DomainException>(() => Decide().HandleAsync(new DecideSelection(session, [seen], BulkDecision.Select), julie, Ct));

        ex.Rule.ShouldBe("S1");
        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.Waitlisted);
    }

    // ---- S7, S5: the reasoned refusal ----

    [Fact]
    public async Task NotSelect_RecordsReasonsAndBothExplanations_AndThePrescriberReadsThem_S7()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var (session, ids) = await SessionAsync(1);

        await Refuse().HandleAsync(new NotSelectCandidate(session, await TargetAsync(ids[0]),
            [.. Prerequisite, new NonSelectionReason(NonSelectionReasonKind.Unavailable)],
            "Une immersion vous aidera à confirmer le projet.", "Motivation peu étayée à l'entretien."), julie, Ct);

        var seen = await new GetPrescription.Handler(Db, TimeProvider.System).HandleAsync(new GetPrescription(ids[0]), camille, Ct);
        seen.Status.ShouldBe(PrescriptionStatus.NotSelected);
        seen.Outcome.ShouldNotBeNull();
        seen.Outcome.Reasons.ShouldBe(["Prérequis non atteints : Motivation pour le métier", "Candidat indisponible aux dates de la session"]);
        seen.Outcome.PrescriberExplanation.ShouldBe("Motivation peu étayée à l'entretien.");
        seen.Outcome.CandidateExplanation.ShouldBe("Une immersion vous aidera à confirmer le projet.");
        _recording.Published.ShouldContain(e => e.PrescriptionId == ids[0] && e.Status == PrescriptionStatus.NotSelected);
    }

    [Fact]
    public async Task NotSelect_WithoutAnyReason_IsRefused_AndNothingChanges_S7()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(1);

        var target = await TargetAsync(ids[0]);

        var ex = await Should.ThrowAsync<DomainException>(() => Refuse().HandleAsync(new NotSelectCandidate(session, target, [], "Pour le candidat", "Pour le prescripteur"), julie, Ct));

        ex.Rule.ShouldBe("S7");
        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.Attended);
    }

    [Fact]
    public async Task NotSelect_WithAJustifiedAbsenceAsTheOnlyReason_IsRefused_S5()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(1, PrescriptionStatus.AbsentJustified);
        var target = await TargetAsync(ids[0]);

        var ex = await Should.ThrowAsync<DomainException>(() => Refuse().HandleAsync(new NotSelectCandidate(session, target,
            [new NonSelectionReason(NonSelectionReasonKind.AbsentFromInfoSession)], "Pour le candidat", "Pour le prescripteur"), julie, Ct));

        ex.Rule.ShouldBe("S5");
        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.AbsentJustified);

        // With another explicit reason, the same refusal is recorded.
        await Refuse().HandleAsync(new NotSelectCandidate(session, target,
            [new NonSelectionReason(NonSelectionReasonKind.AbsentFromInfoSession), .. Prerequisite], "Pour le candidat", "Pour le prescripteur"), julie, Ct);
        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.NotSelected);
    }

    [Fact]
    public async Task DecisionsScreen_SevenCandidates_PageSizeThree_InTheScreensOrder_ThirdPageHoldsOne_TotalSeven_S1()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        // Cand0..Cand6 Décision attended; Cand1 and Cand4 selected. Order: to decide (Cand0, 2, 3, 5, 6), then selected (Cand1, 4).
        var (session, ids) = await SessionAsync(7);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[1], ids[4]]), BulkDecision.Select), julie, Ct);
        var handler = new GetSessionDecisions.Handler(Db);

        var pages = new List<GetSessionDecisions.Result>();
        for (var skip = 0; skip < 9; skip += 3) pages.Add(await handler.HandleAsync(new GetSessionDecisions(session, skip, 3), julie, Ct));

        pages[0].Rows.Select(r => r.PrescriptionId).ShouldBe([ids[0], ids[2], ids[3]]);
        pages[1].Rows.Select(r => r.PrescriptionId).ShouldBe([ids[5], ids[6], ids[1]]);
        pages[2].Rows.Select(r => (r.PrescriptionId, r.CandidateName, r.Status)).ShouldBe([(ids[4], "DÉCISION Cand4", PrescriptionStatus.Selected)]);
        pages.ShouldAllBe(p => p.Total == 7 && p.Selected == 2);
        (await handler.HandleAsync(new GetSessionDecisions(session), julie, Ct)).Rows.Count.ShouldBe(7);
    }

    [Fact]
    public async Task DecisionsScreen_OffersTheFichesOwnCriteriaAndPrerequisites_AndFlagsJustifiedAbsences_S12_S5()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(1, PrescriptionStatus.AbsentJustified);

        var result = await new GetSessionDecisions.Handler(Db).HandleAsync(new GetSessionDecisions(session), julie, Ct);

        result.SelectionCriteria.ShouldBe(["Motivation pour le métier", "Aptitude physique"]);
        result.Prerequisites.ShouldBe("Savoirs de base.");
        var row = result.Rows.ShouldHaveSingleItem();
        row.PrescriptionId.ShouldBe(ids[0]);
        row.AbsenceJustified.ShouldBeTrue();
        row.AttendanceNote.ShouldBe("Rendez-vous Pôle santé, prévenu");
        row.CanBeDecided.ShouldBeTrue();
    }

    // ---- O9: the waiting list ----

    [Fact]
    public async Task Waitlist_RanksInOrderOfDecision_AndTheOfMayReorder_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(3);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[1], ids[0]]), BulkDecision.Waitlist), julie, Ct);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[2]]), BulkDecision.Waitlist), julie, Ct);

        (await LoadAsync(ids[1])).WaitlistRank.ShouldBe(1);
        (await LoadAsync(ids[0])).WaitlistRank.ShouldBe(2);
        (await LoadAsync(ids[2])).WaitlistRank.ShouldBe(3);

        await new MoveOnWaitlist.Handler(Db, _recording.Notifier).HandleAsync(new MoveOnWaitlist(session, await TargetAsync(ids[2]), Up: true), julie, Ct);

        (await LoadAsync(ids[2])).WaitlistRank.ShouldBe(2);
        (await LoadAsync(ids[0])).WaitlistRank.ShouldBe(3);
    }

    /// <summary>One selected candidate, and two waitlisted: the second decided is moved to the top by the OF.</summary>
    private async Task<(Guid Session, Guid Selected, Guid First, Guid Second)> SelectedAndWaitlistAsync(Action<Domain.Offer.TrainingSession>? arrange = null)
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(3, arrange: arrange);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[0]]), BulkDecision.Select), julie, Ct);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[1], ids[2]]), BulkDecision.Waitlist), julie, Ct);
        await new MoveOnWaitlist.Handler(Db, _recording.Notifier).HandleAsync(new MoveOnWaitlist(session, await TargetAsync(ids[2]), Up: true), julie, Ct);
        return (session, ids[0], ids[2], ids[1]);
    }

    [Fact]
    public async Task AWithdrawal_OfASelectedCandidate_OffersThePlaceToTheFirstOfTheWaitlist_NotTheSecond_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (_, selected, first, second) = await SelectedAndWaitlistAsync();

        await new RecordWithdrawal.Handler(Db, _clock, _recording.Notifier).HandleAsync(new RecordWithdrawal(selected, "a trouvé un emploi"), julie, Ct);

        (await LoadAsync(selected)).Status.ShouldBe(PrescriptionStatus.Withdrawn);
        var promoted = await LoadAsync(first);
        promoted.Status.ShouldBe(PrescriptionStatus.Selected);
        (await LoadAsync(second)).Status.ShouldBe(PrescriptionStatus.Waitlisted);
        await using var db = fixture.Database.CreateDbContext();
        (await db.PrescriptionTransitions.Where(t => t.PrescriptionId == first).OrderBy(t => t.Id).Select(t => t.Reason).LastAsync(Ct))
            .ShouldBe("Place libérée : proposée au premier de la liste d'attente (O9)");
        _recording.Published.ShouldContain(e => e.PrescriptionId == first && e.Status == PrescriptionStatus.Selected);
    }

    [Fact]
    public async Task TheCancellation_OfASelectedCandidate_ByThePrescriber_PromotesTheFirstOfTheWaitlist_O9()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var (_, selected, first, second) = await SelectedAndWaitlistAsync();

        await new CancelPrescription.Handler(Db, _clock, _recording.Notifier).HandleAsync(new CancelPrescription(selected, "Déménagement"), camille, Ct);

        (await LoadAsync(first)).Status.ShouldBe(PrescriptionStatus.Selected);
        (await LoadAsync(second)).Status.ShouldBe(PrescriptionStatus.Waitlisted);
        _recording.Published.ShouldContain(e => e.PrescriptionId == first && e.Status == PrescriptionStatus.Selected);
    }

    [Fact]
    public async Task AFreedPlace_WithAnEmptyWaitlist_ChangesNothingElse_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(2);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[0]]), BulkDecision.Select), julie, Ct);

        await new RecordWithdrawal.Handler(Db, _clock, _recording.Notifier).HandleAsync(new RecordWithdrawal(ids[0]), julie, Ct);

        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.Withdrawn);
        (await LoadAsync(ids[1])).Status.ShouldBe(PrescriptionStatus.Attended, "a candidate not on the waiting list is not promoted");
        _recording.Published.Where(e => e.SessionId == session && e.Status == PrescriptionStatus.Selected).Select(e => e.PrescriptionId).ShouldBe([ids[0]]);
    }

    [Fact]
    public async Task OpeningMorePlaces_OffersThemToTheFirstsOfTheWaitlist_InRankOrder_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(3, arrange: s => s.SetOpenPlaces(5));
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[2], ids[0], ids[1]]), BulkDecision.Waitlist), julie, Ct);

        await new UpdateOpenPlaces.Handler(Db, _recording.Notifier, _clock).HandleAsync(new UpdateOpenPlaces(session, 7), julie, Ct);

        (await LoadAsync(ids[2])).Status.ShouldBe(PrescriptionStatus.Selected);
        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.Selected);
        (await LoadAsync(ids[1])).Status.ShouldBe(PrescriptionStatus.Waitlisted);

        // Fewer places: nobody is promoted.
        await new UpdateOpenPlaces.Handler(Db, _recording.Notifier, _clock).HandleAsync(new UpdateOpenPlaces(session, 6), julie, Ct);
        (await LoadAsync(ids[1])).Status.ShouldBe(PrescriptionStatus.Waitlisted);
    }

    // ---- S11, P6, O9: entry ----

    [Fact]
    public async Task Entry_WithoutAPrescription_IsRefused_S11()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);

        await Should.ThrowAsync<NotFoundException>(() => new RecordEntry.Handler(Db, _clock, _recording.Notifier).HandleAsync(new RecordEntry(Guid.CreateVersion7()), julie, Ct));
    }

    [Fact]
    public async Task Entry_OfANotSelectedCandidate_IsRefused_S11()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(1);
        await Refuse().HandleAsync(new NotSelectCandidate(session, await TargetAsync(ids[0]), Prerequisite, "Pour le candidat", "Pour le prescripteur"), julie, Ct);

        await Should.ThrowAsync<DomainException>(() => new RecordEntry.Handler(Db, _clock, _recording.Notifier).HandleAsync(new RecordEntry(ids[0]), julie, Ct));
        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.NotSelected);
    }

    [Fact]
    public async Task Entry_Elsewhere_CancelsASelectedChoice_AndItsPlaceGoesToThatWaitlist_P6_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var (_, selected, first, second) = await SelectedAndWaitlistAsync();
        // The selected candidate is also selected on another session of Julie's, and enters there.
        var (other, _) = await SessionAsync(0);
        var candidate = (await LoadAsync(selected)).CandidateId;
        var elsewhere = await new Prescribe.Handler(Db, _clock, _recording.Notifier).HandleAsync(new Prescribe(candidate, other, PrescribeTests.Form), camille, Ct);
        await using (var db = fixture.Database.CreateDbContext())
        {
            var p = await db.Prescriptions.SingleAsync(x => x.Id == elsewhere, Ct);
            Meetings.ConvokeAt(db, p, julie.UserId, _clock.GetUtcNow());
            p.RecordAttendance(PrescriptionStatus.Attended, julie.UserId, _clock.GetUtcNow());
            p.Select(julie.UserId, _clock.GetUtcNow());
            await db.SaveChangesAsync(Ct);
        }

        await new RecordEntry.Handler(Db, _clock, _recording.Notifier).HandleAsync(new RecordEntry(elsewhere), julie, Ct);

        (await LoadAsync(selected)).Status.ShouldBe(PrescriptionStatus.Cancelled);
        (await LoadAsync(first)).Status.ShouldBe(PrescriptionStatus.Selected);
        (await LoadAsync(second)).Status.ShouldBe(PrescriptionStatus.Waitlisted);
        _recording.Published.ShouldContain(e => e.PrescriptionId == first && e.Status == PrescriptionStatus.Selected);
    }
}
