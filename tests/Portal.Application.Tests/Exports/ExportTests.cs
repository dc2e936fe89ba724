using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;
using Portal.Application.Abstractions;
using Portal.Application.Export;
using Portal.Application.Features.Arbitrations;
using Portal.Application.Features.Exports;
using Portal.Application.Features.Fiches;
using Portal.Application.Features.Home;
using Portal.Application.Features.Observatory;
using Portal.Application.Features.Selection;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Exports;
using Portal.Infrastructure.Export;
using Portal.Infrastructure.Files;
using Portal.Testing;

namespace Portal.Application.Tests.Exports;

/// <summary>
/// Q3, Q4: every list exports as shown, in the screen's scope; above the threshold the export is a background job
/// whose progress reaches the total and whose file holds the rows; failures are final and French; expired exports are purged.
/// </summary>
public sealed class ExportTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _files = Path.Combine(Path.GetTempPath(), $"portal-exports-{Guid.NewGuid():N}");
    private readonly RecordingNotifier<ExportProgressed> _recording = new();
    private readonly RecordingScheduler _scheduler = new();
    private readonly FakeTimeProvider _clock = new(TestDatabase.DefaultNow);
    private TestDatabase _database = null!;
    private FileSystemFileStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _store = new FileSystemFileStore(_files);
    }

    public async ValueTask DisposeAsync()
    {
        _recording.Dispose();
        await _database.DisposeAsync();
        if (Directory.Exists(_files)) Directory.Delete(_files, recursive: true);
    }

    private ListExports Lists(params IListExport[] extra) => new([
        new PrescriberDashboardExport(new GetPrescriberDashboard.Handler(_database, _clock), _clock, wholeOrganisation: false),
        new PrescriberDashboardExport(new GetPrescriberDashboard.Handler(_database, _clock), _clock, wholeOrganisation: true),
        new SessionWaitlistExport(new GetSessionWaitlist.Handler(_database), _clock),
        new SessionDecisionsExport(new GetSessionDecisions.Handler(_database), _clock),
        new ArbitrationsExport(new GetArbitrations.Handler(_database), _clock),
        new FichesToValidateExport(new GetFichesToValidate.Handler(_database), _clock),
        new QualityAlertsExport(new GetQualityAlerts.Handler(_database), _clock),
        .. extra,
    ]);

    private static ExportWriter Writer => new(new MiniExcelSpreadsheetWriter());

    private RequestExport.Handler Requester(int threshold = ExportSettings.DefaultThreshold, params IListExport[] extra) =>
        new(Lists(extra), _database, _scheduler, _recording.Notifier, _clock, Settings(threshold), Writer);

    private static ExportSettings Settings(int threshold) => new(threshold, PageSize: 2);

    private ExportJob Job(params IListExport[] extra) => new(Lists(extra), _database, _store, _recording.Notifier, _clock, Settings(0), Writer);

    private Task<CurrentUser> UserAsync(string local) => TestUsers.ForAsync(_database, local);

    private async Task<RequestExport.Inline> InlineAsync(string key, string local, ExportFormat format = ExportFormat.Csv, ExportParameters? parameters = null) =>
        (RequestExport.Inline)await Requester().HandleAsync(new RequestExport(key, format, parameters ?? ExportParameters.Empty), await UserAsync(local), Ct);

    private static string[] CsvLines(byte[] content)
    {
        content.Take(3).ShouldBe(Encoding.UTF8.GetPreamble());
        return Encoding.UTF8.GetString(content, 3, content.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    private async Task<Guid> SessionOfAsync(string local)
    {
        var user = await UserAsync(local);
        await using var db = _database.CreateDbContext();
        return await db.AllPrescriptions.Where(p => p.TrainingBodyId == user.OrganisationId).Select(p => p.SessionId).FirstAsync(Ct);
    }

    private static ExportParameters Session(Guid id) => new([KeyValuePair.Create("session", id.ToString())]);

    [Fact]
    public async Task Export_MesCandidats_HasTheScreensRowsAndFrenchHeaders()
    {
        var camille = await UserAsync(TestUsers.Camille);
        var screen = await new GetPrescriberDashboard.Handler(_database, _clock).HandleAsync(new GetPrescriberDashboard(false, Take: 500), camille, Ct);

        var export = await InlineAsync(PrescriberDashboardExport.MineKey, TestUsers.Camille);

        var lines = CsvLines(export.Content);
        lines[0].ShouldBe("Candidat;Commune;À traiter;Dernier événement;Choix (au plus 3)");
        lines.Skip(1).Select(l => l.Split(';')[0]).ShouldBe(screen.Rows.Select(r => $"{r.LastName.ToUpperInvariant()} {r.FirstName}"));
        export.FileName.ShouldBe("mes-candidats-2026-11-27.csv");
    }

    [Fact]
    public async Task Export_MesCandidats_OtherOrganisation_HasNoneOfItsCandidates()
    {
        var lucas = await UserAsync(TestUsers.Lucas);
        var screen = await new GetPrescriberDashboard.Handler(_database, _clock).HandleAsync(new GetPrescriberDashboard(false, Take: 500), lucas, Ct);
        await using (var db = _database.CreateDbContext())
        {
            var ids = screen.Rows.Select(r => r.CandidateId).ToList();
            (await db.AllCandidates.Where(c => ids.Contains(c.Id)).Select(c => c.OrganisationId).Distinct().ToListAsync(Ct)).ShouldBe([lucas.OrganisationId]);
        }

        var export = await InlineAsync(PrescriberDashboardExport.MineKey, TestUsers.Lucas);

        CsvLines(export.Content).Skip(1).Select(l => l.Split(';')[0]).ShouldBe(screen.Rows.Select(r => $"{r.LastName.ToUpperInvariant()} {r.FirstName}"));
    }

    [Fact]
    public async Task Export_CandidatsOrganisation_ByAPrescriberWhoIsNotReferent_AccessDenied()
    {
        await Should.ThrowAsync<AccessDeniedException>(() => InlineAsync(PrescriberDashboardExport.OrganisationKey, TestUsers.Camille));
        var sophie = await InlineAsync(PrescriberDashboardExport.OrganisationKey, TestUsers.Sophie);
        CsvLines(sophie.Content)[0].ShouldBe("Candidat;Commune;Suivi par;À traiter;Dernier événement;Choix (au plus 3)");
    }

    [Fact]
    public async Task Export_SessionPrescriptions_OtherOrganisation_NotFound()
    {
        var julies = await SessionOfAsync(TestUsers.Julie);

        await Should.ThrowAsync<NotFoundException>(() => InlineAsync(SessionWaitlistExport.ListKey, TestUsers.Thomas, parameters: Session(julies)));
        await Should.ThrowAsync<NotFoundException>(() => InlineAsync(SessionDecisionsExport.ListKey, TestUsers.Thomas, parameters: Session(julies)));

        var own = await InlineAsync(SessionWaitlistExport.ListKey, TestUsers.Julie, parameters: Session(julies));
        CsvLines(own.Content)[0].ShouldBe("Position;Candidat;Prescripteur;Choix;Statut;Prescrit le;Autres choix");
    }

    [Fact]
    public async Task Export_SessionPrescriptions_ReadInPagesOfTwo_HasEveryPrescription_WithPositionsContinuingAcrossPages_O9()
    {
        var julie = await UserAsync(TestUsers.Julie);
        var session = await SessionOfAsync(TestUsers.Julie);
        var whole = await new GetSessionWaitlist.Handler(_database).HandleAsync(new GetSessionWaitlist(session, 0, GetSessionWaitlist.MaxTake), julie, Ct);
        whole.Total.ShouldBeGreaterThan(2, "the export needs more than one page of 2");

        var export = await InlineAsync(SessionWaitlistExport.ListKey, TestUsers.Julie, parameters: Session(session));

        var lines = CsvLines(export.Content).Skip(1).Select(l => l.Split(';')).ToList();
        lines.Count.ShouldBe(whole.Total);
        lines.Select(l => l[0]).ShouldBe(whole.Entries.Select(e => e.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—"));
        lines.Select(l => l[1]).ShouldBe(whole.Entries.Select(e => e.CandidateName));
    }

    [Fact]
    public async Task Export_Session_WithoutOrWithAMalformedSessionId_IsRefusedInFrench()
    {
        var missing = await Should.ThrowAsync<DomainException>(() => InlineAsync(SessionWaitlistExport.ListKey, TestUsers.Julie));
        missing.Message.ShouldBe("Indiquez la session à exporter (paramètre « session »).");
        await Should.ThrowAsync<DomainException>(() =>
            InlineAsync(SessionWaitlistExport.ListKey, TestUsers.Julie, parameters: new([KeyValuePair.Create("session", "abc")])));
    }

    [Fact]
    public async Task Export_UnknownList_NotFound_AndUnknownFilter_Refused()
    {
        (await Should.ThrowAsync<NotFoundException>(() => InlineAsync("inconnue", TestUsers.Camille))).Message.ShouldBe("Liste à exporter inconnue : « inconnue ».");
        await Should.ThrowAsync<DomainException>(() =>
            InlineAsync(PrescriberDashboardExport.MineKey, TestUsers.Camille, parameters: new([KeyValuePair.Create("filtre", "99")])));
    }

    [Theory]
    [InlineData(ArbitrationsExport.ListKey, TestUsers.Camille)]
    [InlineData(FichesToValidateExport.ListKey, TestUsers.Julie)]
    [InlineData(FichesToValidateExport.ListKey, TestUsers.Aurelie)]
    public async Task Export_OfAListTheUserMayNotSee_AccessDenied(string key, string local) =>
        await Should.ThrowAsync<AccessDeniedException>(() => InlineAsync(key, local));

    [Fact]
    public async Task Export_Arbitrations_AndFichesToValidate_AsTheirScreens()
    {
        var region = await UserAsync(TestUsers.Claire);
        var fiches = await new GetFichesToValidate.Handler(_database).HandleAsync(new GetFichesToValidate(), region, Ct);

        var export = await InlineAsync(FichesToValidateExport.ListKey, TestUsers.Claire);

        var lines = CsvLines(export.Content);
        lines[0].ShouldBe("Intitulé;Organisme de formation;Version;Soumise le");
        lines.Length.ShouldBe(fiches.Total + 1);
        CsvLines((await InlineAsync(ArbitrationsExport.ListKey, TestUsers.Aurelie)).Content)[0]
            .ShouldBe("Candidat;Formation;Organisme de formation;Prescripteur;Demandé par;Décision contestée;Le;État");
    }

    [Fact]
    public async Task Export_QualityAlerts_OfAnOf_HasOnlyItsOwn_WhileTheCarifHasAll_Q2()
    {
        var julie = await UserAsync(TestUsers.Julie);
        var thomas = await UserAsync(TestUsers.Thomas);
        await using (var db = _database.CreateDbContext())
        {
            db.QualityAlerts.Add(new Portal.Domain.Quality.QualityAlert(Portal.Domain.Quality.QualityAlertKind.DecisionsMissing, julie.OrganisationId, 2, TestDatabase.DefaultNow));
            db.QualityAlerts.Add(new Portal.Domain.Quality.QualityAlert(Portal.Domain.Quality.QualityAlertKind.DecisionsMissing, thomas.OrganisationId, 3, TestDatabase.DefaultNow));
            await db.SaveChangesAsync(Ct);
        }

        var own = CsvLines((await InlineAsync(QualityAlertsExport.ListKey, TestUsers.Julie)).Content);
        var all = CsvLines((await InlineAsync(QualityAlertsExport.ListKey, TestUsers.Nicolas)).Content);

        own[0].ShouldBe("Organisme;Alerte;Levée le;Transmise à la Région le;Commentaire");
        own.Skip(1).ShouldHaveSingleItem().ShouldStartWith(julie.OrganisationName + ";2 candidats sans décision");
        all.Skip(1).Count(l => l.StartsWith(julie.OrganisationName + ";", StringComparison.Ordinal) || l.StartsWith(thomas.OrganisationName + ";", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task Export_Xlsx_IsWrittenByTheLibrary_WithTheSameCells()
    {
        var csv = CsvLines((await InlineAsync(PrescriberDashboardExport.MineKey, TestUsers.Camille)).Content);

        var xlsx = await InlineAsync(PrescriberDashboardExport.MineKey, TestUsers.Camille, ExportFormat.Xlsx);

        xlsx.FileName.ShouldEndWith(".xlsx");
        using var stream = new MemoryStream(xlsx.Content);
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        rows.Count.ShouldBe(csv.Length - 1);
        rows[0]["Candidat"].ShouldBe(csv[1].Split(';')[0]);
    }

    [Fact]
    public async Task Export_AboveTheThreshold_IsQueued_AndTheJobWritesEveryRow_ProgressReachingTheTotal()
    {
        var sophie = await UserAsync(TestUsers.Sophie);
        var inline = CsvLines((await InlineAsync(PrescriberDashboardExport.OrganisationKey, TestUsers.Sophie)).Content);
        inline.Length.ShouldBeGreaterThan(3, "the demo organisation has enough candidates for several pages of 2");

        var outcome = await Requester(threshold: 1).HandleAsync(new RequestExport(PrescriberDashboardExport.OrganisationKey, ExportFormat.Csv, ExportParameters.Empty), sophie, Ct);

        var queued = outcome.ShouldBeOfType<RequestExport.Queued>();
        queued.Rows.ShouldBe(inline.Length - 1);
        var call = _scheduler.Calls.ShouldHaveSingleItem();
        await ((Expression<Func<ExportJob, Task>>)call).Compile()(Job());

        var events = _recording.Published.ToList();
        events.First().Status.ShouldBe(ExportStatus.Queued);
        // One progress event per page of 2 rows, from 0 up to the total.
        var progress = events.Where(e => e.Status == ExportStatus.Running).Select(e => e.RowsWritten).ToList();
        progress.Take(3).ShouldBe([0, 2, 4]);
        progress.ShouldBe(progress.Order().ToList());
        progress.Last().ShouldBe(queued.Rows);
        var done = events.Last();
        done.Status.ShouldBe(ExportStatus.Done);
        done.RowsWritten.ShouldBe(queued.Rows);
        done.TotalRows.ShouldBe(queued.Rows);
        events.ShouldAllBe(e => e.RequestedBy == sophie.UserId && e.ExportId == queued.ExportId);

        var download = await new GetExportFile.Handler(_database, _store, _clock).HandleAsync(new GetExportFile(queued.ExportId), sophie, Ct);
        download.FileName.ShouldBe("candidats-organisation-2026-11-27.csv");
        using var content = new MemoryStream();
        await using (download.Content) await download.Content.CopyToAsync(content, Ct);
        CsvLines(content.ToArray()).ShouldBe(inline);

        var mine = await new GetMyExports.Handler(_database, _clock).HandleAsync(sophie, Ct);
        var row = mine.ShouldHaveSingleItem();
        (row.Status, row.RowsWritten, row.TotalRows, row.Percent).ShouldBe((ExportStatus.Done, queued.Rows, queued.Rows, 100d));
    }

    [Fact]
    public async Task ExportJob_Xlsx_WritesEveryRowInPages()
    {
        var sophie = await UserAsync(TestUsers.Sophie);
        var outcome = (RequestExport.Queued)await Requester(threshold: 1).HandleAsync(
            new RequestExport(PrescriberDashboardExport.OrganisationKey, ExportFormat.Xlsx, ExportParameters.Empty), sophie, Ct);

        await Job().RunAsync(outcome.ExportId, Ct);

        var download = await new GetExportFile.Handler(_database, _store, _clock).HandleAsync(new GetExportFile(outcome.ExportId), sophie, Ct);
        download.ContentType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using var content = new MemoryStream();
        await using (download.Content) await download.Content.CopyToAsync(content, Ct);
        content.Position = 0;
        content.Query(useHeaderRow: true).Count().ShouldBe(outcome.Rows);
    }

    [Fact]
    public async Task ExportFile_OfAnotherUser_NotFound_AndNotReady_RefusedInFrench()
    {
        var sophie = await UserAsync(TestUsers.Sophie);
        var outcome = (RequestExport.Queued)await Requester(threshold: 1).HandleAsync(
            new RequestExport(PrescriberDashboardExport.OrganisationKey, ExportFormat.Csv, ExportParameters.Empty), sophie, Ct);
        var files = new GetExportFile.Handler(_database, _store, _clock);

        var early = await Should.ThrowAsync<DomainException>(() => files.HandleAsync(new GetExportFile(outcome.ExportId), sophie, Ct));
        early.Message.ShouldStartWith("Cet export n'est pas encore prêt");
        await Job().RunAsync(outcome.ExportId, Ct);

        await Should.ThrowAsync<NotFoundException>(() => files.HandleAsync(new GetExportFile(outcome.ExportId), UserAsync(TestUsers.Camille).Result, Ct));
        await Should.ThrowAsync<NotFoundException>(() => files.HandleAsync(new GetExportFile(Guid.NewGuid()), sophie, Ct));
        (await new GetMyExports.Handler(_database, _clock).HandleAsync(await UserAsync(TestUsers.Camille), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ExportJob_WhenTheListIsNoLongerVisible_MarksFailed_WithAFrenchMessage()
    {
        var julie = await UserAsync(TestUsers.Julie);
        var request = await QueueDirectlyAsync(julie, SessionWaitlistExport.ListKey, Session(Guid.NewGuid()).ToJson());

        await Job().RunAsync(request, Ct);

        var failed = await LoadAsync(request);
        failed.Status.ShouldBe(ExportStatus.Failed);
        failed.Error.ShouldBe("L'export a échoué : Session introuvable.");
        failed.FinishedAt.ShouldBe(TestDatabase.DefaultNow);
        _recording.Published.Last().Status.ShouldBe(ExportStatus.Failed);
        var row = (await new GetMyExports.Handler(_database, _clock).HandleAsync(julie, Ct)).ShouldHaveSingleItem();
        row.Error.ShouldBe("L'export a échoué : Session introuvable.");
    }

    [Fact]
    public async Task ExportJob_OnATechnicalFailureMidway_MarksFailed_WithAFrenchMessage_AndRunningItAgainChangesNothing()
    {
        var julie = await UserAsync(TestUsers.Julie);
        var broken = new BrokenExport();
        var request = await QueueDirectlyAsync(julie, broken.Key, "{}");

        await Job(broken).RunAsync(request, Ct);
        await Job(broken).RunAsync(request, Ct);

        var failed = await LoadAsync(request);
        failed.Status.ShouldBe(ExportStatus.Failed);
        failed.Error.ShouldBe(ExportJob.TechnicalFailure);
        failed.FileKey.ShouldBeNull();
        broken.Opened.ShouldBe(1);
    }

    [Fact]
    public async Task PurgeExports_DeletesTheExpiredExportsAndTheirFiles_At24Hours()
    {
        var sophie = await UserAsync(TestUsers.Sophie);
        var outcome = (RequestExport.Queued)await Requester(threshold: 1).HandleAsync(
            new RequestExport(PrescriberDashboardExport.OrganisationKey, ExportFormat.Csv, ExportParameters.Empty), sophie, Ct);
        await Job().RunAsync(outcome.ExportId, Ct);
        var key = (await LoadAsync(outcome.ExportId)).FileKey!;
        var purgeClock = new FakeTimeProvider(TestDatabase.DefaultNow.AddHours(24).AddSeconds(-1));
        var purge = new PurgeExportsJob(_database, _store, purgeClock);

        await purge.RunAsync(Ct);
        (await _store.OpenReadAsync(key, Ct)).ShouldNotBeNull().Dispose();
        (await new GetMyExports.Handler(_database, purgeClock).HandleAsync(sophie, Ct)).ShouldHaveSingleItem();

        purgeClock.Advance(TimeSpan.FromSeconds(1));
        (await new GetMyExports.Handler(_database, purgeClock).HandleAsync(sophie, Ct)).ShouldBeEmpty();
        await Should.ThrowAsync<NotFoundException>(() => new GetExportFile.Handler(_database, _store, purgeClock).HandleAsync(new GetExportFile(outcome.ExportId), sophie, Ct));
        await purge.RunAsync(Ct);

        (await _store.OpenReadAsync(key, Ct)).ShouldBeNull();
        await using var db = _database.CreateDbContext();
        (await db.AllExportRequests.AnyAsync(e => e.Id == outcome.ExportId, Ct)).ShouldBeFalse();
        await purge.RunAsync(Ct);
    }

    private async Task<Guid> QueueDirectlyAsync(CurrentUser user, string key, string json)
    {
        var request = new ExportRequest(user.UserId, user.OrganisationId, key, json, ExportFormat.Csv, "Liste", "liste.csv", 10, TestDatabase.DefaultNow, TimeSpan.FromHours(24));
        await using var db = _database.CreateDbContext();
        db.AllExportRequests.Add(request);
        await db.SaveChangesAsync(Ct);
        return request.Id;
    }

    private async Task<ExportRequest> LoadAsync(Guid id)
    {
        await using var db = _database.CreateDbContext();
        return await db.AllExportRequests.AsNoTracking().SingleAsync(e => e.Id == id, Ct);
    }

    /// <summary>A list whose second page fails (a database gone away).</summary>
    private sealed class BrokenExport : IListExport
    {
        public int Opened { get; private set; }

        public string Key => "cassee";

        public Task<ExportSource> OpenAsync(ExportParameters parameters, CurrentUser user, CancellationToken cancellationToken)
        {
            Opened++;
            return Task.FromResult(new ExportSource("Liste", "liste", ["A"], 10, (skip, take, _) => skip == 0
                ? Task.FromResult<IReadOnlyList<IReadOnlyList<string>>>([.. Enumerable.Range(0, take).Select(i => (IReadOnlyList<string>)[i.ToString(System.Globalization.CultureInfo.InvariantCulture)])])
                : throw new InvalidOperationException("database is locked")));
        }
    }

    private sealed class RecordingScheduler : IJobScheduler
    {
        public ConcurrentQueue<LambdaExpression> Queue { get; } = new();

        public IReadOnlyList<LambdaExpression> Calls => [.. Queue];

        public string Enqueue<TJob>(Expression<Func<TJob, Task>> call) where TJob : notnull
        {
            Queue.Enqueue(call);
            return Queue.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
