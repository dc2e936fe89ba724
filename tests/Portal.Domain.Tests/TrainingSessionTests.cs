using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

public sealed class TrainingSessionTests
{
    // SessionStart = 01/09/2026 → publication date 04/05/2026; deadline 14/08/2026; capacity 12.
    private static readonly DateOnly PublicationDay = new(2026, 5, 4);

    // ---- Creation ----

    [Theory]
    [InlineData("draft")]
    [InlineData("submitted")]
    [InlineData("returned")]
    public void Create_OnAFicheNotValidated_IsRefused_O2(string state)
    {
        var fiche = state == "draft" ? DescribedFiche() : SubmittedFiche();
        if (state == "returned") fiche.Return("À revoir");

        var ex = Should.Throw<DomainException>(() =>
            new TrainingSession(fiche, SessionStart, SessionEnd, RegistrationDeadline, Capacity, "33063"));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldContain("fiche action validée");
    }

    [Fact]
    public void Create_OnValidatedFiche_IsPlanned_WithAllPlacesOpen_O8()
    {
        var fiche = ValidatedFiche();

        var session = new TrainingSession(fiche, SessionStart, SessionEnd, RegistrationDeadline, 15, "64445");

        session.Status.ShouldBe(SessionStatus.Planned);
        session.IsOpenToPrescription.ShouldBeFalse();
        session.Capacity.ShouldBe(15);
        session.OpenPlaces.ShouldBe(15);
        session.FicheActionId.ShouldBe(fiche.Id);
        session.OrganisationId.ShouldBe(fiche.OrganisationId);
        session.PlaceCommuneInsee.ShouldBe("64445");
        session.Version.ShouldBe(0);
    }

    [Fact]
    public void Create_WithEndBeforeStart_IsRefused()
    {
        var ex = Should.Throw<DomainException>(() => new TrainingSession(ValidatedFiche(), SessionStart,
            SessionStart.AddDays(-1), SessionStart.AddDays(-10), Capacity, "33063"));

        ex.Message.ShouldContain("date de fin");
    }

    [Fact]
    public void Create_OneDaySession_IsAllowed()
    {
        var session = new TrainingSession(ValidatedFiche(), SessionStart, SessionStart, SessionStart, Capacity, "33063");

        session.End.ShouldBe(session.Start);
    }

