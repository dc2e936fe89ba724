using Portal.Application.Abstractions;
using Portal.Application.Features.Lheo;
using Portal.Infrastructure.Lheo;
using Portal.Testing;
using static Portal.Application.Tests.Lheo.LheoFiles;

namespace Portal.Application.Tests.Lheo;

/// <summary>A malformed, foreign or invalid file is refused with the line and the reason in French, and imports nothing.</summary>
public sealed class LheoRefusalTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestDatabase _database = null!;
    private string _before = "";

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _before = await SnapshotAsync(_database);
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private async Task<LheoFormatException> RefusedAsync(Stream file)
    {
        await using (file)
        {
            var ex = await Should.ThrowAsync<LheoFormatException>(() => Importer(_database).HandleAsSystemAsync(new ImportLheo(file), cancellationToken: Ct));
            (await SnapshotAsync(_database)).ShouldBe(_before);
            ex.Message.ShouldEndWith("Rien n'a été importé.");
            return ex;
        }
    }

    [Fact]
    public async Task Import_TruncatedFile_IsRefusedWithTheLine_AndChangesNothing()
    {
        var lines = await File.ReadAllLinesAsync(SamplePath(Daeu), Ct);
        var truncated = string.Join('\n', lines.Take(60));

        var ex = await RefusedAsync(Text(truncated));

        ex.Line.ShouldBe(60);
        ex.Message.ShouldStartWith("Ligne 60 : le fichier n'est pas un XML bien formé");
        ex.Message.ShouldContain("fin de fichier inattendue (fichier tronqué ?)");
    }

    [Fact]
    public async Task Import_WrongNamespace_IsRefusedWithTheLine_AndChangesNothing()
    {
        var ex = await RefusedAsync(Text(Minimal(ns: "http://www.lheo.org/2.1")));

        ex.Line.ShouldBe(2);
        ex.Message.ShouldStartWith("Ligne 2 : espace de noms « http://www.lheo.org/2.1 » non reconnu.");
        ex.Message.ShouldContain("http://www.lheo.org/2.2");
        ex.Message.ShouldContain("http://lheo.gouv.fr/2.3");
    }

    [Fact]
    public async Task Import_AnotherRootElement_IsRefused()
    {
        var ex = await RefusedAsync(Text("<?xml version=\"1.0\"?>\n<offres xmlns=\"http://www.lheo.org/2.2\"/>"));

        ex.Message.ShouldStartWith("Ligne 2 : l'élément racine est « offres »");
    }

    [Fact]
    public async Task Import_MissingMandatoryElement_IsRefusedAsSchemaInvalid_WithTheLine()
    {
        var xml = Minimal(ns: LheoXmlFormat.Namespace22).Replace("<certifiante>0</certifiante>\n", "", StringComparison.Ordinal);

        var ex = await RefusedAsync(Text(xml));

        ex.Line.ShouldBe(10);
        ex.Message.ShouldStartWith("Ligne 10 : fichier non conforme au schéma LHEO 2.2 : ");
        ex.Message.ShouldContain("contact-formation");
    }

    [Fact]
    public async Task Import_InvalidCodeIn23_IsRefusedAsSchemaInvalid_WithTheLine()
    {
        var xml = Minimal().Replace("<parcours-de-formation>1</parcours-de-formation>", "<parcours-de-formation>9</parcours-de-formation>", StringComparison.Ordinal);

        var ex = await RefusedAsync(Text(xml));

        ex.Message.ShouldStartWith("Ligne 12 : fichier non conforme au schéma LHEO 2.3 : ");
    }

    [Fact]
    public async Task Import_ImpossibleDate_IsRefusedWithTheLine()
    {
        var ex = await RefusedAsync(Text(Minimal(debut: "20270231")));

        ex.Message.ShouldStartWith("Ligne 24 : date « 20270231 » invalide");
    }

    [Fact]
    public async Task Import_SessionEndingBeforeItStarts_IsRefused_AndTheValidFormationBeforeItIsNotSaved()
    {
        // Two formations: the first is fine, the second fails; all or nothing means the first is not saved either.
        var good = Minimal(actionNumero: "A-ok");
        var bad = Minimal(actionNumero: "A-ko", debut: "20270630", fin: "20270104");
        var formation = bad[bad.IndexOf("<formation ", StringComparison.Ordinal)..(bad.IndexOf("</formation>", StringComparison.Ordinal) + "</formation>".Length)];
        var xml = good.Replace("</formation>", "</formation>\n" + formation, StringComparison.Ordinal);

        var ex = await RefusedAsync(Text(xml));

        ex.Message.ShouldContain("finit (04/01/2027) avant de commencer (30/06/2027)");
    }
}
