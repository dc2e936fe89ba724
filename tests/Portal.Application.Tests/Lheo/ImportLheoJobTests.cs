using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Application.Abstractions;
using Portal.Application.Features.Lheo;
using Portal.Application.Security;
using Portal.Infrastructure.Lheo;
using Portal.Infrastructure.Live;
using Portal.Testing;
using static Portal.Application.Tests.Lheo.LheoFiles;

namespace Portal.Application.Tests.Lheo;

/// <summary>The import screen's path: the upload is kept, a job is enqueued, and the job reports live.</summary>
public sealed class ImportLheoJobTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"portal-lheo-{Guid.NewGuid():N}");
    private readonly LiveNotifier _notifier = new(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);
    private readonly ConcurrentQueue<LheoImportProgress> _events = new();
    private readonly RecordingScheduler _scheduler = new();
    private TestDatabase _database = null!;
    private IDisposable? _subscription;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _subscription = _notifier.Subscribe<LheoImportProgress>(e => { _events.Enqueue(e); return Task.CompletedTask; });
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _notifier.Dispose();
        await _database.DisposeAsync();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private FileLheoImportStore Store => new(_directory);

    private ImportLheoJob Job => new(Importer(_database), Store, _notifier);

    private StartLheoImport.Handler Starter => new(Store, _scheduler);

    [Fact]
    public async Task Start_KeepsTheFile_AndEnqueuesTheJobScopedToTheTrainingBody()
    {
        var julie = await TestUsers.ForAsync(_database, TestUsers.Julie);
        await using var file = Text(Minimal());

        var importId = Guid.NewGuid();

        (await Starter.HandleAsync(new StartLheoImport(importId, file), julie, Ct)).ShouldBe(importId);

        File.Exists(Path.Combine(_directory, $"{importId:N}.xml")).ShouldBeTrue();
        var call = _scheduler.Calls.ShouldHaveSingleItem();
        call.ToString().ShouldContain(nameof(ImportLheoJob.RunAsync));
        // The scope travels with the job: run it as Hangfire would.
        await call.Compile()(Job);
        await _notifier.DrainAsync();
        var done = _events.Last();
        (done.ImportId, done.RequestedBy, done.Finished, done.Succeeded).ShouldBe((importId, julie.UserId, true, true));
        File.Exists(Path.Combine(_directory, $"{importId:N}.xml")).ShouldBeFalse();
    }

    [Fact]
    public async Task Start_ByAPrescriber_IsRefused_AndEnqueuesNothing()
    {
        var camille = await TestUsers.ForAsync(_database, TestUsers.Camille);
        await using var file = Text(Minimal());

        await Should.ThrowAsync<AccessDeniedException>(() => Starter.HandleAsync(new StartLheoImport(Guid.NewGuid(), file), camille, Ct));

        _scheduler.Calls.ShouldBeEmpty();
        Directory.Exists(_directory).ShouldBeFalse();
    }

    [Fact]
    public async Task Job_ReportsEachStepThenTheSummary_InOrder()
    {
        var importId = Guid.NewGuid();
        var requestedBy = Guid.NewGuid();
        await using (var file = Sample(Onisep)) await Store.SaveAsync(importId, file, Ct);

        await Job.RunAsync(importId, requestedBy, null, Ct);

        await _notifier.DrainAsync();
        _events.Select(e => e.Message).ShouldBe([
            "Lecture et validation du fichier…",
            "Fichier LHEO 2.2 valide : 1 formation(s).",
            "Formation 1/1 préparée : BTS négociation et relation client",
            "Enregistrement…",
            "Import LHEO terminé : 1 fiche(s) action créée(s), 0 mise(s) à jour, 0 inchangée(s) ; 1 session(s) créée(s), 0 déjà présente(s) ; 1 organisme(s) de formation créé(s)."]);
        _events.Count(e => e.Finished).ShouldBe(1);
        _events.ShouldAllBe(e => e.ImportId == importId && e.RequestedBy == requestedBy);
    }

    [Fact]
    public async Task Job_OfAnotherSiretForATrainingBody_EndsWithTheFrenchRefusal_AndImportsNothing()
    {
        var julie = await TestUsers.ForAsync(_database, TestUsers.Julie);
        var before = await SnapshotAsync(_database);
        var importId = Guid.NewGuid();
        await using (var file = Sample(Daeu)) await Store.SaveAsync(importId, file, Ct);

        await Job.RunAsync(importId, julie.UserId, julie.OrganisationId, Ct);

        await _notifier.DrainAsync();
        var done = _events.Last();
        (done.Finished, done.Succeeded).ShouldBe((true, false));
        done.Message.ShouldStartWith("Ligne 4 : l'offre est celle du SIRET 19311383400389");
        (await SnapshotAsync(_database)).ShouldBe(before);
    }

    [Fact]
    public async Task Job_WhoseFileIsGone_EndsWithAFrenchMessage()
    {
        await Job.RunAsync(Guid.NewGuid(), Guid.NewGuid(), null, Ct);

        await _notifier.DrainAsync();
        var done = _events.ShouldHaveSingleItem();
        (done.Finished, done.Succeeded).ShouldBe((true, false));
        done.Message.ShouldBe("Le fichier à importer n'est plus disponible : déposez-le à nouveau.");
    }

    private sealed class RecordingScheduler : IJobScheduler
    {
        public List<Expression<Func<ImportLheoJob, Task>>> Calls { get; } = [];

        public string Enqueue<TJob>(Expression<Func<TJob, Task>> call) where TJob : notnull
        {
            Calls.Add((Expression<Func<ImportLheoJob, Task>>)(object)call);
            return Calls.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
