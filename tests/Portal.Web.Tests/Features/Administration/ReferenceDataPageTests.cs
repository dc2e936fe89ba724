using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Portal.Testing;
using Portal.Web.Features.Administration;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Administration;

/// <summary>Issue #14 (3): the administrator's "Référentiels" screen. Each test may apply, so each has its own database.</summary>
public sealed class ReferenceDataPageTests : PortalTestContext
{
    private IRenderedComponent<ReferenceDataPage> _cut = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await AuthorizeAsAsync(TestUsers.Admin);
        _cut = Render<ReferenceDataPage>();
    }

    private void ChooseRome() => _cut.FindAll("[data-testid='reference-list'] input[type='radio']")[1].Click();

    private void Upload(string text, string name) =>
        _cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Encoding.UTF8.GetBytes(text), name, contentType: "text/csv"));

    [Fact]
    public async Task ARomeFile_IsPreviewed_ThenApplied_AndTheScreenSaysWhatChanged()
    {
        ChooseRome();
        _cut.Find("[data-testid='expected-format']").Shown().ShouldContain("code_rome");
        Upload("code_rome,libelle\nA1205,Sylviculture et gestion forestière\nM1899,Métier d'essai\n", "rome.csv");

        _cut.WaitForAssertion(() => _cut.Find("[data-testid='reference-preview']"));
        _cut.Find("[data-testid='reference-preview'] h2").Shown().ShouldBe("Aperçu : « rome.csv » (CSV, 2 lignes)");
        _cut.Find("[data-testid='reference-counts']").Shown().ShouldContain("1 ajout");
        _cut.Find("[data-testid='reference-counts']").Shown().ShouldContain("1 modification");
        // 532 shipped codes, 1 of them in the file: 531 absent and kept.
        _cut.Find("[data-testid='reference-counts']").Shown().ShouldContain("531 absentes du fichier, conservées");
        var rows = _cut.FindAll("[data-testid='reference-changes'] tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.Shown()).ToList()).ToList();
        rows.Count.ShouldBe(2);
        rows[0].ShouldBe(["A1205", "Sylviculture", "libellé : Sylviculture → Sylviculture et gestion forestière"]);
        rows[1].ShouldBe(["M1899", "Métier d'essai", "ajouté"]);
        await using (var before = Database.CreateDbContext())
            (await before.RomeCodes.AnyAsync(r => r.Code == "M1899", Cancellation)).ShouldBeFalse();

        _cut.Find("[data-testid='reference-apply']").Click();

        _cut.WaitForAssertion(() => _cut.Find("[data-testid='reference-applied']").Shown()
            .ShouldBe("Mise à jour des codes ROME appliquée : 1 ajout, 1 modification."));
        _cut.FindAll("[data-testid='reference-preview']").ShouldBeEmpty();
        await using var after = Database.CreateDbContext();
        (await after.RomeCodes.SingleAsync(r => r.Code == "M1899", Cancellation)).Label.ShouldBe("Métier d'essai");
    }

    [Fact]
    public async Task ACommunesFileWithErrors_ShowsEachLine_AndNothingIsWritten()
    {
        Upload("code_insee,nom,code_departement,nom_departement,codes_postaux,latitude,longitude\n33999,Essai,33,Gironde,33999,44.8,-0.5\n3306,Tronqué,33,Gironde,33000,44.8,-0.5\n", "communes.csv");

        _cut.WaitForAssertion(() => _cut.Find("[data-testid='reference-error']"));
        var error = _cut.Find("[data-testid='reference-error']").Shown();
        error.ShouldContain("Fichier refusé, rien n'a été modifié.");
        error.ShouldContain("Ligne 3 : code INSEE « 3306 » invalide");
        _cut.FindAll("[data-testid='reference-apply']").ShouldBeEmpty();
        await using var check = Database.CreateDbContext();
        (await check.Communes.AnyAsync(c => c.InseeCode == "33999", Cancellation)).ShouldBeFalse();
    }

    [Fact]
    public void AFileThatChangesNothing_SaysSo_WithoutAnApplyButton()
    {
        ChooseRome();
        Upload("code_rome,libelle\nA1205,Sylviculture\n", "rome.csv");

        _cut.WaitForAssertion(() => _cut.Find("[data-testid='reference-nothing']").Shown().ShouldBe("Ce fichier ne change rien : la liste est déjà à jour."));
        _cut.FindAll("[data-testid='reference-apply']").ShouldBeEmpty();
    }

    [Fact]
    public async Task TheReasonsList_ShowsItsFormatAndCurrentReasons_ThenAFileIsPreviewedAndApplied_ADR0026()
    {
        _cut.FindAll("[data-testid='reference-list'] input[type='radio']")[2].Click();

        var format = _cut.Find("[data-testid='expected-format']").Shown();
        format.ShouldContain("code;libelle;categorie;actif");
        format.ShouldContain("« Absence à l'information collective »");
        format.ShouldContain("PrerequisitesNotMet");
        _cut.WaitForAssertion(() => _cut.FindAll("[data-testid='current-reasons'] tbody tr").Count.ShouldBe(7));
        Upload("code;libelle;categorie;actif\nINDISPONIBLE;Candidat indisponible aux dates de la session;Candidat indisponible aux dates de la session;non\n"
            + "FINANCEUR;Refus du financeur;Autre motif;oui\n", "motifs.csv");

        _cut.WaitForAssertion(() => _cut.Find("[data-testid='reference-preview']"));
        _cut.Find("[data-testid='reference-counts']").Shown().ShouldContain("1 ajout");
        _cut.Find("[data-testid='reference-counts']").Shown().ShouldContain("6 absentes du fichier, conservées");
        var rows = _cut.FindAll("[data-testid='reference-changes'] tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.Shown()).ToList()).ToList();
        rows.ShouldBe([
            ["INDISPONIBLE", "Candidat indisponible aux dates de la session", "désactivé : n'est plus proposé ; place : 3 → 1"],
            ["FINANCEUR", "Refus du financeur", "ajouté (Autre motif)"],
        ]);

        _cut.Find("[data-testid='reference-apply']").Click();

        _cut.WaitForAssertion(() => _cut.Find("[data-testid='reference-applied']").Shown()
            .ShouldBe("Mise à jour des motifs de non-sélection appliquée : 1 ajout, 1 modification."));
        _cut.WaitForAssertion(() => _cut.FindAll("[data-testid='current-reasons'] tbody tr").Count.ShouldBe(8));
        var current = _cut.FindAll("[data-testid='current-reasons'] tbody tr").Select(r => string.Join(" | ", r.QuerySelectorAll("td").Select(c => c.Shown()))).ToList();
        current.ShouldContain("INDISPONIBLE | Candidat indisponible aux dates de la session | Candidat indisponible aux dates de la session | non");
        current.ShouldContain("FINANCEUR | Refus du financeur | Autre motif | oui");
        await using var after = Database.CreateDbContext();
        (await after.NonSelectionReasons.SingleAsync(r => r.Code == "INDISPONIBLE", Cancellation)).Active.ShouldBeFalse();
    }
}
