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
        return await db.AllEosImports.CountAsync(Ct) + await db.AllEosAnomalies.CountAsync(Ct);
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
        await Should.ThrowAsync<AccessDeniedException>(() => new ExportEosAnomalies.Handler(Reader, fixture.Database).HandleAsync(new ExportEosAnomalies(import.ImportId), user, Ct));
    }

    [Fact]
    public async Task S11_Export_IsASemicolonCsvOfTheAnomalies_AndAnUnknownImportIsNotFound()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var import = await Importer.HandleAsync(new ImportEos("eos.csv", EosFiles.Windows1252(EosFiles.Realistic)), claire, Ct);
        var exporter = new ExportEosAnomalies.Handler(Reader, fixture.Database);

        var download = await exporter.HandleAsync(new ExportEosAnomalies(import.ImportId), claire, Ct);

        using var written = new MemoryStream();
        await download.WriteAsync(written, Ct);
        download.FileName.ShouldStartWith("anomalies-eos-");
        var text = Encoding.UTF8.GetString(written.ToArray());
        text[0].ShouldBe('\uFEFF');
        var lines = text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("type_anomalie;ligne_eos;nom_prenom");
        lines.Length.ShouldBe(1 + import.Anomalies);
        lines.ShouldContain(l => l.StartsWith("Dates d'entrée différentes;3;Anaïs BERANGER;FT2000101;14/03/1995;SE-2026-0412;", StringComparison.Ordinal));
        await Should.ThrowAsync<NotFoundException>(() => exporter.HandleAsync(new ExportEosAnomalies(Guid.NewGuid()), claire, Ct));
    }

    [Fact]
    public async Task S11_SevenAnomalies_PageSizeThree_ThirdPageHoldsTheLastOne_TotalSeven()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        // Realistic (5 anomalies) + lines 7 and 8 on an unknown session: 7 anomalies, in order of kind then line:
        // no prescription 5, 6, 7, 8; entry not recorded 4; missing from EOS (no line); date mismatch 3.
        var import = await Importer.HandleAsync(new ImportEos("eos.csv", EosFiles.Windows1252(EosFiles.RealisticPlusUnknown(2))), claire, Ct);

        var first = await Reader.HandleAsync(new GetEosCoherence(import.ImportId, Skip: 0, Take: 3), claire, Ct);
        var second = await Reader.HandleAsync(new GetEosCoherence(import.ImportId, Skip: 3, Take: 3), claire, Ct);
        var third = await Reader.HandleAsync(new GetEosCoherence(import.ImportId, Skip: 6, Take: 3), claire, Ct);

        first.Total.ShouldBe(7);
        third.Total.ShouldBe(7);
        first.Anomalies.Select(a => a.Line).ShouldBe([5, 6, 7]);
        second.Anomalies.Select(a => (a.Kind, a.Line)).ShouldBe(
            [(EosAnomalyKind.NoPrescription, 8), (EosAnomalyKind.EntryNotRecorded, 4), (EosAnomalyKind.MissingFromEos, (int?)null)]);
        third.Anomalies.Select(a => (a.Kind, a.Line, a.CandidateName)).ShouldBe([(EosAnomalyKind.DateMismatch, (int?)3, "Anaïs BERANGER")]);
        third.CountOf(EosAnomalyKind.NoPrescription).ShouldBe(4);
        third.CountOf(EosAnomalyKind.EntryNotRecorded).ShouldBe(1);
        third.CountOf(EosAnomalyKind.MissingFromEos).ShouldBe(1);
        third.CountOf(EosAnomalyKind.DateMismatch).ShouldBe(1);
    }

    [Fact]
    public async Task S11_KindFilter_PagesAndCountsOnlyThatKind_InSql()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var import = await Importer.HandleAsync(new ImportEos("eos.csv", EosFiles.Windows1252(EosFiles.RealisticPlusUnknown(2))), claire, Ct);

        // 4 anomalies without prescription (lines 5 to 8); page 2 of size 3 holds line 8 only.
        var page = await Reader.HandleAsync(new GetEosCoherence(import.ImportId, EosAnomalyKind.NoPrescription, Skip: 3, Take: 3), claire, Ct);

        page.Total.ShouldBe(4);
        page.Anomalies.Select(a => (a.Kind, a.Line, a.CandidateName)).ShouldBe([(EosAnomalyKind.NoPrescription, (int?)8, "Stagiaire INCONNU00002")]);
        page.Anomalies.ShouldNotContain(a => a.Kind != EosAnomalyKind.NoPrescription);
        page.CountOf(EosAnomalyKind.DateMismatch).ShouldBe(1);
    }

    [Fact]
    public async Task S11_Export_StreamsEveryAnomaly_NotOnlyTheScreensPage()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        // 5 + 120 anomalies: more than the screen's page of 50.
        var import = await Importer.HandleAsync(new ImportEos("eos.csv", EosFiles.Windows1252(EosFiles.RealisticPlusUnknown(120))), claire, Ct);
        var download = await new ExportEosAnomalies.Handler(Reader, fixture.Database).HandleAsync(new ExportEosAnomalies(import.ImportId), claire, Ct);

        using var written = new MemoryStream();
        await download.WriteAsync(written, Ct);

        var lines = Encoding.UTF8.GetString(written.ToArray()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1 + 125);
        lines.Count(l => l.Contains("INCONNU", StringComparison.Ordinal)).ShouldBe(120);
        lines.ShouldContain(l => l.Contains(";Stagiaire INCONNU00120;", StringComparison.Ordinal));
    }
}
