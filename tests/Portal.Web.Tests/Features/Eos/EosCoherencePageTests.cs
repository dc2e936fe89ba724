using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Portal.Testing;
using Portal.Web.Features.Eos;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Eos;

/// <summary>S11: the Région's "Cohérence EOS" screen. Each test imports, so each has its own database.</summary>
public sealed class EosCoherencePageTests : PortalTestContext
{
    private IRenderedComponent<EosCoherencePage> _cut = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await AuthorizeAsAsync(TestUsers.Claire);
        _cut = Render<EosCoherencePage>();
        _cut.WaitForAssertion(() => _cut.Find("[data-testid='eos-none']"));
    }

    private void Upload(byte[] bytes, string name) =>
        _cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(bytes, name, contentType: "text/csv"));

    [Fact]
    public void S11_ScreenDocumentsTheExpectedColumns()
    {
        var columns = _cut.Find("[data-testid='eos-columns']").Shown();
        foreach (var column in new[] { "identifiant_france_travail", "nom", "prenom", "date_naissance", "numero_session", "date_entree" })
            columns.ShouldContain(column);
    }

    [Fact]
    public void S11_ImportedExport_ShowsEachAnomaly_WithTheLastImportAndTheExportLink()
    {
        Upload(EosFiles.Windows1252(EosFiles.Realistic), "export_eos.csv");

        _cut.WaitForAssertion(() => _cut.FindAll("[data-testid='eos-anomalies'] tbody tr").Count.ShouldBe(5));
        var summary = _cut.Find("[data-testid='eos-summary']").Shown();
        summary.ShouldContain("« export_eos.csv »");
        summary.ShouldContain("5 entrée(s) dans EOS, 1 concordante(s), 5 anomalie(s)");
        summary.ShouldContain("Claire Lefèvre");
        var rows = _cut.FindAll("[data-testid='eos-anomalies'] tbody tr").Select(r => r.Shown()).ToList();
        rows.ShouldContain(r => r.Contains("Dates d'entrée différentes", StringComparison.Ordinal) && r.Contains("Anaïs BERANGER", StringComparison.Ordinal)
            && r.Contains("16/11/2026", StringComparison.Ordinal) && r.Contains("19/11/2026", StringComparison.Ordinal));
        rows.ShouldContain(r => r.Contains("Entrée dans le portail absente d'EOS", StringComparison.Ordinal) && r.Contains("Jérôme Castaing", StringComparison.Ordinal));
        rows.ShouldContain(r => r.Contains("Entrée dans EOS sans prescription dans le portail", StringComparison.Ordinal) && r.Contains("session inconnue du portail", StringComparison.Ordinal));
        rows.ShouldContain(r => r.Contains("Entrée dans EOS non enregistrée dans le portail", StringComparison.Ordinal) && r.Contains("Maëlle ETCHEVERRY", StringComparison.Ordinal));
        _cut.Find("[data-testid='eos-export']").GetAttribute("href").ShouldStartWith("/api/region/coherence-eos/");
        _cut.FindAll("[data-testid='eos-error']").ShouldBeEmpty();
    }

    [Fact]
    public async Task S11_BrokenFile_IsRefusedWithItsLines_AndNothingIsImported()
    {
        Upload(EosFiles.Windows1252(EosFiles.BadDateOnLine7), "eos_casse.csv");

        _cut.WaitForAssertion(() => _cut.Find("[data-testid='eos-error']").Shown().ShouldContain("Ligne 7"));
        _cut.Find("[data-testid='eos-error']").Shown().ShouldContain("rien n'a été importé");
        _cut.Find("[data-testid='eos-none']");
        await using var db = Database.CreateDbContext();
        (await db.AllEosImports.CountAsync(Cancellation)).ShouldBe(0);
    }

    [Fact]
    public void S11_LargeImport_ShowsOnePageOfFifty_AndTheTotal_AndTheFilterPagesInSql()
    {
        // 5 + 120 anomalies: 122 without prescription, 1 of each other kind.
        Upload(EosFiles.Windows1252(EosFiles.RealisticPlusUnknown(120)), "export_eos_complet.csv");

        _cut.WaitForAssertion(() => _cut.FindAll("[data-testid='eos-anomalies'] tbody tr").Count.ShouldBe(EosCoherencePage.PageSize));
        _cut.Find("[data-testid='eos-pager']").Shown().ShouldContain("1–50 sur 125");
        _cut.Find("[data-testid='eos-summary']").Shown().ShouldContain("125 anomalie(s)");
        _cut.FindAll(".mud-chip").Select(c => c.Shown()).ShouldContain("Entrée dans EOS sans prescription dans le portail (122)");

        _cut.FindAll(".mud-chip").First(c => c.Shown().Contains("Dates d'entrée différentes", StringComparison.Ordinal)).Click();

        _cut.WaitForAssertion(() => _cut.FindAll("[data-testid='eos-anomalies'] tbody tr").Count.ShouldBe(1));
        _cut.Find("[data-testid='eos-anomalies'] tbody tr").Shown().ShouldContain("Anaïs BERANGER");
        _cut.Find("[data-testid='eos-pager']").Shown().ShouldContain("1–1 sur 1");
    }
}
