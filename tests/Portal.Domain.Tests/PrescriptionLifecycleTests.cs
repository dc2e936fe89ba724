using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using static Portal.Domain.Tests.Builders;
using S = Portal.Domain.Prescriptions.PrescriptionStatus;

namespace Portal.Domain.Tests;

public sealed class PrescriptionLifecycleTests
{
    private static readonly S[] ActiveStatuses =
        [S.Submitted, S.Convoked, S.Attended, S.AbsentJustified, S.AbsentUnjustified, S.Selected, S.Waitlisted, S.PlaceOffered];

    private static readonly S[] SideExits = [S.Cancelled, S.Withdrawn, S.Expired, S.SessionCancelled];

    /// <summary>The main path, written out from the charter (S2, S5, S8, S11): everything else is refused.</summary>
    private static readonly HashSet<(S From, S To)> MainPath =
    [
        (S.Submitted, S.Convoked),
        (S.Convoked, S.Attended), (S.Convoked, S.AbsentJustified), (S.Convoked, S.AbsentUnjustified),
        (S.Attended, S.Selected), (S.Attended, S.Waitlisted), (S.Attended, S.NotSelected),
        (S.AbsentJustified, S.Convoked), (S.AbsentJustified, S.Selected), (S.AbsentJustified, S.Waitlisted),
        (S.AbsentJustified, S.NotSelected),
        (S.AbsentUnjustified, S.AbsentJustified), (S.AbsentUnjustified, S.Selected),
        (S.AbsentUnjustified, S.Waitlisted), (S.AbsentUnjustified, S.NotSelected),
        (S.Waitlisted, S.Selected), (S.Waitlisted, S.NotSelected),
        // O9, S1 (ADR 0015): the OF offers a freed place to the first waiting; the candidate accepts (selected).
        (S.Waitlisted, S.PlaceOffered), (S.PlaceOffered, S.Selected),
        (S.Selected, S.Entered), (S.Selected, S.Waitlisted),
    ];

    private static bool IsLegal(S from, S to) =>
        MainPath.Contains((from, to)) || (SideExits.Contains(to) && ActiveStatuses.Contains(from));

    public static TheoryData<S, S> LegalMoves()
    {
        var data = new TheoryData<S, S>();
        foreach (var from in Enum.GetValues<S>())
            foreach (var to in Enum.GetValues<S>())
                if (IsLegal(from, to)) data.Add(from, to);
        return data;
    }

    public static TheoryData<S, S> IllegalMoves()
    {
        var data = new TheoryData<S, S>();
        foreach (var from in Enum.GetValues<S>())
            foreach (var to in Enum.GetValues<S>())
                if (to != S.Submitted && !IsLegal(from, to)) data.Add(from, to);
        return data;
    }

    public static TheoryData<S> AllStatuses() => [.. Enum.GetValues<S>()];

    [Theory]
    [MemberData(nameof(LegalMoves))]
    public void LegalTransition_IsApplied_AndAppendedToHistory(S from, S to)
    {
        var clock = new FakeTimeProvider(T0);
        var p = PrescriptionIn(from, clock.GetUtcNow());
        var historyBefore = p.History.Count;
        var by = Guid.CreateVersion7();
        clock.Advance(TimeSpan.FromHours(5));

        Attempt(p, to, by, clock.GetUtcNow());

        PrescriptionLifecycle.CanMove(from, to).ShouldBeTrue();
        p.Status.ShouldBe(to);
        p.StatusChangedAt.ShouldBe(T0.AddHours(5));
        p.History.Count.ShouldBe(historyBefore + 1);
        var last = p.History[^1];
        last.PrescriptionId.ShouldBe(p.Id);
        last.From.ShouldBe(from);
        last.To.ShouldBe(to);
        last.At.ShouldBe(T0.AddHours(5));
        last.ByUserId.ShouldBe(to == S.Expired ? null : by);
        last.Reason.ShouldBe(to == S.Convoked ? ConvocationReason(T0.AddHours(5)) : ExpectedReason(to));
    }

