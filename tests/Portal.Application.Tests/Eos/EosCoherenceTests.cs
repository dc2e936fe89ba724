using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Eos;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Eos;
using Portal.Testing;

namespace Portal.Application.Tests.Eos;

/// <summary>S11: the Région's coherence check between EOS (remuneration) and the portal's entries.</summary>
public sealed class EosCoherenceTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt.AddDays(1));

    private ImportEos.Handler Importer => new(fixture.Database, _clock);

    private GetEosCoherence.Handler Reader => new(fixture.Database);

    private async Task<int> ImportCountAsync()
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.EosImports.CountAsync(Ct) + await db.EosAnomalies.CountAsync(Ct);
    }

    [Fact]
    public async Task S11_RealisticWindows1252Export_YieldsEachKindOfAnomaly()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);

        var result = await Importer.HandleAsync(new ImportEos("export_eos_entrees_novembre.csv", EosFiles.Windows1252(EosFiles.Realistic)), claire, Ct);

        result.Lines.ShouldBe(5);
        result.Matched.ShouldBe(1);
        var read = await Reader.HandleAsync(new GetEosCoherence(), claire, Ct);
        read.Import!.Id.ShouldBe(result.ImportId);
        read.Import.FileName.ShouldBe("export_eos_entrees_novembre.csv");
        read.Import.ImportedBy.ShouldBe(claire.DisplayName);
        var anomalies = read.Anomalies;
        anomalies.Select(a => (a.Kind, a.Line, a.CandidateName)).ShouldBe(
        [
            (EosAnomalyKind.NoPrescription, 5, "Océane LARRIEU"),
            (EosAnomalyKind.NoPrescription, 6, "Théo LACOSTE"),
            (EosAnomalyKind.EntryNotRecorded, 4, "Maëlle ETCHEVERRY"),
            (EosAnomalyKind.MissingFromEos, (int?)null, "Jérôme Castaing"),
            (EosAnomalyKind.DateMismatch, 3, "Anaïs BERANGER"),
        ]);
        var mismatch = anomalies.Single(a => a.Kind == EosAnomalyKind.DateMismatch);
        (mismatch.EosEntryDate, mismatch.PortalEntryDate).ShouldBe((new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 19)));
        mismatch.PrescriptionId.ShouldNotBeNull();
        anomalies.Single(a => a.Kind == EosAnomalyKind.MissingFromEos).PortalEntryDate.ShouldBe(new DateOnly(2026, 11, 21));
        anomalies.Single(a => a.Line == 6).TrainingTitle.ShouldBeNull();
        anomalies.Single(a => a.Line == 5).TrainingTitle.ShouldBe("Développeur web et web mobile");
    }

    [Fact]
    public async Task S11_Utf8WithBomAndCommas_IsReadToo()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var csv = EosFiles.Realistic.Replace(';', ',');

        var result = await Importer.HandleAsync(new ImportEos("eos.csv", EosFiles.Utf8WithBom(csv)), claire, Ct);

        result.Matched.ShouldBe(1);
        var read = await Reader.HandleAsync(new GetEosCoherence(result.ImportId), claire, Ct);
        read.Anomalies.ShouldContain(a => a.CandidateName == "Maëlle ETCHEVERRY" && a.Kind == EosAnomalyKind.EntryNotRecorded);
    }

    [Fact]
    public async Task S11_BadDateOnLine7_RefusesTheFileWithItsLines_AndImportsNothing()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var before = await ImportCountAsync();

        var refusal = await Should.ThrowAsync<DomainException>(() => Importer.HandleAsync(new ImportEos("eos.csv", EosFiles.Windows1252(EosFiles.BadDateOnLine7)), claire, Ct));

        refusal.Rule.ShouldBe("S11");
        refusal.Message.ShouldContain("rien n'a été importé");
        refusal.Message.ShouldContain("Ligne 7 : date d'entrée « 31/02/2026 » invalide");
        refusal.Message.ShouldContain("Ligne 4 : date de naissance manquante");
        (await ImportCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task S11_MissingColumn_IsRefusedOnLine1_AndImportsNothing()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var before = await ImportCountAsync();

        var refusal = await Should.ThrowAsync<DomainException>(() => Importer.HandleAsync(new ImportEos("eos.csv", EosFiles.Windows1252(EosFiles.MissingColumn)), claire, Ct));

        refusal.Message.ShouldContain("Ligne 1 : colonne manquante : date_entree");
        (await ImportCountAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData("")]
    [InlineData(EosFiles.Header + "\r\n")]
    [InlineData(EosFiles.Header + "\r\n;MOULIN;Bastien;27/11/2003;SE-2026-0412;17/11/2026\r\n")]
    public async Task S11_EmptyOrShortFiles_AreRefusedInFrench(string csv)
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var refusal = await Should.ThrowAsync<DomainException>(() => Importer.HandleAsync(new ImportEos("eos.csv", Encoding.UTF8.GetBytes(csv)), claire, Ct));
        refusal.Message.ShouldStartWith("Fichier refusé");
    }

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Julie)]
    [InlineData(TestUsers.Aurelie)]
    public async Task S11_OnlyTheRegion_ImportsReadsAndExports(string account)
    {
        var user = await fixture.UserAsync(account);
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var import = await Importer.HandleAsync(new ImportEos("eos.csv", EosFiles.Windows1252(EosFiles.Realistic)), claire, Ct);

        await Should.ThrowAsync<AccessDeniedException>(() => Importer.HandleAsync(new ImportEos("eos.csv", EosFiles.Windows1252(EosFiles.Realistic)), user, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Reader.HandleAsync(new GetEosCoherence(), user, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => new ExportEosAnomalies.Handler(Reader).HandleAsync(new ExportEosAnomalies(import.ImportId), user, Ct));
    }

    [Fact]
    public async Task S11_Export_IsASemicolonCsvOfTheAnomalies_AndAnUnknownImportIsNotFound()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var import = await Importer.HandleAsync(new ImportEos("eos.csv", EosFiles.Windows1252(EosFiles.Realistic)), claire, Ct);
        var exporter = new ExportEosAnomalies.Handler(Reader);

        var file = await exporter.HandleAsync(new ExportEosAnomalies(import.ImportId), claire, Ct);

        var text = Encoding.UTF8.GetString(file.Content);
        text[0].ShouldBe('\uFEFF');
        var lines = text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("type_anomalie;ligne_eos;nom_prenom");
        lines.Length.ShouldBe(1 + import.Anomalies);
        lines.ShouldContain(l => l.StartsWith("Dates d'entrée différentes;3;Anaïs BERANGER;FT2000101;14/03/1995;SE-2026-0412;", StringComparison.Ordinal));
        await Should.ThrowAsync<NotFoundException>(() => exporter.HandleAsync(new ExportEosAnomalies(Guid.NewGuid()), claire, Ct));
    }
}
