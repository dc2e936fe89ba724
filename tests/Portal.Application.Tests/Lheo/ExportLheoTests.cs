using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Lheo;
using Portal.Domain.Offer;
using Portal.Infrastructure.Lheo;
using Portal.Testing;
using static Portal.Application.Tests.Lheo.LheoFiles;

namespace Portal.Application.Tests.Lheo;

/// <summary>The validated offer (O2) exported as LHEO 2.3 valid against the official schema, and imported back.</summary>
public sealed class ExportLheoTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly XNamespace Lheo23 = LheoXmlFormat.Namespace23;

    private readonly LheoXmlFormat _format = new();
    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private async Task<(MemoryStream Output, ExportLheo.Result Result)> ExportAsync(TestDatabase database)
    {
        var output = new MemoryStream();
        var result = await new ExportLheo.Handler(database, _format).HandleAsync(new ExportLheo(output), Ct);
        output.Position = 0;
        return (output, result);
    }

    [Fact]
    public async Task Export_OfTheDemoOffer_IsValidLheo23_WithOnlyValidatedFichesAndTheirLiveSessions_O2()
    {
        await using var db = _database.CreateDbContext();
        var validated = await db.FicheActions.Where(f => f.Status == FicheStatus.Validated).Select(f => f.Id).ToListAsync(Ct);
        var sessions = await db.Sessions.CountAsync(s => validated.Contains(s.FicheActionId) && s.Status != SessionStatus.Cancelled, Ct);
        validated.Count.ShouldBeGreaterThan(0);
        (await db.FicheActions.CountAsync(f => f.Status != FicheStatus.Validated, Ct)).ShouldBeGreaterThan(0);

        var (output, result) = await ExportAsync(_database);

        _format.ValidateLheo23(output).ShouldBeEmpty();
        output.Position = 0;
        var document = XDocument.Load(output);
        document.Root!.Name.ShouldBe(Lheo23 + "lheo");
        document.Descendants(Lheo23 + "action").Count().ShouldBe(validated.Count);
        result.Fiches.ShouldBe(validated.Count);
        result.Sessions.ShouldBe(sessions);
        document.Descendants(Lheo23 + "session").Count().ShouldBeGreaterThanOrEqualTo(sessions);
    }

    [Fact]
    public async Task Export_DoesNotIncludeACancelledSession()
    {
        Guid cancelled;
        await using (var db = _database.CreateDbContext())
        {
            var session = await db.Sessions.Where(s => s.Status != SessionStatus.Cancelled && s.Status != SessionStatus.Running && s.Status != SessionStatus.Finished
                    && db.FicheActions.Any(f => f.Id == s.FicheActionId && f.Status == FicheStatus.Validated))
                .OrderBy(s => s.Id).FirstAsync(Ct);
            session.Cancel("Test");
            session.LinkExternal("annulee-1");
            cancelled = session.Id;
            await db.SaveChangesAsync(Ct);
        }

        var (output, _) = await ExportAsync(_database);

        cancelled.ShouldNotBe(Guid.Empty);
        XDocument.Load(output).Descendants(Lheo23 + "session").Select(s => (string?)s.Attribute("numero")).ShouldNotContain("annulee-1");
    }

    [Fact]
    public async Task Export_WithNoValidatedFiche_IsRefusedInFrench()
    {
        await using var empty = await TestDatabase.CreateAsync(seedDemo: false);

        var ex = await Should.ThrowAsync<LheoFormatException>(() => ExportAsync(empty));

        ex.Message.ShouldBe("Aucune fiche action validée à exporter : un fichier LHEO contient au moins une formation.");
    }

    [Fact]
    public async Task Export_OfImportedSamples_ValidatesAndImportsBackIntoAnEmptyPortal()
    {
        await using var source = await TestDatabase.CreateAsync(seedDemo: false);
        await SeedTerritoryAsync(source);
        foreach (var sample in new[] { Onisep, Daeu })
        {
            await using var file = Sample(sample);
            await Importer(source).HandleAsSystemAsync(new ImportLheo(file), cancellationToken: Ct);
        }
        await ValidateAllAsync(source);

        var (output, result) = await ExportAsync(source);

        result.ShouldBe(new ExportLheo.Result(2, 2));
        _format.ValidateLheo23(output).ShouldBeEmpty();
        output.Position = 0;
        await using var target = await TestDatabase.CreateAsync(seedDemo: false);
        await SeedTerritoryAsync(target);
        var back = await Importer(target).HandleAsSystemAsync(new ImportLheo(output), cancellationToken: Ct);

        (back.OrganisationsCreated, back.FichesCreated, back.SessionsCreated).ShouldBe((2, 2, 2));
        await using var original = source.CreateDbContext();
        await using var copy = target.CreateDbContext();
        var expected = await original.FicheActions.OrderBy(f => f.ExternalReference).Select(f => new { f.ExternalReference, f.Title, f.Objectives, f.CertificationRncp, f.CertificationLevel, f.HoursInCentre, f.ContactEmail }).ToListAsync(Ct);
        var actual = await copy.FicheActions.OrderBy(f => f.ExternalReference).Select(f => new { f.ExternalReference, f.Title, f.Objectives, f.CertificationRncp, f.CertificationLevel, f.HoursInCentre, f.ContactEmail }).ToListAsync(Ct);
        actual.ShouldBe(expected);
        var expectedSessions = await original.Sessions.OrderBy(s => s.ExternalReference).Select(s => new { s.ExternalReference, s.Start, s.End, s.RegistrationDeadline, s.Capacity, s.PlaceCommuneInsee }).ToListAsync(Ct);
        var actualSessions = await copy.Sessions.OrderBy(s => s.ExternalReference).Select(s => new { s.ExternalReference, s.Start, s.End, s.RegistrationDeadline, s.Capacity, s.PlaceCommuneInsee }).ToListAsync(Ct);
        actualSessions.ShouldBe(expectedSessions);
        var sirets = await copy.Organisations.Select(o => o.Siret).OrderBy(s => s).ToListAsync(Ct);
        sirets.ShouldBe([OnisepSiret, DaeuSiret]);
    }

    private static async Task SeedTerritoryAsync(TestDatabase database)
    {
        await using var db = database.CreateDbContext();
        db.Territories.Add(new Domain.Organisations.Territory("33", "Gironde", Domain.Organisations.TerritoryKind.Departement, "33"));
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>The Région's part (O2): the OF completes the draft, submits it, the Région validates it.</summary>
    private static async Task ValidateAllAsync(TestDatabase database)
    {
        await using var db = database.CreateDbContext();
        foreach (var fiche in await db.FicheActions.ToListAsync(Ct))
        {
            fiche.Describe(fiche.Objectives, fiche.Content.Length > 0 ? fiche.Content : "Contenu", "Prérequis", "Conditions", "Entretien",
                ["Motivation"], fiche.RomeCodes.Count > 0 ? fiche.RomeCodes : ["K2111"], fiche.HoursInCentre > 0 ? fiche.HoursInCentre : 100, 0,
                fiche.CertificationRncp);
            fiche.Submit(TestDatabase.DefaultNow);
            fiche.Validate(TestDatabase.DefaultNow);
        }
        await db.SaveChangesAsync(Ct);
    }
}
