using System.Globalization;
using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>
/// S3, S2 (ADR 0017) through the real login: the OF schedules a meeting 3 days ahead, convokes one candidate late after
/// the explicit confirmation; the prescriber sees the late mark and opens the candidate's printable letter.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class LateConvocationJourneyTests(PortalServer server)
{
    private static readonly Dictionary<string, string> Prescribers = new()
    {
        ["Mission Locale Technowest"] = "camille.durand",
        ["Cap Emploi Gironde"] = "ines.petit",
        ["France Travail Bordeaux Bastide"] = "hugo.lambert",
        ["France Travail Pau Université"] = "lucas.martin",
        ["Mission Locale Pau-Pyrénées"] = "lea.garcia",
        ["Cap Emploi Pyrénées-Atlantiques"] = "nora.benali",
    };

    [Fact]
    public async Task TrainingBody_ConvokesLateAfterConfirming_ThePrescriberOpensTheCandidatesLetter_S3_S2()
    {
        await using var ofContext = await server.ContextForAsync("julie.moreau");
        var of = await ofContext.NewPageAsync();
        await of.GotoAsync("/");
        await of.WaitForInteractiveAsync();
        await of.GetByRole(AriaRole.Link, new() { Name = "Préparation au titre de cariste d'entrepôt (CACES R489)" }).First.ClickAsync();
        await of.WaitForURLAsync("**/sessions/**");
        await of.WaitForInteractiveAsync();

        // One candidate still to convoke (the last one listed: other journeys take the first).
        var row = of.Locator("tbody tr")
            .Filter(new() { Has = of.Locator("td[data-label='Statut']", new() { HasTextString = "Prescrite" }) }).Last;
        var href = await row.GetByRole(AriaRole.Link).GetAttributeAsync("href");
        var candidate = (await row.Locator("td[data-label='Candidat']").InnerTextAsync()).Trim();
        var organisation = (await row.Locator("td[data-label='Prescripteur']").InnerTextAsync()).Trim();

        // A meeting in 3 days: a convocation now is late (S3).
        var place = $"Salle Dordogne {Guid.NewGuid().ToString()[..6]}, 12 avenue de l'Argonne, Mérignac";
        var day = DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime).AddDays(3).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        await of.GetByTestId("schedule-meeting").ClickAsync();
        var dialog = of.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Date", new() { Exact = true }).FillAsync(day);
        await dialog.GetByLabel("Lieu (adresse précise)").FillAsync(place);
        await dialog.GetByLabel("À apporter").FillAsync("Pièce d'identité, CV, attestation France Travail");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Assertions.Expect(of.GetByText("Réunion planifiée.")).ToBeVisibleAsync();

        var meeting = of.GetByTestId("meeting").Filter(new() { HasText = place });
        await Assertions.Expect(meeting.GetByTestId("late-notice")).ToBeVisibleAsync();
        await meeting.GetByTestId("convoke").ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("convoke-late-warning")).ToContainTextAsync("Convocation tardive : la réunion a lieu dans moins de 7 jours");
        // Only this candidate: untick "Tous", tick theirs.
        await dialog.GetByText(new System.Text.RegularExpressions.Regex("^Tous \\(\\d+\\)$")).ClickAsync();
        await dialog.GetByText(candidate, new() { Exact = false }).First.ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("convoke-submit")).ToBeDisabledAsync();
        await dialog.GetByText("Je confirme la convocation tardive").ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("convoke-submit")).ToBeEnabledAsync();
        await PortalServer.ScreenshotAsync(of, "of-convoke-late-confirmed");
        await dialog.GetByTestId("convoke-submit").ClickAsync();
        await Assertions.Expect(of.GetByText("1 candidat(s) convoqué(s).")).ToBeVisibleAsync();

        // The prescriber opens the prescription: the late mark, then the candidate's letter.
        await using var prescriberContext = await server.ContextForAsync(Prescribers[organisation]);
        var prescriber = await prescriberContext.NewPageAsync();
        await prescriber.GotoAsync(href!);
        await prescriber.WaitForInteractiveAsync();
        await Assertions.Expect(prescriber.GetByTestId("convocation-late")).ToBeVisibleAsync();
        await prescriber.GetByTestId("open-letter").ClickAsync();
        await prescriber.WaitForURLAsync("**/convocation");
        var letter = prescriber.GetByTestId("letter");
        await Assertions.Expect(letter).ToContainTextAsync($"Lieu : {place}");
        await Assertions.Expect(letter).ToContainTextAsync("À apporter : Pièce d'identité, CV, attestation France Travail");
        await Assertions.Expect(letter).ToContainTextAsync("moins de 7 jours avant la réunion");
        await Assertions.Expect(prescriber.GetByTestId("letter-late")).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(prescriber, "prescriber-convocation-letter");
    }
}
