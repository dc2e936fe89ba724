using Portal.Domain.Common;
using Portal.Domain.Exports;

namespace Portal.Domain.Tests;

/// <summary>Q3, Q4: a background export's lifecycle: queued, running (again after a restart), then done or failed for good; expiry after its retention.</summary>
public sealed class ExportRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 11, 0, 0, TimeSpan.Zero);

    private static ExportRequest Queued(TimeSpan? retention = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "mes-candidats", "{}", ExportFormat.Xlsx, "Mes candidats", "mes-candidats.xlsx", 12, Now, retention ?? TimeSpan.FromHours(24));

    [Fact]
    public void AnExport_IsQueued_ThenRuns_ThenIsDone_WithItsFile_AndExpiresAfterItsRetention()
    {
        var export = Queued();
        (export.Status, export.TotalRows, export.ExpiresAt).ShouldBe((ExportStatus.Queued, 12, Now.AddHours(24)));

        export.Start(14);
        export.Status.ShouldBe(ExportStatus.Running);
        export.TotalRows.ShouldBe(14);
        export.Complete("0123456789abcdef0123456789abcdef", 2048, 14, Now.AddMinutes(2));

        (export.Status, export.RowsWritten, export.FileKey, export.FileSize, export.FinishedAt).ShouldBe(
            (ExportStatus.Done, 14, "0123456789abcdef0123456789abcdef", 2048L, Now.AddMinutes(2)));
        export.IsFinished.ShouldBeTrue();
        Should.Throw<DomainException>(() => export.Start(14)).Rule.ShouldBe("Q3");
    }

    [Fact]
    public void AFailedExport_KeepsItsFrenchMessage_AndNeverRunsOrFailsAgain()
    {
        var export = Queued();
        export.Start(12);

        export.Fail("L'export a échoué : Session introuvable.", Now);
        export.Fail("autre", Now.AddHours(1));

        (export.Status, export.Error, export.FinishedAt).ShouldBe((ExportStatus.Failed, "L'export a échoué : Session introuvable.", Now));
        Should.Throw<DomainException>(() => export.Start(12));
        Should.Throw<DomainException>(() => export.Complete("0123456789abcdef0123456789abcdef", 1, 1, Now));
    }

    [Fact]
    public void AnExport_OnlyCompletesWhileRunning_AndRestartsItsProgressWhenItsJobRunsAgain()
    {
        var export = Queued();
        Should.Throw<DomainException>(() => export.Complete("0123456789abcdef0123456789abcdef", 1, 1, Now));
        export.Start(12);
        export.Start(13);
        (export.Status, export.RowsWritten, export.TotalRows).ShouldBe((ExportStatus.Running, 0, 13));
    }

    [Fact]
    public void AnExport_NeedsAListAndAPositiveRetention()
    {
        Should.Throw<DomainException>(() => new ExportRequest(Guid.NewGuid(), Guid.NewGuid(), " ", "{}", ExportFormat.Csv, "t", "f.csv", 1, Now, TimeSpan.FromHours(1)));
        Should.Throw<DomainException>(() => Queued(TimeSpan.Zero));
    }

    [Theory]
    [InlineData(ExportStatus.Queued, "En attente")]
    [InlineData(ExportStatus.Running, "En cours")]
    [InlineData(ExportStatus.Done, "Prêt")]
    [InlineData(ExportStatus.Failed, "Échec")]
    public void ExportStatuses_HaveFrenchLabels(ExportStatus status, string label) => status.Label().ShouldBe(label);
}
