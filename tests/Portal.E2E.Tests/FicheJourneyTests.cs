using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #3's journey, O2, O4, O8, S12 end to end: the OF writes and submits a fiche, the Région returns it, the OF
/// fixes it, the Région compares and validates; the OF creates a session, the prescriber sees it in the offer with its
/// open places, and a change of places by the OF appears on the prescriber's open page without reload.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class FicheJourneyTests(PortalServer server)
{
    private const string Title = "Agent de propreté et d'hygiène (parcours E2E)";

    [Fact]
    public async Task Fiche_O2_SubmittedReturnedFixedResubmitted_ThenValidatedAfterComparingVersions()
    {
        await using var ofContext = await server.ContextForAsync("julie.moreau");
        await using var regionContext = await server.ContextForAsync("claire.lefevre");
        var of = await ofContext.NewPageAsync();
        var region = await regionContext.NewPageAsync();

        // 1. The OF writes the fiche and submits it.
        var editor = new FicheEditorPage(of);
        await editor.OpenNewAsync();
        await editor.FillAsync("Intitulé *", Title);
        await editor.FillAsync("Durée en centre (heures) *", "400");
        await editor.FillAsync("Durée en entreprise (heures)", "140");
        await editor.FillAsync("Objectifs *", "Obtenir le titre professionnel d'agent de propreté et d'hygiène.");
        await editor.FillAsync("Contenu *", "Techniques de nettoyage, sécurité, relation client, stage en entreprise.");
        await editor.FillAsync("Code RNCP", "RNCP34325");
        await editor.PickAsync("Ajouter un métier (code ou intitulé ROME)", "nettoyage", "Nettoyage de locaux (K2204)");
        await editor.FillAsync("Prérequis *", "Savoirs de base.");
        await editor.FillAsync("Conditions d'admission *", "Demandeur d'emploi inscrit ; prescription obligatoire.");
        await editor.FillAsync("Modalités de sélection *", "Information collective puis entretien individuel.");
        await editor.AddCriterionAsync("Motivation pour le métier");
        await editor.AddCriterionAsync("Aptitude physique");
        await editor.PickAsync("Ajouter une commune (nom, code postal ou INSEE)", "merignac", "Mérignac (33281)");
        await editor.FillAsync("E-mail du contact", "accueil@formapro.exemple.fr");
        await PortalServer.ScreenshotAsync(of, "fiche-01-of-editor");
        await editor.SaveAndSubmitAsync();

        await of.WaitForURLAsync("**/fiches");
        await Assertions.Expect(of.GetByText("Fiche enregistrée et soumise à la Région.")).ToBeVisibleAsync();
        var ofRow = of.Locator("tr", new() { HasText = Title });
        await Assertions.Expect(ofRow.GetByTestId("fiche-status")).ToHaveTextAsync("Soumise");
        await PortalServer.ScreenshotAsync(of, "fiche-02-of-list-submitted");

        // 2. The Région finds it in its list and returns it with a comment.
        await region.GotoAsync("/fiches-a-valider");
        await region.WaitForInteractiveAsync();
        var regionRow = region.Locator("tr", new() { HasText = Title });
        await Assertions.Expect(regionRow).ToContainTextAsync("Formapro Gironde");
        await PortalServer.ScreenshotAsync(region, "fiche-03-region-list");
        await regionRow.GetByText("Examiner", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(region.GetByRole(AriaRole.Heading, new() { Name = Title, Level = 1 })).ToBeVisibleAsync();
        await region.WaitForInteractiveAsync();
        await Assertions.Expect(region.GetByTestId("no-previous-version")).ToBeVisibleAsync();
        var review = new FicheReviewPage(region);
        await review.ReturnAsync("La durée en entreprise est trop courte : prévoyez au moins 210 heures.");
        await Assertions.Expect(region.GetByTestId("fiche-status")).ToHaveTextAsync("Renvoyée");
        var reviewUrl = region.Url;

        // 3. The OF sees the comment live, fixes the fiche and resubmits it (version 2).
        await Assertions.Expect(ofRow.GetByTestId("fiche-status")).ToHaveTextAsync("Renvoyée");
        await Assertions.Expect(ofRow.GetByTestId("region-comment")).ToContainTextAsync("prévoyez au moins 210 heures");
        await PortalServer.ScreenshotAsync(of, "fiche-04-of-list-returned");
        await ofRow.GetByText("Modifier", new() { Exact = true }).ClickAsync();
        await of.WaitForURLAsync(url => url.Contains("/fiches/", StringComparison.Ordinal) && !url.EndsWith("/fiches", StringComparison.Ordinal));
        // The editor loads the fiche and the reference labels: on two busy cores this may take a few seconds.
        await Assertions.Expect(of.GetByRole(AriaRole.Heading, new() { Name = Title, Level = 1 })).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(of.GetByTestId("region-comment")).ToContainTextAsync("prévoyez au moins 210 heures");
        await of.WaitForInteractiveAsync();
        await editor.FillAsync("Durée en entreprise (heures)", "210");
        await editor.AddCriterionAsync("Disponibilité en horaires décalés");
        await PortalServer.ScreenshotAsync(of, "fiche-05-of-editor-returned");
        await editor.SaveAndSubmitAsync();
        await of.WaitForURLAsync("**/fiches");
        await Assertions.Expect(ofRow.GetByTestId("fiche-status")).ToHaveTextAsync("Soumise");
        await Assertions.Expect(ofRow.Locator("td").Nth(2)).ToHaveTextAsync("2");

        // 4. The Région compares version 2 with version 1, then validates.
        await region.GotoAsync(reviewUrl);
        await region.WaitForInteractiveAsync();
        await Assertions.Expect(review.Changes).ToBeVisibleAsync();
        await Assertions.Expect(review.Changes.Locator("tbody th")).ToHaveTextAsync(["Critères de sélection", "Durée"]);
        await Assertions.Expect(review.Changes.Locator("tr", new() { HasText = "Durée" })).ToContainTextAsync("400 h en centre, 210 h en entreprise");
        await PortalServer.ScreenshotAsync(region, "fiche-06-region-review-diff");
        await review.ValidateAsync();
        await Assertions.Expect(region.GetByTestId("fiche-status")).ToHaveTextAsync("Validée");
        await PortalServer.ScreenshotAsync(region, "fiche-07-region-validated");

        // The OF's list follows live.
        await Assertions.Expect(ofRow.GetByTestId("fiche-status")).ToHaveTextAsync("Validée");
        await PortalServer.ScreenshotAsync(of, "fiche-08-of-list-validated");

        // 5. The OF creates a session of the validated fiche, starting in 100 days: it opens at once (O4).
        await of.GotoAsync("/");
        await of.WaitForInteractiveAsync();
        await of.GetByRole(AriaRole.Button, new() { Name = "Nouvelle session" }).ClickAsync();
        var dialog = of.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Fiche action").ClickAsync();
        await of.Locator(".mud-popover-open .mud-list-item", new() { HasText = Title }).First.ClickAsync();
        var today = DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime);
        string D(int days) => today.AddDays(days).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        await dialog.GetByLabel("Date de début").FillAsync(D(100));
        await dialog.GetByLabel("Date de fin").FillAsync(D(190));
        await dialog.GetByLabel("Date limite d'inscription").FillAsync(D(93));
        await dialog.GetByLabel("Capacité (places)").FillAsync("8");
        await dialog.GetByLabel("Lieu de formation (commune)").FillAsync("Mérignac");
        await of.GetByText("Mérignac (33)").First.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Créer la session" }).ClickAsync();
        await Assertions.Expect(of.GetByText("Session créée.")).ToBeVisibleAsync();
        var sessionRow = of.Locator("tbody tr", new() { HasText = Title });
        await Assertions.Expect(sessionRow).ToContainTextAsync("Ouverte");

        // 6. The prescriber finds it in the offer with its open places.
        await using var prescriberContext = await server.ContextForAsync("camille.durand");
        var prescriber = await prescriberContext.NewPageAsync();
        await prescriber.GotoAsync("/offre?q=proprete+hygiene+parcours");
        await prescriber.WaitForInteractiveAsync();
        var offer = prescriber.Locator("[data-fiche-id]", new() { HasText = Title });
        await Assertions.Expect(offer).ToContainTextAsync("8 places ouvertes sur 8");

        // 7. The OF changes the open places (O8): the prescriber's page follows without reload.
        await sessionRow.Locator("input").First.FillAsync("5");
        await sessionRow.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Enregistrer") }).ClickAsync();
        await Assertions.Expect(of.GetByText("Places ouvertes enregistrées.")).ToBeVisibleAsync();
        await Assertions.Expect(offer).ToContainTextAsync("5 places ouvertes sur 8", new() { Timeout = 5_000 });
        await PortalServer.ScreenshotAsync(prescriber, "fiche-09-prescriber-offer-live");
    }
}
