using System.Linq.Expressions;
using System.Reflection;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Abstractions;
using Portal.Application.Features.Lheo;
using Portal.Domain.Offer;
using Portal.Infrastructure.Lheo;
using Portal.Testing;
using Portal.Web.Auth;
using Portal.Web.Components.Layout;
using Portal.Web.Features.Lheo;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Lheo;

/// <summary>
/// The LHEO import screen: the upload goes to a job (run here on a background task, as Hangfire would), whose
/// steps and result appear live; an OF may only import its own SIRET's offer. Each test has its own database.
/// </summary>
public sealed class ImportLheoPageTests : PortalTestContext
{
    private const string DaeuSiret = "19311383400389";
    private const string FormaproSiret = "52345678900011"; // Julie's training body

    private readonly string _uploads = Path.Combine(Path.GetTempPath(), $"portal-lheo-ui-{Guid.NewGuid():N}");
    private readonly BackgroundScheduler _scheduler;

    public ImportLheoPageTests()
    {
        Services.AddSingleton<ILheoFormat, LheoXmlFormat>();
        Services.AddSingleton<ILheoImportStore>(new FileLheoImportStore(_uploads));
        _scheduler = new BackgroundScheduler(() => Services);
        Services.AddSingleton<IJobScheduler>(_scheduler);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await _scheduler.DrainAsync();
        await base.DisposeAsyncCore();
        if (Directory.Exists(_uploads)) Directory.Delete(_uploads, recursive: true);
    }

    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Lheo", "Samples", name));

    private static string Daeu => Sample("intercarif-daeu-toulouse.lheo22.xml");

    private static void Upload(IRenderedComponent<ImportLheoPage> cut, string xml, string name = "offre.xml") =>
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(xml, name));

    private string Result(IRenderedComponent<ImportLheoPage> cut) => cut.Find("[data-testid='lheo-import-result']").TextContent.Trim();

    private async Task<string> SnapshotAsync()
    {
        await using var db = Database.CreateDbContext();
        return $"{await db.FicheActions.CountAsync(Cancellation)} fiches, {await db.Sessions.CountAsync(Cancellation)} sessions, {await db.Organisations.CountAsync(Cancellation)} organisations";
    }

    [Fact]
    public async Task Upload_ByATrainingBody_OfItsOwnOffer_ShowsTheStepsAndTheSummaryLive_AndCreatesADraft_O2()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var cut = Render<ImportLheoPage>();

        Upload(cut, Daeu.Replace(DaeuSiret, FormaproSiret, StringComparison.Ordinal), "daeu.xml");

        cut.WaitForAssertion(() => Result(cut).ShouldBe(
            "Import LHEO terminé : 1 fiche(s) action créée(s), 0 mise(s) à jour, 0 inchangée(s) ; 1 session(s) créée(s), 0 déjà présente(s) ; 0 organisme(s) de formation créé(s)."));
        cut.Find("[data-testid='lheo-import-result']").ClassList.ShouldContain("mud-alert-text-success");
        var steps = cut.FindAll("[data-testid='lheo-import-steps'] li").Select(li => li.TextContent.Trim()).ToList();
        steps.ShouldContain("Fichier LHEO 2.2 valide : 1 formation(s).");
        steps.ShouldContain("Enregistrement…");
        cut.Find("h2").TextContent.ShouldContain("daeu.xml");
        await using var db = Database.CreateDbContext();
        var fiche = await db.FicheActions.SingleAsync(f => f.ExternalReference == "15_927411", Cancellation);
        fiche.Status.ShouldBe(FicheStatus.Draft);
    }

    [Fact]
    public async Task Upload_ByATrainingBody_OfAnotherSiret_IsRefusedInFrench_AndImportsNothing()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var before = await SnapshotAsync();
        var cut = Render<ImportLheoPage>();
        cut.Markup.ShouldContain("Vous ne pouvez importer que l'offre de votre organisme");

        Upload(cut, Daeu);

        cut.WaitForAssertion(() => Result(cut).ShouldStartWith(
            "Ligne 4 : l'offre est celle du SIRET 19311383400389, pas celui de votre organisme (52345678900011)."));
        cut.Find("[data-testid='lheo-import-result']").ClassList.ShouldContain("mud-alert-text-error");
        await _scheduler.DrainAsync();
        (await SnapshotAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Upload_OfATruncatedFile_ShowsTheLineAndTheReason_AndImportsNothing()
    {
        await AuthorizeAsAsync(TestUsers.Admin);
        var before = await SnapshotAsync();
        var cut = Render<ImportLheoPage>();
        cut.Markup.ShouldNotContain("Vous ne pouvez importer que l'offre de votre organisme");

        Upload(cut, string.Join('\n', Daeu.Split('\n').Take(30)));

        cut.WaitForAssertion(() => Result(cut).ShouldStartWith("Ligne 30 : le fichier n'est pas un XML bien formé"));
        Result(cut).ShouldContain("Rien n'a été importé.");
        await _scheduler.DrainAsync();
        (await SnapshotAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Upload_ByAnAdmin_OfAnUnknownTrainingBody_CreatesIt()
    {
        await AuthorizeAsAsync(TestUsers.Admin);
        var cut = Render<ImportLheoPage>();

        Upload(cut, Daeu);

        cut.WaitForAssertion(() => Result(cut).ShouldEndWith("1 organisme(s) de formation créé(s)."));
        await using var db = Database.CreateDbContext();
        (await db.Organisations.SingleAsync(o => o.Siret == DaeuSiret, Cancellation)).Name.ShouldBe("Université de Toulouse Jean Jaurès Service de la Formation Continue");
    }

    [Fact]
    public void Page_IsProtectedByTheLheoImportPolicy()
    {
        typeof(ImportLheoPage).GetCustomAttribute<AuthorizeAttribute>()!.Policy.ShouldBe(PortalPolicies.LheoImport);
    }

    [Theory]
    [InlineData(TestUsers.Julie, true)]
    [InlineData(TestUsers.Admin, true)]
    [InlineData(TestUsers.Camille, false)]
    [InlineData(TestUsers.Claire, false)]
    public async Task NavMenu_ShowsTheImportEntry_OnlyToAdminsAndTrainingBodies(string account, bool shown)
    {
        await AuthorizeAsAsync(account);

        var menu = Render<NavMenu>();

        menu.FindAll("a[href='/offre/import-lheo']").Count.ShouldBe(shown ? 1 : 0);
    }

    /// <summary>Runs each enqueued job on a background task with its own scope, as a Hangfire worker would.</summary>
    private sealed class BackgroundScheduler(Func<IServiceProvider> services) : IJobScheduler
    {
        private readonly List<Task> _running = [];

        public string Enqueue<TJob>(Expression<Func<TJob, Task>> call) where TJob : notnull
        {
            var run = call.Compile();
            lock (_running)
            {
                _running.Add(Task.Run(async () =>
                {
                    await using var scope = services().CreateAsyncScope();
                    await run(scope.ServiceProvider.GetRequiredService<TJob>());
                }));
                return _running.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        public Task DrainAsync()
        {
            lock (_running) return Task.WhenAll(_running);
        }
    }
}
