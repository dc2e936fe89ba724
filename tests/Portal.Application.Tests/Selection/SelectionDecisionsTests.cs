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

/// <summary>S1, S5, S7, S11, O8, O9: the OF's decisions screen, its bulk decisions, the reasoned refusal, the open places and the waiting list's offers.</summary>
public class SelectionDecisionsTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>, IDisposable
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
            _clock.Advance(TimeSpan.FromMinutes(1)); // O9: ids[i] is prescribed before ids[i + 1]
        }
        await using var db = fixture.Database.CreateDbContext();
        foreach (var p in await db.AllPrescriptions.Where(p => ids.Contains(p.Id)).ToListAsync(Ct))
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
        return await db.AllPrescriptions.AsNoTracking().SingleAsync(p => p.Id == id, Ct);
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

    // ---- O9: the waiting list, in one order ----

    private async Task<int> OpenPlacesAsync(Guid session)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Sessions.Where(s => s.Id == session).Select(s => s.OpenPlaces).SingleAsync(Ct);
    }

    private Task<GetSessionDecisions.Result> DecisionsAsync(Guid session, CurrentUser user) =>
        new GetSessionDecisions.Handler(Db).HandleAsync(new GetSessionDecisions(session), user, Ct);

    [Fact]
    public async Task Waitlist_FollowsTheDateOfPrescription_NotTheOrderOfDecision_UntilTheOfRanks_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(3); // prescribed in the order ids[0], ids[1], ids[2]
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[2]]), BulkDecision.Waitlist), julie, Ct);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[1], ids[0]]), BulkDecision.Waitlist), julie, Ct);

        var waiting = (await DecisionsAsync(session, julie)).Rows.Where(r => r.Status == PrescriptionStatus.Waitlisted).ToList();
        waiting.Select(r => r.PrescriptionId).ShouldBe([ids[0], ids[1], ids[2]]);
        waiting.Select(r => r.WaitlistRank).ShouldBe([1, 2, 3]);

        // The OF ranks after selection: ids[2] moves up one, above ids[1].
        await new MoveOnWaitlist.Handler(Db, _recording.Notifier).HandleAsync(new MoveOnWaitlist(session, await TargetAsync(ids[2]), Up: true), julie, Ct);

        waiting = (await DecisionsAsync(session, julie)).Rows.Where(r => r.Status == PrescriptionStatus.Waitlisted).ToList();
        waiting.Select(r => r.PrescriptionId).ShouldBe([ids[0], ids[2], ids[1]]);
        waiting.Select(r => r.WaitlistRank).ShouldBe([1, 2, 3]);
    }

    [Fact]
    public async Task OpenPlaces_Capacity5_Select3_Offer1_Is1_TheOfLowersTo0_AndRaisesBackTo1_NotTo2_O8_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(5, capacity: 5);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[0], ids[1], ids[2]]), BulkDecision.Select), julie, Ct);
        (await OpenPlacesAsync(session)).ShouldBe(2); // 5 − 3 selected
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[3], ids[4]]), BulkDecision.Waitlist), julie, Ct);
        (await OpenPlacesAsync(session)).ShouldBe(2); // waiting holds no place
        await new OfferPlace.Handler(Db, _clock, _recording.Notifier)
            .HandleAsync(new OfferPlace(session, await TargetAsync(ids[3]), new DateOnly(2026, 12, 4)), julie, Ct);
        (await OpenPlacesAsync(session)).ShouldBe(1); // 5 − 3 selected − 1 offered

        var places = new UpdateOpenPlaces.Handler(Db, _recording.Notifier);
        await places.HandleAsync(new UpdateOpenPlaces(session, 0), julie, Ct); // one place kept for other financing
        (await OpenPlacesAsync(session)).ShouldBe(0);
        var ex = await Should.ThrowAsync<DomainException>(() => places.HandleAsync(new UpdateOpenPlaces(session, 2), julie, Ct));
        ex.Rule.ShouldBe("O8");
        ex.Message.ShouldContain("entre 0 et 1");
        (await OpenPlacesAsync(session)).ShouldBe(0);
        await places.HandleAsync(new UpdateOpenPlaces(session, 1), julie, Ct);
        (await OpenPlacesAsync(session)).ShouldBe(1);
        (await LoadAsync(ids[4])).Status.ShouldBe(PrescriptionStatus.Waitlisted, "raising the places gives nobody a place by itself (S1)");
        _recording.Places.Where(e => e.SessionId == session).Select(e => e.OpenPlaces).ShouldBe([2, 1, 0, 1]);
    }

    [Fact]
    public async Task Selecting_WhenNoPlaceIsOpen_IsRefusedInFrench_SuggestingTheWaitingList_O8()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(3, capacity: 2);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[0], ids[1]]), BulkDecision.Select), julie, Ct);

        var third = await TargetAsync(ids[2]);
        var ex = await Should.ThrowAsync<DomainException>(() => Decide().HandleAsync(new DecideSelection(session, [third], BulkDecision.Select), julie, Ct));

        ex.Rule.ShouldBe("O8");
        ex.Message.ShouldContain("Aucune place ouverte");
        ex.Message.ShouldContain("liste d'attente");
        (await LoadAsync(ids[2])).Status.ShouldBe(PrescriptionStatus.Attended);
        (await OpenPlacesAsync(session)).ShouldBe(0);
    }

    [Fact]
    public async Task TwoUsersTakingTheLastPlace_CannotBothWin_TheSecondIsToldInFrench_O8()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(3, capacity: 2);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[0]]), BulkDecision.Select), julie, Ct);
        var mine = await TargetAsync(ids[1]);
        var colleagues = await TargetAsync(ids[2]);
        var otherRan = false;
        // Two units of work: this one has read the session (1 place open) when a colleague takes the last place and saves.
        var slow = Decide(new GatedDbContextFactory(Db, async () =>
        {
            if (otherRan) return;
            otherRan = true;
            await Decide().HandleAsync(new DecideSelection(session, [colleagues], BulkDecision.Select), julie, Ct);
        }));

        var ex = await Should.ThrowAsync<DomainException>(() => slow.HandleAsync(new DecideSelection(session, [mine], BulkDecision.Select), julie, Ct));

        otherRan.ShouldBeTrue();
        ex.Rule.ShouldBe("O8");
        ex.Message.ShouldContain("Les places de la session viennent de changer");
        (await LoadAsync(ids[1])).Status.ShouldBe(PrescriptionStatus.Attended);
        (await LoadAsync(ids[2])).Status.ShouldBe(PrescriptionStatus.Selected);
        (await OpenPlacesAsync(session)).ShouldBe(0); // 2 − 2 selected, not −1
    }

    /// <summary>A full session of capacity 2 (ids[0], ids[1] selected) with ids[2], ids[3], ids[4] waiting in that order.</summary>
    private async Task<(Guid Session, List<Guid> Ids)> FullSessionWithThreeWaitingAsync()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(5, capacity: 2);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[0], ids[1]]), BulkDecision.Select), julie, Ct);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[4], ids[2], ids[3]]), BulkDecision.Waitlist), julie, Ct);
        (await OpenPlacesAsync(session)).ShouldBe(0);
        return (session, ids);
    }

    [Fact]
    public async Task AWithdrawal_OfASelectedCandidate_OpensAPlace_GivesItToNobody_AndTellsTheOfSomeoneWaits_O8_O9_S1()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await FullSessionWithThreeWaitingAsync();

        await new RecordWithdrawal.Handler(Db, _clock, _recording.Notifier).HandleAsync(new RecordWithdrawal(ids[0], "a trouvé un emploi"), julie, Ct);

        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.Withdrawn);
        (await OpenPlacesAsync(session)).ShouldBe(1); // 2 − 1 selected
        (await LoadAsync(ids[2])).Status.ShouldBe(PrescriptionStatus.Waitlisted, "a freed place is not given by itself any more");
        var screen = await DecisionsAsync(session, julie);
        screen.PlaceToOffer.ShouldBeTrue();
        screen.Waiting.ShouldBe(3);
        screen.Rows.Single(r => r.IsFirstWaiting).PrescriptionId.ShouldBe(ids[2]);
        _recording.Places.Last(e => e.SessionId == session).OpenPlaces.ShouldBe(1);
        _recording.Batches.Last().Changes.Select(c => (c.PrescriptionId, c.Status)).ShouldBe([(ids[0], PrescriptionStatus.Withdrawn)]);
    }

    [Fact]
    public async Task TheOffer_GoesToTheFirstOfTheList_Only_AndTakesThePlace_WithTheOfUserInTheHistory_O9_S1()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await FullSessionWithThreeWaitingAsync();
        await new RecordWithdrawal.Handler(Db, _clock, _recording.Notifier).HandleAsync(new RecordWithdrawal(ids[0]), julie, Ct);
        var offer = new OfferPlace.Handler(Db, _clock, _recording.Notifier);

        var second = await TargetAsync(ids[3]);
        var notFirst = await Should.ThrowAsync<DomainException>(() => offer.HandleAsync(new OfferPlace(session, second, new DateOnly(2026, 12, 4)), julie, Ct));
        notFirst.Rule.ShouldBe("O9");
        await offer.HandleAsync(new OfferPlace(session, await TargetAsync(ids[2]), new DateOnly(2026, 12, 4)), julie, Ct);

        var offered = await LoadAsync(ids[2]);
        offered.Status.ShouldBe(PrescriptionStatus.PlaceOffered);
        offered.OfferDeadline.ShouldBe(new DateOnly(2026, 12, 4));
        (await OpenPlacesAsync(session)).ShouldBe(0); // 2 − 1 selected − 1 offered
        await using (var db = fixture.Database.CreateDbContext())
            (await db.AllPrescriptionTransitions.Where(t => t.PrescriptionId == ids[2]).OrderBy(t => t.Id).Select(t => t.ByUserId).LastAsync(Ct)).ShouldBe(julie.UserId);
        _recording.Published.ShouldContain(e => e.PrescriptionId == ids[2] && e.Status == PrescriptionStatus.PlaceOffered);

        // No place left: a second offer is refused.
        second = await TargetAsync(ids[3]);
        var full = await Should.ThrowAsync<DomainException>(() => offer.HandleAsync(new OfferPlace(session, second, new DateOnly(2026, 12, 4)), julie, Ct));
        full.Rule.ShouldBe("O8"); // ids[3] is now the first waiting, but no place is open
        (await LoadAsync(ids[3])).Status.ShouldBe(PrescriptionStatus.Waitlisted);
    }

    [Fact]
    public async Task Declined_ThenTheNextIsOffered_NoAnswerByTheDeadline_ThenTheNextByTheJob_Accepted_ThenSelected_StillNoPlaceOpen_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var (session, ids) = await FullSessionWithThreeWaitingAsync();
        await new RecordWithdrawal.Handler(Db, _clock, _recording.Notifier).HandleAsync(new RecordWithdrawal(ids[0]), julie, Ct);
        // Today is 27/11/2026 (12:00 in Paris); the OF gives 5 days: until 02/12/2026.
        await new OfferPlace.Handler(Db, _clock, _recording.Notifier).HandleAsync(new OfferPlace(session, await TargetAsync(ids[2]), new DateOnly(2026, 12, 2)), julie, Ct);
        var answer = new AnswerPlaceOffer.Handler(Db, _clock, _recording.Notifier);

        // Declined the next day (28/11): ids[3] is offered the place, with the same 5 days: until 03/12/2026.
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        await answer.HandleAsync(new AnswerPlaceOffer(ids[2], (await LoadAsync(ids[2])).Version, Accepted: false), camille, Ct);
        (await LoadAsync(ids[2])).Status.ShouldBe(PrescriptionStatus.Withdrawn);
        var next = await LoadAsync(ids[3]);
        next.Status.ShouldBe(PrescriptionStatus.PlaceOffered);
        next.OfferDeadline.ShouldBe(new DateOnly(2026, 12, 3));
        (await OpenPlacesAsync(session)).ShouldBe(0);
        _recording.Batches.Last().Changes.Select(c => (c.PrescriptionId, c.Status))
            .ShouldBe([(ids[2], PrescriptionStatus.Withdrawn), (ids[3], PrescriptionStatus.PlaceOffered)]);

        // No answer: on 03/12 at 23:30 in Paris (22:30 UTC) the deadline day is not over; at 00:30 on 04/12 (23:30 UTC) it is.
        var job = new LapsePlaceOffersJob(Db, _clock, _recording.Notifier);
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 3, 22, 30, 0, TimeSpan.Zero));
        await job.RunAsync(Ct);
        (await LoadAsync(ids[3])).Status.ShouldBe(PrescriptionStatus.PlaceOffered);
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 3, 23, 30, 0, TimeSpan.Zero));
        await job.RunAsync(Ct);
        (await LoadAsync(ids[3])).Status.ShouldBe(PrescriptionStatus.Expired);
        var last = await LoadAsync(ids[4]);
        last.Status.ShouldBe(PrescriptionStatus.PlaceOffered);
        last.OfferDeadline.ShouldBe(new DateOnly(2026, 12, 9)); // 04/12 (Paris) + 5 days
        (await OpenPlacesAsync(session)).ShouldBe(0);

        // Accepted: selected, and the session stays full.
        await answer.HandleAsync(new AnswerPlaceOffer(ids[4], last.Version, Accepted: true), camille, Ct);
        (await LoadAsync(ids[4])).Status.ShouldBe(PrescriptionStatus.Selected);
        (await OpenPlacesAsync(session)).ShouldBe(0); // 2 − 2 selected
    }

    [Fact]
    public async Task TheLastOfferLapsing_WithNobodyWaiting_OpensThePlace_O8_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(2, capacity: 1);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[0]]), BulkDecision.Select), julie, Ct);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync([ids[1]]), BulkDecision.Waitlist), julie, Ct);
        await new RecordWithdrawal.Handler(Db, _clock, _recording.Notifier).HandleAsync(new RecordWithdrawal(ids[0]), julie, Ct);
        await new OfferPlace.Handler(Db, _clock, _recording.Notifier).HandleAsync(new OfferPlace(session, await TargetAsync(ids[1]), new DateOnly(2026, 11, 30)), julie, Ct);
        (await OpenPlacesAsync(session)).ShouldBe(0);

        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await new LapsePlaceOffersJob(Db, _clock, _recording.Notifier).RunAsync(Ct);

        (await LoadAsync(ids[1])).Status.ShouldBe(PrescriptionStatus.Expired);
        (await OpenPlacesAsync(session)).ShouldBe(1);
        _recording.Places.Last(e => e.SessionId == session).OpenPlaces.ShouldBe(1);
    }

    [Fact]
    public async Task TheAnswer_ByAnotherPrescriberOrganisation_IsNotFound_AndByTheOf_IsRefused_O9()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await FullSessionWithThreeWaitingAsync();
        await new RecordWithdrawal.Handler(Db, _clock, _recording.Notifier).HandleAsync(new RecordWithdrawal(ids[0]), julie, Ct);
        await new OfferPlace.Handler(Db, _clock, _recording.Notifier).HandleAsync(new OfferPlace(session, await TargetAsync(ids[2]), new DateOnly(2026, 12, 4)), julie, Ct);
        var version = (await LoadAsync(ids[2])).Version;
        var answer = new AnswerPlaceOffer.Handler(Db, _clock, _recording.Notifier);

        await Should.ThrowAsync<AccessDeniedException>(() => answer.HandleAsync(new AnswerPlaceOffer(ids[2], version, true), julie, Ct));
        var other = await fixture.UserAsync(TestUsers.Lucas);
        await Should.ThrowAsync<NotFoundException>(() => answer.HandleAsync(new AnswerPlaceOffer(ids[2], version, true), other, Ct));
        (await LoadAsync(ids[2])).Status.ShouldBe(PrescriptionStatus.PlaceOffered);
    }

    [Fact]
    public async Task TheCancellation_OfASelectedCandidate_ByThePrescriber_OpensItsPlace_O8()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var (session, ids) = await FullSessionWithThreeWaitingAsync();

        await new CancelPrescription.Handler(Db, _clock, _recording.Notifier).HandleAsync(new CancelPrescription(ids[1], "Déménagement"), camille, Ct);

        (await OpenPlacesAsync(session)).ShouldBe(1);
        (await LoadAsync(ids[2])).Status.ShouldBe(PrescriptionStatus.Waitlisted);
    }

    // ---- S11, P6, O9: entry ----

    [Fact]
    public async Task Entry_OfACandidateWhosePrescriptionWasWithdrawn_IsRefused_WhileTheSelectedOneEnters_S11()
    {
        // Two candidates selected on one session; the first withdraws: she no longer holds a prescription and cannot
        // enter (S11), the second, still selected, does.
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (session, ids) = await SessionAsync(2);
        await Decide().HandleAsync(new DecideSelection(session, await TargetsAsync(ids), BulkDecision.Select), julie, Ct);
        await new RecordWithdrawal.Handler(Db, _clock, _recording.Notifier).HandleAsync(new RecordWithdrawal(ids[0], "a trouvé un emploi"), julie, Ct);
        var entry = new RecordEntry.Handler(Db, _clock, _recording.Notifier);

        var refused = await Should.ThrowAsync<DomainException>(() => entry.HandleAsync(new RecordEntry(ids[0]), julie, Ct));
        refused.Message.ShouldBe("Transition impossible : une prescription « Désistement » ne peut pas passer à « Entrée en formation ».");
        await entry.HandleAsync(new RecordEntry(ids[1]), julie, Ct);

        (await LoadAsync(ids[0])).Status.ShouldBe(PrescriptionStatus.Withdrawn);
        (await LoadAsync(ids[1])).Status.ShouldBe(PrescriptionStatus.Entered);
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
    public async Task Entry_Elsewhere_CancelsASelectedChoice_AndOpensItsPlaceThere_TheEntryKeepsItsOwn_P6_O8()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var (session, ids) = await FullSessionWithThreeWaitingAsync();
        var (selected, first) = (ids[0], ids[2]);
        // The selected candidate is also selected on another session of Julie's, and enters there.
        var (other, _) = await SessionAsync(0);
        var candidate = (await LoadAsync(selected)).CandidateId;
        var elsewhere = await new Prescribe.Handler(Db, _clock, _recording.Notifier).HandleAsync(new Prescribe(candidate, other, PrescribeTests.Form), camille, Ct);
        await using (var db = fixture.Database.CreateDbContext())
        {
            var p = await db.AllPrescriptions.SingleAsync(x => x.Id == elsewhere, Ct);
            Meetings.ConvokeAt(db, p, julie.UserId, _clock.GetUtcNow());
            p.RecordAttendance(PrescriptionStatus.Attended, julie.UserId, _clock.GetUtcNow());
            p.Select(julie.UserId, _clock.GetUtcNow());
            await db.SaveChangesAsync(Ct);
        }

        await new RecordEntry.Handler(Db, _clock, _recording.Notifier).HandleAsync(new RecordEntry(elsewhere), julie, Ct);

        (await LoadAsync(selected)).Status.ShouldBe(PrescriptionStatus.Cancelled);
        (await LoadAsync(first)).Status.ShouldBe(PrescriptionStatus.Waitlisted, "the OF offers the freed place (S1)");
        (await OpenPlacesAsync(session)).ShouldBe(1); // 2 − 1 selected
        (await OpenPlacesAsync(other)).ShouldBe(11);  // 12 − 1 entered
        _recording.Places.Last(e => e.SessionId == session).OpenPlaces.ShouldBe(1);
    }
}

/// <summary>The same tests on PostgreSQL (ADR 0021; the Version concurrency tokens, the set-based job): skipped with the reason without PostgreSQL 15.</summary>
public sealed class SelectionDecisionsTestsOnPostgreSql(PostgreSqlDemoDatabase fixture) : SelectionDecisionsTests(fixture), IClassFixture<PostgreSqlDemoDatabase>;
