using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Testing;

namespace Portal.Application.Tests.Selection;

/// <summary>S9: the Région sets up a selection commission; the session's OF and prescribers read it.</summary>
public sealed class SelectionCommissionTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset MeetsAt = new(2027, 1, 12, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Region_SetsUpACommission_ThenRecordsItsOutcome_OfAndPrescribersReadIt_S9()
    {
        var (session, _) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 2);
        var clock = new FakeTimeProvider(MeetsAt.AddDays(-20));
        var claire = await fixture.UserAsync(TestUsers.Claire);
        using var recording = new RecordingNotifier<SelectionCommissionChanged>();
        var save = new SaveSelectionCommission.Handler(fixture.Database, clock, recording.Notifier);
        var read = new GetSelectionCommission.Handler(fixture.Database);

        await save.HandleAsync(new SaveSelectionCommission(session, ["Claire Lefèvre – Région", "  ", "Julie Moreau – Formapro Gironde", "Camille Durand – ML Technowest"], MeetsAt, null), claire, Ct);
        clock.SetUtcNow(MeetsAt.AddHours(3));
        await save.HandleAsync(new SaveSelectionCommission(session, ["Claire Lefèvre – Région", "Julie Moreau – Formapro Gironde", "Camille Durand – ML Technowest"], MeetsAt,
            "12 candidats retenus, 3 sur liste d'attente ; 2 orientés vers une remise à niveau."), claire, Ct);

        var seenByRegion = await read.HandleAsync(new GetSelectionCommission(session), claire, Ct);
        seenByRegion.CanEdit.ShouldBeTrue();
        seenByRegion.Members.ShouldBe(["Claire Lefèvre – Région", "Julie Moreau – Formapro Gironde", "Camille Durand – ML Technowest"]);
        seenByRegion.Outcome.ShouldStartWith("12 candidats retenus");
        seenByRegion.OutcomeRecordedAt.ShouldBe(MeetsAt.AddHours(3));
        foreach (var reader in new[] { TestUsers.Julie, TestUsers.Camille })
        {
            var seen = await read.HandleAsync(new GetSelectionCommission(session), await fixture.UserAsync(reader), Ct);
            (seen.Exists, seen.CanEdit, seen.MeetsAt).ShouldBe((true, false, (DateTimeOffset?)MeetsAt));
        }
        recording.Published.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Commission_OnlyTheRegionEdits_AndOutsidersGetNotFound_S9()
    {
        var (session, _) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 1);
        var clock = new FakeTimeProvider(MeetsAt.AddDays(-20));
        using var recording = new RecordingNotifier<SelectionCommissionChanged>();
        var save = new SaveSelectionCommission.Handler(fixture.Database, clock, recording.Notifier);
        var julie = await fixture.UserAsync(TestUsers.Julie);

        await Should.ThrowAsync<AccessDeniedException>(() => save.HandleAsync(new SaveSelectionCommission(session, ["Quelqu'un"], MeetsAt, null), julie, Ct));
        var claire = await fixture.UserAsync(TestUsers.Claire);
        (await Should.ThrowAsync<DomainException>(() => save.HandleAsync(new SaveSelectionCommission(session, [" "], MeetsAt, null), claire, Ct))).Rule.ShouldBe("S9");
        (await Should.ThrowAsync<DomainException>(() => save.HandleAsync(new SaveSelectionCommission(session, ["Claire"], MeetsAt, "Trop tôt"), claire, Ct))).Rule.ShouldBe("S9");
        foreach (var outsider in new[] { TestUsers.Thomas, TestUsers.Lucas })
        {
            var outsiderUser = await fixture.UserAsync(outsider);
            await Should.ThrowAsync<NotFoundException>(() => new GetSelectionCommission.Handler(fixture.Database).HandleAsync(new GetSelectionCommission(session), outsiderUser, Ct));
        }
    }

    [Fact]
    public async Task BusySessions_RegionSeesTheSessionsWithTheMostActivePrescriptions_WithTheirCommission_S9()
    {
        var (session, _) = await SelectionFixture.SessionWithPrescriptionsAsync(fixture, 30);
        var claire = await fixture.UserAsync(TestUsers.Claire);
        using var recording = new RecordingNotifier<SelectionCommissionChanged>();
        await new SaveSelectionCommission.Handler(fixture.Database, new FakeTimeProvider(MeetsAt.AddDays(-3)), recording.Notifier)
            .HandleAsync(new SaveSelectionCommission(session, ["Claire Lefèvre – Région"], MeetsAt, null), claire, Ct);

        var rows = await new GetBusySessions.Handler(fixture.Database).HandleAsync(new GetBusySessions(), claire, Ct);

        var top = rows[0];
        (top.SessionId, top.ActivePrescriptions, top.HasCommission, top.Crowded).ShouldBe((session, 30, true, true));
        rows.Select(r => r.ActivePrescriptions).ShouldBeInOrder(SortDirection.Descending);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        await Should.ThrowAsync<AccessDeniedException>(() => new GetBusySessions.Handler(fixture.Database).HandleAsync(new GetBusySessions(), julie, Ct));
    }
}