    [Fact]
    public void Create_WithDeadlineAfterEnd_IsRefused()
    {
        var ex = Should.Throw<DomainException>(() => new TrainingSession(ValidatedFiche(), SessionStart, SessionEnd,
            SessionEnd.AddDays(1), Capacity, "33063"));

        ex.Message.ShouldContain("date limite d'inscription");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Create_WithoutPlaces_IsRefused(int capacity)
    {
        var ex = Should.Throw<DomainException>(() => new TrainingSession(ValidatedFiche(), SessionStart, SessionEnd,
            RegistrationDeadline, capacity, "33063"));

        ex.Message.ShouldContain("capacité");
    }

    [Fact]
    public void Create_GroupedEntries_WithoutLateEntryDate_UsesTheStart_O5()
    {
        var session = Session(EntryMode.Grouped);

        session.EntryMode.ShouldBe(EntryMode.Grouped);
        session.LateEntryDate.ShouldBe(SessionStart);
    }

    [Fact]
    public void Create_GroupedEntries_KeepsAGivenLateEntryDate_O5()
    {
        var late = SessionStart.AddDays(14);

        Session(EntryMode.Grouped, lateEntryDate: late).LateEntryDate.ShouldBe(late);
        Session(EntryMode.Grouped, lateEntryDate: SessionEnd).LateEntryDate.ShouldBe(SessionEnd);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(109)] // SessionEnd + 1 day
    public void Create_GroupedEntries_WithLateEntryOutsideTheSession_IsRefused_O5(int daysAfterStart)
    {
        var ex = Should.Throw<DomainException>(() =>
            Session(EntryMode.Grouped, lateEntryDate: SessionStart.AddDays(daysAfterStart)));

        ex.Rule.ShouldBe("O5");
    }

    [Fact]
    public void Create_PermanentEntries_HasNoLateEntryDate_O6()
    {
        var session = Session(EntryMode.Permanent, lateEntryDate: SessionEnd.AddDays(30));

        session.EntryMode.ShouldBe(EntryMode.Permanent);
        session.LateEntryDate.ShouldBeNull();
    }

    // ---- O4: publication ----

    [Fact]
    public void PublicationDate_Is120DaysBeforeStart_O4()
    {
        Session().PublicationDate.ShouldBe(PublicationDay);
        (SessionStart.DayNumber - PublicationDay.DayNumber).ShouldBe(120);
    }

    [Fact]
    public void Publish_At121DaysBeforeStart_IsRefused_O4()
    {
        var session = Session();
        var clock = ClockAtNoon(SessionStart.AddDays(-121));

        var ex = Should.Throw<DomainException>(() => session.Publish(clock.GetUtcNow()));

        ex.Rule.ShouldBe("O4");
        ex.Message.ShouldContain("04/05/2026");
        ex.Message.ShouldContain("120 jours");
        session.Status.ShouldBe(SessionStatus.Planned);
    }

    [Fact]
    public void Publish_At120DaysBeforeStart_Opens_O4()
    {
        var session = Session();
        var clock = ClockAtNoon(SessionStart.AddDays(-120));

        session.Publish(clock.GetUtcNow());

        session.Status.ShouldBe(SessionStatus.Open);
        session.IsOpenToPrescription.ShouldBeTrue();
        session.Version.ShouldBe(1);
    }

    [Fact]
    public void Publish_At119DaysBeforeStart_StillOpens_O4()
    {
        // The rule forbids publishing early; a session published a day late is still opened.
        var session = Session();
        var clock = ClockAtNoon(SessionStart.AddDays(-119));

        session.Publish(clock.GetUtcNow());

        session.Status.ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public void Publish_RetriedOnThePublicationDay_AfterAnEarlyRefusal_Opens_O4()
    {
        var session = Session();
        var clock = ClockAtNoon(PublicationDay.AddDays(-1));
        Should.Throw<DomainException>(() => session.Publish(clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromDays(1));
        session.Publish(clock.GetUtcNow());

        session.Status.ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public void Publish_JustAfterMidnightInParis_OnThePublicationDay_Opens_O4()
    {
        // 03/05/2026 22:30 UTC is 04/05/2026 00:30 in Paris (UTC+2): already the publication day.
        var session = Session();
        var clock = ClockAt(new DateTimeOffset(2026, 5, 3, 22, 30, 0, TimeSpan.Zero));

        session.Publish(clock.GetUtcNow());

        session.Status.ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public void Publish_OneMinuteBeforeMidnightInParis_IsRefused_O4()
    {
        // 03/05/2026 21:59 UTC is 23:59 in Paris: still the day before publication.
        var session = Session();
        var clock = ClockAt(new DateTimeOffset(2026, 5, 3, 21, 59, 0, TimeSpan.Zero));

        Should.Throw<DomainException>(() => session.Publish(clock.GetUtcNow())).Rule.ShouldBe("O4");
    }

    [Fact]
    public void Publish_AnOpenSession_IsRefused_O4()
    {
        var session = OpenSession();

        var ex = Should.Throw<DomainException>(() => session.Publish(NoonUtc(PublicationDay.AddDays(1))));

        ex.Rule.ShouldBe("O4");
        ex.Message.ShouldContain("« Ouverte »");
        session.Version.ShouldBe(1);
    }

    [Fact]
    public void Publish_ACancelledSession_IsRefused_O4()
    {
        var session = Session();
        session.Cancel();

        Should.Throw<DomainException>(() => session.Publish(NoonUtc(PublicationDay))).Message.ShouldContain("« Annulée »");
        session.Status.ShouldBe(SessionStatus.Cancelled);
    }

    // ---- O7: suspension and closure ----

    [Fact]
    public void Suspend_BeforeFiveTimesCapacityAndDeadline_IsRefused_O7()
    {
        var session = OpenSession(capacity: 12);
        var clock = ClockAtNoon(new DateOnly(2026, 7, 1));

        var ex = Should.Throw<DomainException>(() => session.Suspend(clock.GetUtcNow(), prescriptionCount: 48));

        ex.Rule.ShouldBe("O7");
        ex.Message.ShouldStartWith("Suspension impossible");
        ex.Message.ShouldContain("48 prescriptions sur 60 requises");
        ex.Message.ShouldContain("5 × 12 places");
        ex.Message.ShouldContain("14/08/2026");
        session.Status.ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public void Suspend_OnePrescriptionShortOfFiveTimesCapacity_IsRefused_O7()
    {
        var session = OpenSession(capacity: 12);

        var ex = Should.Throw<DomainException>(() => session.Suspend(NoonUtc(new DateOnly(2026, 7, 1)), 59));

        ex.Message.ShouldContain("59 prescriptions sur 60");
    }

    [Theory]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(200)]
    public void Suspend_AtOrAboveFiveTimesCapacity_BeforeDeadline_Suspends_O7(int prescriptions)
    {
        var session = OpenSession(capacity: 12);

        session.Suspend(NoonUtc(new DateOnly(2026, 7, 1)), prescriptions);

        session.Status.ShouldBe(SessionStatus.Suspended);
        session.IsOpenToPrescription.ShouldBeFalse();
    }

    [Fact]
    public void Suspend_FactorFollowsTheCapacity_O7()
    {
        var small = OpenSession(capacity: 3);

        Should.Throw<DomainException>(() => small.Suspend(NoonUtc(new DateOnly(2026, 7, 1)), 14))
            .Message.ShouldContain("14 prescriptions sur 15 requises (5 × 3 places)");
        small.Suspend(NoonUtc(new DateOnly(2026, 7, 1)), 15);
        small.Status.ShouldBe(SessionStatus.Suspended);
    }

    [Fact]
    public void Suspend_OnTheDeadlineDay_WithFewPrescriptions_IsRefused_O7()
    {
        var session = OpenSession();
        var clock = ClockAtNoon(RegistrationDeadline);

        Should.Throw<DomainException>(() => session.Suspend(clock.GetUtcNow(), 5)).Rule.ShouldBe("O7");
        session.Status.ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public void Suspend_TheDayAfterTheDeadline_WithNoPrescription_Suspends_O7()
    {
        var session = OpenSession();
        var clock = ClockAtNoon(RegistrationDeadline);
        clock.Advance(TimeSpan.FromDays(1));

        session.Suspend(clock.GetUtcNow(), 0);

        session.Status.ShouldBe(SessionStatus.Suspended);
    }

    [Fact]
    public void Suspend_JustAfterParisMidnightFollowingTheDeadline_Suspends_O7()
    {
        // 14/08/2026 22:30 UTC is 15/08/2026 00:30 in Paris: the deadline has passed.
        var session = OpenSession();

        session.Suspend(new DateTimeOffset(2026, 8, 14, 22, 30, 0, TimeSpan.Zero), 0);

        session.Status.ShouldBe(SessionStatus.Suspended);
    }

    [Fact]
    public void Suspend_LastMinuteOfTheDeadlineDayInParis_IsRefused_O7()
    {
        var session = OpenSession();

        Should.Throw<DomainException>(() => session.Suspend(new DateTimeOffset(2026, 8, 14, 21, 59, 0, TimeSpan.Zero), 0));
        session.Status.ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public void Suspend_APlannedSession_IsRefused_O7()
    {
        var session = Session();

        var ex = Should.Throw<DomainException>(() => session.Suspend(NoonUtc(RegistrationDeadline.AddDays(1)), 1000));

        ex.Rule.ShouldBe("O7");
        ex.Message.ShouldContain("« Programmée »");
    }

    [Fact]
    public void Suspend_AnAlreadySuspendedSession_IsRefused_O7()
    {
        var session = OpenSession();
        session.Suspend(NoonUtc(new DateOnly(2026, 7, 1)), 60);

        Should.Throw<DomainException>(() => session.Suspend(NoonUtc(new DateOnly(2026, 7, 2)), 60))
            .Message.ShouldContain("« Suspendue »");
    }

    [Fact]
    public void Close_BeforeFiveTimesCapacityAndDeadline_IsRefused_O7()
    {
        var session = OpenSession(capacity: 10);

        var ex = Should.Throw<DomainException>(() => session.Close(NoonUtc(new DateOnly(2026, 7, 1)), 40));

        ex.Rule.ShouldBe("O7");
        ex.Message.ShouldStartWith("Clôture impossible");
        ex.Message.ShouldContain("40 prescriptions sur 50 requises");
        session.Status.ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public void Close_AtFiveTimesCapacity_Closes_O7()
    {
        var session = OpenSession(capacity: 10);

        session.Close(NoonUtc(new DateOnly(2026, 7, 1)), 50);

        session.Status.ShouldBe(SessionStatus.Closed);
    }

    [Fact]
    public void Close_TheDayAfterTheDeadline_Closes_O7()
    {
        var session = OpenSession();

        session.Close(NoonUtc(RegistrationDeadline.AddDays(1)), 2);

        session.Status.ShouldBe(SessionStatus.Closed);
    }

    [Fact]
    public void Close_ASuspendedSession_StillNeedsTheO7Condition_O7()
    {
        var session = OpenSession(capacity: 10);
        session.Suspend(NoonUtc(new DateOnly(2026, 7, 1)), 50);

        Should.Throw<DomainException>(() => session.Close(NoonUtc(new DateOnly(2026, 7, 2)), 10)).Rule.ShouldBe("O7");
        session.Close(NoonUtc(new DateOnly(2026, 7, 2)), 50);

        session.Status.ShouldBe(SessionStatus.Closed);
    }

    [Theory]
    [InlineData("planned", "« Programmée »")]
    [InlineData("closed", "« Inscriptions closes »")]
    [InlineData("cancelled", "« Annulée »")]
    public void Close_FromAStateOtherThanOpenOrSuspended_IsRefused_O7(string state, string label)
    {
        var session = state == "planned" ? Session() : OpenSession();
        if (state == "closed") session.Close(NoonUtc(RegistrationDeadline.AddDays(1)), 0);
        if (state == "cancelled") session.Cancel();

        var ex = Should.Throw<DomainException>(() => session.Close(NoonUtc(RegistrationDeadline.AddDays(2)), 1000));

        ex.Rule.ShouldBe("O7");
        ex.Message.ShouldContain(label);
    }

    [Fact]
    public void Reopen_ASuspendedSession_OnTheDeadlineDay_Reopens_O7()
    {
        var session = OpenSession();
        session.Suspend(NoonUtc(new DateOnly(2026, 7, 1)), 60);

        session.Reopen(NoonUtc(RegistrationDeadline));

        session.Status.ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public void Reopen_AfterTheDeadline_IsRefused_O7()
    {
        var session = OpenSession();
        session.Suspend(NoonUtc(new DateOnly(2026, 7, 1)), 60);

        var ex = Should.Throw<DomainException>(() => session.Reopen(NoonUtc(RegistrationDeadline.AddDays(1))));

        ex.Rule.ShouldBe("O7");
        ex.Message.ShouldContain("date limite d'inscription est passée");
        session.Status.ShouldBe(SessionStatus.Suspended);
    }

    [Fact]
    public void Reopen_AnOpenSession_IsRefused_O7()
    {
        var session = OpenSession();

        Should.Throw<DomainException>(() => session.Reopen(NoonUtc(new DateOnly(2026, 7, 1))))
            .Message.ShouldContain("suspendue");
    }

    // ---- Running, finishing, cancelling ----

    [Theory]
    [InlineData("open")]
    [InlineData("suspended")]
    [InlineData("closed")]
    public void StartRunning_OnTheStartDay_FromOpenSuspendedOrClosed_Runs(string state)
    {
        var session = OpenSession();
        if (state == "suspended") session.Suspend(NoonUtc(RegistrationDeadline.AddDays(1)), 0);
        if (state == "closed") session.Close(NoonUtc(RegistrationDeadline.AddDays(1)), 0);

        session.StartRunning(NoonUtc(SessionStart));

        session.Status.ShouldBe(SessionStatus.Running);
    }

    [Fact]
    public void StartRunning_TheDayBeforeStart_IsRefused()
    {
        var session = OpenSession();

        var ex = Should.Throw<DomainException>(() => session.StartRunning(NoonUtc(SessionStart.AddDays(-1))));

        ex.Message.ShouldContain("01/09/2026");
        session.Status.ShouldBe(SessionStatus.Open);
    }

    [Fact]
    public void StartRunning_APlannedSession_IsRefused()
    {
        var session = Session();

        Should.Throw<DomainException>(() => session.StartRunning(NoonUtc(SessionStart)))
            .Message.ShouldContain("« Programmée » ne peut pas démarrer");
    }

    [Fact]
    public void Finish_OnTheEndDay_Finishes()
    {
        var session = OpenSession();
        session.StartRunning(NoonUtc(SessionStart));

        session.Finish(NoonUtc(SessionEnd));

        session.Status.ShouldBe(SessionStatus.Finished);
    }

    [Fact]
    public void Finish_TheDayBeforeTheEnd_IsRefused()
    {
        var session = OpenSession();
        session.StartRunning(NoonUtc(SessionStart));

        Should.Throw<DomainException>(() => session.Finish(NoonUtc(SessionEnd.AddDays(-1))))
            .Message.ShouldContain("18/12/2026");
        session.Status.ShouldBe(SessionStatus.Running);
    }

    [Fact]
    public void Finish_ASessionNotRunning_IsRefused()
    {
        var session = OpenSession();

        Should.Throw<DomainException>(() => session.Finish(NoonUtc(SessionEnd))).Message.ShouldContain("en cours");
        session.Status.ShouldBe(SessionStatus.Open);
    }

    [Theory]
    [InlineData("planned")]
    [InlineData("open")]
    [InlineData("suspended")]
    [InlineData("closed")]
    public void Cancel_BeforeTheSessionRuns_Cancels(string state)
    {
        var session = state == "planned" ? Session() : OpenSession();
        if (state == "suspended") session.Suspend(NoonUtc(RegistrationDeadline.AddDays(1)), 0);
        if (state == "closed") session.Close(NoonUtc(RegistrationDeadline.AddDays(1)), 0);

        session.Cancel();

        session.Status.ShouldBe(SessionStatus.Cancelled);
    }

    [Theory]
    [InlineData("running", "« En cours »")]
    [InlineData("finished", "« Terminée »")]
    [InlineData("cancelled", "« Annulée »")]
    public void Cancel_ARunningFinishedOrCancelledSession_IsRefused(string state, string label)
    {
        var session = OpenSession();
        if (state is "running" or "finished") session.StartRunning(NoonUtc(SessionStart));
        if (state == "finished") session.Finish(NoonUtc(SessionEnd));
        if (state == "cancelled") session.Cancel();
        var before = session.Status;

        var ex = Should.Throw<DomainException>(() => session.Cancel());

        ex.Message.ShouldContain(label);
        session.Status.ShouldBe(before);
    }

    [Fact]
    public void EveryTransition_BumpsTheConcurrencyVersion()
    {
        var session = Session();
        var clock = new FakeTimeProvider(NoonUtc(PublicationDay));

        session.Publish(clock.GetUtcNow());
        session.Version.ShouldBe(1);
        clock.SetUtcNow(NoonUtc(new DateOnly(2026, 7, 1)));
        session.Suspend(clock.GetUtcNow(), 60);
        session.Version.ShouldBe(2);
        session.Reopen(clock.GetUtcNow());
        session.Version.ShouldBe(3);
        session.Close(clock.GetUtcNow(), 60);
        session.Version.ShouldBe(4);
        clock.SetUtcNow(NoonUtc(SessionStart));
        session.StartRunning(clock.GetUtcNow());
        session.Version.ShouldBe(5);
        clock.SetUtcNow(NoonUtc(SessionEnd));
        session.Finish(clock.GetUtcNow());
        session.Version.ShouldBe(6);
    }

    // ---- O8: open places ----

    [Theory]
    [InlineData(0, 12)]
    [InlineData(7, 5)]
    [InlineData(12, 0)]
    public void SetOpenPlaces_NobodyHoldingAPlace_KeepsTheRestBack_O8(int places, int keptBack)
    {
        var session = OpenSession(capacity: 12);
        var version = session.Version;

        session.SetOpenPlaces(places, heldPlaces: 0);

        session.OpenPlaces.ShouldBe(places);
        session.KeptBackPlaces.ShouldBe(keptBack);
        session.Version.ShouldBe(version + 1);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(13)]
    public void SetOpenPlaces_OutsideZeroAndCapacity_IsRefused_O8(int places)
    {
        var session = OpenSession(capacity: 12);
        session.SetOpenPlaces(5, heldPlaces: 0);

        var ex = Should.Throw<DomainException>(() => session.SetOpenPlaces(places, heldPlaces: 0));

        ex.Rule.ShouldBe("O8");
        ex.Message.ShouldContain("entre 0 et 12");
        session.OpenPlaces.ShouldBe(5);
    }

    [Fact]
    public void OpenPlaces_Capacity5_Select3_Offer1_Is1_TheOfLowersTo0_ThenRaisesBackTo1_NotTo2_O8()
    {
        var session = OpenSession(capacity: 5);

        session.RecountOpenPlaces(heldPlaces: 3 + 1).ShouldBeTrue(); // 3 selected, 1 offered
        session.OpenPlaces.ShouldBe(1);                              // 5 − 4

        session.SetOpenPlaces(0, heldPlaces: 4);                      // one place kept for other financing
        session.OpenPlaces.ShouldBe(0);
        session.KeptBackPlaces.ShouldBe(1);

        var ex = Should.Throw<DomainException>(() => session.SetOpenPlaces(2, heldPlaces: 4));
        ex.Rule.ShouldBe("O8");
        ex.Message.ShouldContain("entre 0 et 1");
        session.OpenPlaces.ShouldBe(0);

        session.SetOpenPlaces(1, heldPlaces: 4);
        session.OpenPlaces.ShouldBe(1);
        session.KeptBackPlaces.ShouldBe(0);
    }

    [Fact]
    public void RecountOpenPlaces_KeepsThePlacesKeptBack_AndNeverGoesBelowZero_O8()
    {
        var session = OpenSession(capacity: 5);
        session.SetOpenPlaces(3, heldPlaces: 0);                      // 2 kept back
        var version = session.Version;

        session.RecountOpenPlaces(heldPlaces: 1).ShouldBeTrue();
        session.OpenPlaces.ShouldBe(2);                              // 5 − 1 − 2
        session.Version.ShouldBe(version + 1);

        session.RecountOpenPlaces(heldPlaces: 1).ShouldBeFalse();    // unchanged: no new version
        session.Version.ShouldBe(version + 1);

        session.RecountOpenPlaces(heldPlaces: 4);                    // e.g. an arbitration selected beyond the bound
        session.OpenPlaces.ShouldBe(0);
    }

    [Fact]
    public void RecountOpenPlaces_OfACancelledSession_IsZero_O8()
    {
        var session = OpenSession(capacity: 5);
        session.Cancel("Formateur indisponible");

        session.RecountOpenPlaces(heldPlaces: 0);

        session.OpenPlaces.ShouldBe(0);
    }

    [Fact]
    public void SetOpenPlaces_OnARunningSession_IsAllowed_O8()
    {
        var session = OpenSession();
        session.StartRunning(NoonUtc(SessionStart));

        session.SetOpenPlaces(1, heldPlaces: 0);

        session.OpenPlaces.ShouldBe(1);
    }

    [Theory]
    [InlineData("finished", "« Terminée »")]
    [InlineData("cancelled", "« Annulée »")]
    public void SetOpenPlaces_OnAFinishedOrCancelledSession_IsRefused_O8(string state, string label)
    {
        var session = OpenSession();
        if (state == "finished")
        {
            session.StartRunning(NoonUtc(SessionStart));
            session.Finish(NoonUtc(SessionEnd));
        }
        else
        {
            session.Cancel();
        }

        var ex = Should.Throw<DomainException>(() => session.SetOpenPlaces(3, heldPlaces: 0));

        ex.Rule.ShouldBe("O8");
        ex.Message.ShouldContain(label);
        session.OpenPlaces.ShouldBe(Capacity);
    }

    // ---- The French calendar day ----

    [Theory]
    [InlineData(2026, 1, 14, 22, 59, 2026, 1, 14)] // winter, UTC+1: 23:59 in Paris
    [InlineData(2026, 1, 14, 23, 0, 2026, 1, 15)]  // 00:00 in Paris
    [InlineData(2026, 8, 14, 21, 59, 2026, 8, 14)] // summer, UTC+2: 23:59 in Paris
    [InlineData(2026, 8, 14, 22, 0, 2026, 8, 15)]  // 00:00 in Paris
    public void Today_IsTheCalendarDayInParis(int y, int mo, int d, int h, int mi, int ey, int em, int ed)
    {
        TrainingSession.Today(new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero)).ShouldBe(new DateOnly(ey, em, ed));
    }
}