    /// <summary>The "why" recorded by each call that <see cref="Attempt"/> makes.</summary>
    private static string? ExpectedReason(S to) => to switch
    {
        S.Convoked => "Convocation envoyée",
        S.AbsentJustified => "Entretien d'embauche, prévenu",
        S.NotSelected => "Autre motif : Niveau de français insuffisant",
        S.Entered => "Entrée en formation",
        S.Cancelled => "Doublon",
        S.Withdrawn => "Désistement du candidat",
        S.Expired => "Préinscription expirée (O6)",
        S.SessionCancelled => "Session annulée par l'organisme de formation",
        S.PlaceOffered => "Place libérée proposée au premier de la liste d'attente (O9) : réponse attendue au plus tard le 22/01/2026", // T0 + 5 h, + 7 days
        _ => null, // Attended, AbsentUnjustified, Selected, Waitlisted carry no reason.
    };

    [Theory]
    [MemberData(nameof(IllegalMoves))]
    public void IllegalTransition_IsRefused_InFrench_AndLeavesNoTrace(S from, S to)
    {
        var clock = new FakeTimeProvider(T0);
        var p = PrescriptionIn(from, clock.GetUtcNow());
        var historyBefore = p.History.Count;
        clock.Advance(TimeSpan.FromHours(5));

        var ex = Should.Throw<DomainException>(() => Attempt(p, to, OfUserId, clock.GetUtcNow()));

        PrescriptionLifecycle.CanMove(from, to).ShouldBeFalse();
        ex.Message.ShouldBe($"Transition impossible : une prescription « {from.Label()} » ne peut pas passer à « {to.Label()} ».");
        p.Status.ShouldBe(from);
        p.StatusChangedAt.ShouldBe(T0);
        p.History.Count.ShouldBe(historyBefore);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void NoStatus_LeadsBackToSubmitted(S from)
    {
        PrescriptionLifecycle.CanMove(from, S.Submitted).ShouldBeFalse();
    }

    [Theory]
    [InlineData(S.Submitted, true)]
    [InlineData(S.Convoked, true)]
    [InlineData(S.Attended, true)]
    [InlineData(S.AbsentJustified, true)]
    [InlineData(S.AbsentUnjustified, true)]
    [InlineData(S.Selected, true)]
    [InlineData(S.Waitlisted, true)]
    [InlineData(S.PlaceOffered, true)]
    [InlineData(S.NotSelected, false)]
    [InlineData(S.Entered, false)]
    [InlineData(S.Cancelled, false)]
    [InlineData(S.Withdrawn, false)]
    [InlineData(S.Expired, false)]
    [InlineData(S.SessionCancelled, false)]
    public void ActiveStatuses_HoldOneOfTheThreeChoices_P6(S status, bool active)
    {
        status.IsActive().ShouldBe(active);
        status.IsFinal().ShouldBe(!active);
        PrescriptionIn(status).IsActive.ShouldBe(active);
    }

    [Fact]
    public void Enter_WithoutSelection_IsRefused_S11()
    {
        var p = PrescriptionIn(S.Attended);

        var ex = Should.Throw<DomainException>(() => p.Enter(OfUserId, T0));

        ex.Message.ShouldContain("« Présente » ne peut pas passer à « Entrée en formation »");
    }

    [Fact]
    public void Creation_IsTheFirstHistoryEntry_ByThePrescriber()
    {
        var clock = new FakeTimeProvider(T0);

        var p = NewPrescription(clock.GetUtcNow());

        p.History.Count.ShouldBe(1);
        var first = p.History[0];
        first.PrescriptionId.ShouldBe(p.Id);
        first.ByUserId.ShouldBe(PrescriberUserId);
        first.At.ShouldBe(T0);
        first.From.ShouldBeNull();
        first.To.ShouldBe(S.Submitted);
        first.Reason.ShouldBe("Prescription créée");
    }

    [Fact]
    public void FullPath_RecordsWhoWhenFromToAndWhy_ForEveryStep()
    {
        var clock = new FakeTimeProvider(T0);
        var of = Guid.CreateVersion7();
        var otherOf = Guid.CreateVersion7();
        var p = NewPrescription(clock.GetUtcNow());

        clock.Advance(TimeSpan.FromDays(1));
        p.Convoke(MeetingFor(p, clock.GetUtcNow()), of, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(9));
        p.RecordAttendance(S.AbsentJustified, of, clock.GetUtcNow(), "Enfant malade, prévenu le prescripteur");
        clock.Advance(TimeSpan.FromDays(1));
        p.Convoke(MeetingFor(p, clock.GetUtcNow()), of, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(8));
        p.RecordAttendance(S.Attended, otherOf, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(2));
        p.Waitlist(otherOf, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(3));
        p.Select(otherOf, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(7));
        p.Enter(of, clock.GetUtcNow());

        var expected = new (Guid? By, DateTimeOffset At, S? From, S To, string? Why)[]
        {
            (PrescriberUserId, T0, null, S.Submitted, "Prescription créée"),
            (of, T0.AddDays(1), S.Submitted, S.Convoked, ConvocationReason(T0.AddDays(1))),
            (of, T0.AddDays(10), S.Convoked, S.AbsentJustified, "Enfant malade, prévenu le prescripteur"),
            (of, T0.AddDays(11), S.AbsentJustified, S.Convoked, ConvocationReason(T0.AddDays(11))),
            (otherOf, T0.AddDays(19), S.Convoked, S.Attended, null),
            (otherOf, T0.AddDays(21), S.Attended, S.Waitlisted, null),
            (otherOf, T0.AddDays(24), S.Waitlisted, S.Selected, null),
            (of, T0.AddDays(31), S.Selected, S.Entered, "Entrée en formation"),
        };
        p.History.Select(h => (h.ByUserId, h.At, h.From, h.To, h.Reason)).ShouldBe(expected);
        p.History.ShouldAllBe(h => h.PrescriptionId == p.Id);
        p.Status.ShouldBe(S.Entered);
        p.StatusChangedAt.ShouldBe(T0.AddDays(31));
        p.ConvokedAt.ShouldBe(T0.AddDays(11));
    }

    [Fact]
    public void Expire_IsRecordedWithoutUser_AndNamesTheRule_O5()
    {
        var clock = new FakeTimeProvider(T0);
        var p = PrescriptionIn(S.Waitlisted, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(120));

        p.Expire(clock.GetUtcNow(), "O5");

        var last = p.History[^1];
        last.ByUserId.ShouldBeNull();
        last.From.ShouldBe(S.Waitlisted);
        last.To.ShouldBe(S.Expired);
        last.At.ShouldBe(T0.AddDays(120));
        last.Reason.ShouldBe("Préinscription expirée (O5)");
    }

    [Fact]
    public void MarkSessionCancelled_ByAJob_IsRecordedWithoutUser()
    {
        var p = PrescriptionIn(S.Convoked);

        p.MarkSessionCancelled(null, T0.AddDays(3));

        p.Status.ShouldBe(S.SessionCancelled);
        p.History[^1].ByUserId.ShouldBeNull();
        p.History[^1].Reason.ShouldBe("Session annulée par l'organisme de formation");
    }

    [Fact]
    public void Cancel_RecordsTheGivenReason_P6()
    {
        var p = PrescriptionIn(S.Submitted);

        p.Cancel(PrescriberUserId, T0.AddDays(1), "Entrée en formation sur un autre choix");

        p.Status.ShouldBe(S.Cancelled);
        p.History[^1].Reason.ShouldBe("Entrée en formation sur un autre choix");
        p.History[^1].ByUserId.ShouldBe(PrescriberUserId);
    }

    [Fact]
    public void SelectedCandidate_CanBeMovedBackToTheWaitlist_AndSelectedAgain()
    {
        var p = PrescriptionIn(S.Selected);

        p.Waitlist(OfUserId, T0.AddDays(1));
        p.Select(OfUserId, T0.AddDays(2));

        p.Status.ShouldBe(S.Selected);
        p.History.Select(h => h.To).TakeLast(3).ShouldBe([S.Selected, S.Waitlisted, S.Selected]);
    }
}
