using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Offer;
using Portal.Infrastructure;
using Portal.Infrastructure.Lheo;
using Portal.Infrastructure.Persistence;
using Portal.Web.Cli;

namespace Portal.IntegrationTests.Lheo;

/// <summary>
/// <c>dotnet run --project src/Portal.Web -- import-lheo FILE</c> / <c>export-lheo FILE</c>, run in-process against a
/// temporary data directory: the database is created and migrated if absent, exit codes and messages are checked.
/// </summary>
public sealed class LheoCommandsTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"portal-cli-{Guid.NewGuid():N}");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Lheo", "Samples", name);

    private const string Daeu = "intercarif-daeu-toulouse.lheo22.xml";
    private const string Onisep = "onisep-bts-nrc-quimperle.lheo22.xml";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    private Task<int> RunAsync(string command, string file) =>
        LheoCommands.RunAsync([command, file, $"--Portal:DataDirectory={_dataDirectory}"], _stdout, _stderr, Ct);

    private PortalDbContext Database() => new(new DbContextOptionsBuilder<PortalDbContext>()
        .UseSqlite($"Data Source={Path.Combine(_dataDirectory, "portal.db")}", o => o.MigrationsAssembly(DependencyInjection.SqliteMigrationsAssembly))
        .UseOpenIddict()
        .Options);

    private string TempFile(string content)
    {
        Directory.CreateDirectory(_dataDirectory);
        var path = Path.Combine(_dataDirectory, $"{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task ImportLheo_IntoAMissingDatabase_CreatesIt_ImportsTheOffer_AndExitsZero()
    {
        var exit = await RunAsync(LheoCommands.Import, Sample(Daeu));

        exit.ShouldBe(LheoCommands.Success);
        _stderr.ToString().ShouldBeEmpty();
        _stdout.ToString().ShouldStartWith("Import LHEO terminé : 1 fiche(s) action créée(s), 0 mise(s) à jour, 0 inchangée(s) ; 1 session(s) créée(s)");
        await using var db = Database();
        var fiche = await db.FicheActions.SingleAsync(Ct);
        (fiche.ExternalReference, fiche.Status).ShouldBe(("15_927411", FicheStatus.Draft));
        (await db.Sessions.SingleAsync(Ct)).Status.ShouldBe(SessionStatus.Planned);
        // Migrated with the reference data, but never the demo dataset.
        (await db.Communes.AnyAsync(Ct)).ShouldBeTrue();
        (await db.Users.CountAsync(Ct)).ShouldBe(0);
        // A fresh portal has no territory: the OF gets its postcode's département.
        (await db.Territories.SingleAsync(Ct)).DepartementCode.ShouldBe("31");
    }

    [Fact]
    public async Task ImportLheo_TheSameFileTwice_DuplicatesNothing()
    {
        (await RunAsync(LheoCommands.Import, Sample(Daeu))).ShouldBe(LheoCommands.Success);

        (await RunAsync(LheoCommands.Import, Sample(Daeu))).ShouldBe(LheoCommands.Success);

        _stdout.ToString().ShouldContain("0 session(s) créée(s), 1 déjà présente(s) ; 0 organisme(s) de formation créé(s).");
        await using var db = Database();
        (await db.FicheActions.CountAsync(Ct), await db.Sessions.CountAsync(Ct), await db.Organisations.CountAsync(Ct)).ShouldBe((1, 1, 1));
    }

    [Fact]
    public async Task ImportLheo_TruncatedFile_ExitsNonZero_WithTheLineOnStderr_AndImportsNothing()
    {
        var lines = await File.ReadAllLinesAsync(Sample(Onisep), Ct);
        var truncated = TempFile(string.Join('\n', lines.Take(40)));

        var exit = await RunAsync(LheoCommands.Import, truncated);

        exit.ShouldBe(LheoCommands.Failure);
        _stdout.ToString().ShouldBeEmpty();
        _stderr.ToString().ShouldStartWith("Ligne 40 : le fichier n'est pas un XML bien formé");
        await using var db = Database();
        (await db.FicheActions.CountAsync(Ct)).ShouldBe(0);
        (await db.Organisations.CountAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task ImportLheo_WrongNamespace_ExitsNonZero_WithTheReasonOnStderr()
    {
        var foreign = TempFile((await File.ReadAllTextAsync(Sample(Daeu), Ct)).Replace("http://www.lheo.org/2.2", "http://example.org/offre", StringComparison.Ordinal));

        var exit = await RunAsync(LheoCommands.Import, foreign);

        exit.ShouldBe(LheoCommands.Failure);
        _stderr.ToString().ShouldStartWith("Ligne 2 : espace de noms « http://example.org/offre » non reconnu.");
        await using var db = Database();
        (await db.FicheActions.CountAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task ImportLheo_MissingFile_ExitsNonZero()
    {
        var missing = Path.Combine(_dataDirectory, "absent.xml");

        var exit = await RunAsync(LheoCommands.Import, missing);

        exit.ShouldBe(LheoCommands.Failure);
        _stderr.ToString().Trim().ShouldBe($"Fichier introuvable : {missing}");
    }

    [Fact]
    public async Task Command_WithoutAFile_PrintsTheUsage_AndExitsTwo()
    {
        var exit = await LheoCommands.RunAsync([LheoCommands.Export], _stdout, _stderr, Ct);

        exit.ShouldBe(LheoCommands.Usage);
        _stderr.ToString().ShouldStartWith("Usage : import-lheo FICHIER | export-lheo FICHIER");
    }

    [Fact]
    public async Task ExportLheo_WithNoValidatedFiche_ExitsNonZero_AndWritesNoFile()
    {
        var output = Path.Combine(_dataDirectory, "offre.xml");

        var exit = await RunAsync(LheoCommands.Export, output);

        exit.ShouldBe(LheoCommands.Failure);
        _stderr.ToString().Trim().ShouldBe("Aucune fiche action validée à exporter : un fichier LHEO contient au moins une formation.");
        File.Exists(output).ShouldBeFalse();
    }

    [Fact]
    public async Task ExportLheo_OfTheValidatedOffer_WritesValidLheo23_AndExitsZero()
    {
        (await RunAsync(LheoCommands.Import, Sample(Onisep))).ShouldBe(LheoCommands.Success);
        await using (var db = Database())
        {
            var fiche = await db.FicheActions.SingleAsync(Ct);
            fiche.Describe(fiche.Objectives, fiche.Content, "Bac", "Dossier", "Entretien", ["Motivation"], fiche.RomeCodes, 1350, 560, fiche.CertificationRncp);
            fiche.Submit(TestTime);
            fiche.Validate(TestTime);
            await db.SaveChangesAsync(Ct);
        }
        var output = Path.Combine(_dataDirectory, "offre.xml");

        var exit = await RunAsync(LheoCommands.Export, output);

        exit.ShouldBe(LheoCommands.Success);
        _stdout.ToString().ShouldContain($"Export LHEO 2.3 terminé : 1 fiche(s) action validée(s), 1 session(s). Fichier : {output}");
        await using var file = File.OpenRead(output);
        new LheoXmlFormat().ValidateLheo23(file).ShouldBeEmpty();
    }

    private static readonly DateTimeOffset TestTime = new(2026, 11, 27, 11, 0, 0, TimeSpan.Zero);
}
