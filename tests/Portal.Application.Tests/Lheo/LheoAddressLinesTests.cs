using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Features.Lheo;
using Portal.Infrastructure.Lheo;
using Portal.Testing;
using static Portal.Application.Tests.Lheo.LheoFiles;

namespace Portal.Application.Tests.Lheo;

/// <summary>
/// Issue #13, point 7: real Carif files carry an address on several <c>&lt;ligne&gt;</c> elements (at most 50
/// characters each); the round trip keeps them as lines and the export validates against the official LHEO 2.3 XSD.
/// </summary>
public sealed class LheoAddressLinesTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly XNamespace Lheo23 = LheoXmlFormat.Namespace23;

    private const string Line1 = "Centre de formation des métiers du bâtiment";
    private const string Line2 = "Zone d'activités de la Plaine, bâtiment B";
    private const string Line3 = "12 avenue des Artisans";

    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    /// <summary>Errors of a document against the schema file itself (not the portal's embedded copy, not its validator).</summary>
    private static List<string> ErrorsAgainstOfficialXsd(Stream document)
    {
        var schemas = new XmlSchemaSet { XmlResolver = null };
        using (var xsd = XmlReader.Create(Path.Combine(AppContext.BaseDirectory, "Lheo", "Schemas", "lheo-2.3.xsd"), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }))
            schemas.Add(null, xsd);
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas, DtdProcessing = DtdProcessing.Prohibit };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Exception?.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(document, settings);
        while (reader.Read()) { }
        return errors;
    }

    private async Task<MemoryStream> ExportAsync()
    {
        var output = new MemoryStream();
        await new ExportLheo.Handler(_database, new LheoXmlFormat()).HandleAsync(new ExportLheo(output), Ct);
        output.Position = 0;
        return output;
    }

    private static XElement OrganisationAddress(XDocument document, string siret) =>
        document.Descendants(Lheo23 + "organisme-formation-responsable")
            .First(o => (string?)o.Element(Lheo23 + "SIRET-organisme-formation")?.Element(Lheo23 + "SIRET") == siret)
            .Element(Lheo23 + "coordonnees-organisme")!.Element(Lheo23 + "coordonnees")!.Element(Lheo23 + "adresse")!;

    [Fact]
    public async Task RoundTrip_MultiLineAddress_IsImportedAsLines_ExportedAsTheSameLines_AndValidatesAgainstTheLheo23Xsd()
    {
        const string siret = "12345678900012";
        var xml = Minimal(siret: siret).Replace("<ligne>1 rue du Test</ligne>",
            $"<ligne>{Line1}</ligne><ligne>{Line2}</ligne><ligne>{Line3}</ligne>", StringComparison.Ordinal);
        await using (var file = Text(xml))
            await Importer(_database).HandleAsSystemAsync(new ImportLheo(file), cancellationToken: Ct);
        await using (var db = _database.CreateDbContext())
        {
            var organisation = await db.Organisations.SingleAsync(o => o.Siret == siret, Ct);
            organisation.Address.ShouldBe($"{Line1}\n{Line2}\n{Line3}\n64000 Pau");
            var fiche = await db.FicheActions.SingleAsync(f => f.OrganisationId == organisation.Id, Ct);
            fiche.Describe(fiche.Objectives, "Contenu", "Prérequis", "Conditions", "Entretien", ["Motivation"], ["K2204"], 400, 0, null);
            fiche.Submit(TestDatabase.DefaultNow);
            fiche.Validate(TestDatabase.DefaultNow);
            await db.SaveChangesAsync(Ct);
        }

        var output = await ExportAsync();

        ErrorsAgainstOfficialXsd(output).ShouldBeEmpty();
        output.Position = 0;
        var address = OrganisationAddress(XDocument.Load(output), siret);
        address.Elements(Lheo23 + "ligne").Select(l => l.Value).ShouldBe([Line1, Line2, Line3]);
        address.Element(Lheo23 + "codepostal")!.Value.ShouldBe("64000");
        address.Element(Lheo23 + "ville")!.Value.ShouldBe("Pau");
    }

    [Fact]
    public async Task Export_AddressKeptOnOneLineBeforeTheFix_IsWrappedIntoLinesOfAtMost50Characters_AndValidates()
    {
        // Existing data: the import used to join the lines with ", " before the town. Nothing is split in the
        // database; the export cuts the long line between words into pieces of at most 50 characters.
        const string legacy = $"{Line1}, {Line2}, {Line3}, 33000 Bordeaux";
        await using (var db = _database.CreateDbContext())
        {
            var formapro = await db.Organisations.SingleAsync(o => o.Siret == FormaproSiret, Ct);
            formapro.SetAddress(legacy);
            await db.SaveChangesAsync(Ct);
        }

        var output = await ExportAsync();

        ErrorsAgainstOfficialXsd(output).ShouldBeEmpty();
        output.Position = 0;
        var address = OrganisationAddress(XDocument.Load(output), FormaproSiret);
        address.Elements(Lheo23 + "ligne").Select(l => l.Value).ShouldBe([
            "Centre de formation des métiers du bâtiment, Zone",
            "d'activités de la Plaine, bâtiment B, 12 avenue",
            "des Artisans",
        ]);
        address.Element(Lheo23 + "codepostal")!.Value.ShouldBe("33000");
        address.Element(Lheo23 + "ville")!.Value.ShouldBe("Bordeaux");
    }
}
