using System.Text;
using Microsoft.Playwright;
using Portal.Testing;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #14 (3): the administrator updates the ROME codes from France Travail's own XML file, and the non-selection
/// reasons from a CSV file (ADR 0026), each previewed then applied.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class ReferenceDataJourneyTests(PortalServer server)
{
    [Fact]
    public async Task Admin_UploadsTheRomeXml_SeesWhatChanges_ThenApplies()
    {
        // The published file, with one label changed and one code added (the 532 others are the shipped list).
        var xml = (await File.ReadAllTextAsync(SharedData.PathOf("rome", "unix_referentiel_code_rome_v346_utf8.xml"), TestContext.Current.CancellationToken))
            .Replace("<libelle>Sylviculture</libelle>", "<libelle>Sylviculture et travaux forestiers</libelle>", StringComparison.Ordinal)
            .Replace("</ogr>", "<item_referentiel_code_rome><code_ogr>99998</code_ogr><code_rome>M1898</code_rome><libelle>Métier d'essai du référentiel</libelle></item_referentiel_code_rome></ogr>", StringComparison.Ordinal);
        await using var context = await server.ContextForAsync("admin");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Menu principal" }).GetByRole(AriaRole.Link, new() { Name = "Référentiels" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Référentiels", Level = 1 })).ToBeVisibleAsync();
        await page.WaitForInteractiveAsync();

        await page.GetByRole(AriaRole.Radio, new() { Name = "Codes ROME" }).CheckAsync();
        await Assertions.Expect(page.GetByTestId("expected-format")).ToContainTextAsync("France Travail");
        await page.Locator("input[type=file]").Last.SetInputFilesAsync(new FilePayload
        {
            Name = "unix_referentiel_code_rome_v346_utf8.xml",
            MimeType = "text/xml",
            Buffer = Encoding.UTF8.GetBytes(xml),
        });

        var preview = page.GetByTestId("reference-preview");
        await Assertions.Expect(preview.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Aperçu : « unix_referentiel_code_rome_v346_utf8.xml » (XML, 533 lignes)");
        await Assertions.Expect(page.GetByTestId("reference-counts")).ToContainTextAsync("1 ajout");
        await Assertions.Expect(page.GetByTestId("reference-counts")).ToContainTextAsync("531 inchangées");
        await Assertions.Expect(page.GetByTestId("reference-changes").Locator("tr", new() { HasText = "A1205" }))
            .ToContainTextAsync("libellé : Sylviculture → Sylviculture et travaux forestiers");
        await PortalServer.ScreenshotAsync(page, "reference-data-preview");

        // An OF is writing a fiche meanwhile: its editor has searched the ROME codes already (the list is held in memory).
        await using var ofContext = await server.ContextForAsync("julie.moreau");
        var ofPage = await ofContext.NewPageAsync();
        var editor = new FicheEditorPage(ofPage);
        await editor.OpenNewAsync();
        await editor.PickAsync("Ajouter un métier (code ou intitulé ROME)", "nettoyage", "Nettoyage de locaux (K2204)");

        await page.GetByTestId("reference-apply").ClickAsync();

        await Assertions.Expect(page.GetByTestId("reference-applied")).ToHaveTextAsync("Mise à jour des codes ROME appliquée : 1 ajout, 1 modification.");
        await Assertions.Expect(preview).ToHaveCountAsync(0);
        await PortalServer.ScreenshotAsync(page, "reference-data-applied");
        // The code added is offered in the same open editor, without a restart of the portal.
        await editor.PickAsync("Ajouter un métier (code ou intitulé ROME)", "M1898", "Métier d'essai du référentiel (M1898)");
        await PortalServer.ScreenshotAsync(ofPage, "reference-data-new-rome-in-open-editor");

        // The same file again changes nothing.
        await page.Locator("input[type=file]").Last.SetInputFilesAsync(new FilePayload { Name = "encore.xml", MimeType = "text/xml", Buffer = Encoding.UTF8.GetBytes(xml) });
        await Assertions.Expect(page.GetByTestId("reference-nothing")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Admin_AddsANonSelectionReasonFromAFile_ItJoinsTheListAfterTheOthers_S7()
    {
        // The installed list as it stands (codes and labels of the seed), then one reason more, of the "unavailable" kind.
        const string csv = """
            code;libelle;categorie;actif
            PREREQUIS;Prérequis non atteints;Prérequis non atteints;oui
            PROJET;Projet professionnel non validé;Projet professionnel non validé;oui
            INDISPONIBLE;Candidat indisponible aux dates de la session;Candidat indisponible aux dates de la session;oui
            INJOIGNABLE;Candidat injoignable;Candidat injoignable;oui
            COMPLET;Session complète;Session complète;oui
            ABSENCE_IC;Absence à l'information collective;Absence à l'information collective;oui
            AUTRE;Autre motif;Autre motif;oui
            DEMENAGEMENT;Candidat ayant quitté le territoire;Candidat indisponible aux dates de la session;oui
            """;
        await using var context = await server.ContextForAsync("admin");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/admin/referentiels");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = "Motifs de non-sélection" }).CheckAsync();
        await Assertions.Expect(page.GetByTestId("current-reasons")).ToContainTextAsync("Absence à l'information collective");

        await page.Locator("input[type=file]").Last.SetInputFilesAsync(new FilePayload
        {
            Name = "motifs-non-selection.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await Assertions.Expect(page.GetByTestId("reference-counts")).ToContainTextAsync("1 ajout");
        await Assertions.Expect(page.GetByTestId("reference-changes")).ToContainTextAsync("Candidat ayant quitté le territoire");
        await PortalServer.ScreenshotAsync(page, "reference-reasons-preview");

        await page.GetByTestId("reference-apply").ClickAsync();

        await Assertions.Expect(page.GetByTestId("reference-applied")).ToContainTextAsync("1 ajout");
        await Assertions.Expect(page.GetByTestId("current-reasons").Locator("tr").Last).ToContainTextAsync("Candidat ayant quitté le territoire");
        await PortalServer.ScreenshotAsync(page, "reference-reasons-applied");
    }
}
