using System.Globalization;
using Microsoft.Playwright;

namespace Portal.E2E.Tests;

/// <summary>S2, S3, S9: the OF schedules an info session at least 7 days ahead and convokes; the prescriber's open prescription page shows it live.</summary>
[Collection(PortalServerCollection.Name)]
public sealed class InfoSessionJourneyTests(PortalServer server)
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
    public async Task TrainingBody_SchedulesAndConvokes_ThePrescribersOpenPageShowsTheConvocationLive_S3_S9()
    {
        await using var ofContext = await server.ContextForAsync("julie.moreau");
        var of = await ofContext.NewPageAsync();
        await of.GotoAsync("/");
        await of.WaitForInteractiveAsync();
        await of.GetByRole(AriaRole.Link, new() { Name = "Préparation au titre de cariste d'entrepôt (CACES R489)" }).First.ClickAsync();
        await of.WaitForURLAsync("**/sessions/**");
        await of.WaitForInteractiveAsync();

        // A candidate still to convoke on this session: a prescriber of its organisation opens its page.
        var row = of.Locator("tbody tr")
            .Filter(new() { Has = of.Locator("td[data-label='Statut']", new() { HasTextString = "Prescrite" }) }).First;
        var href = await row.GetByRole(AriaRole.Link).GetAttributeAsync("href");
        var organisation = (await row.Locator("td[data-label='Prescripteur']").InnerTextAsync()).Trim();
        await using var prescriberContext = await server.ContextForAsync(Prescribers[organisation]);
        var prescriber = await prescriberContext.NewPageAsync();
        await prescriber.GotoAsync(href!);
        await prescriber.WaitForInteractiveAsync();
        await Assertions.Expect(prescriber.GetByTestId("convocation")).ToHaveTextAsync("Pas encore convoqué(e).");

        // The OF schedules a meeting 20 days ahead (S3: convocations possible until 7 days before).
        var place = $"Salle Garonne {Guid.NewGuid().ToString()[..6]}, 12 avenue de l'Argonne, Mérignac";
        var day = DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime).AddDays(20).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        await of.GetByTestId("schedule-meeting").ClickAsync();
        var dialog = of.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = "Planifier une réunion d'information" })).ToBeVisibleAsync();
        await dialog.GetByLabel("Date", new() { Exact = true }).FillAsync(day);
        await dialog.GetByLabel("Lieu (adresse précise)").FillAsync(place);
        await dialog.GetByLabel("À apporter").FillAsync("Pièce d'identité, CV");
        await PortalServer.ScreenshotAsync(of, "of-schedule-info-session");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Assertions.Expect(of.GetByText("Réunion planifiée.")).ToBeVisibleAsync();

        var meeting = of.GetByTestId("meeting").Filter(new() { HasText = place });
        await meeting.GetByTestId("convoke").ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = "Convoquer à la réunion" })).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(of, "of-convoke-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Convoquer \\(\\d+\\)$") }).ClickAsync();
        await Assertions.Expect(of.GetByText("convoqué(s).").First).ToBeVisibleAsync();
        await Assertions.Expect(meeting.GetByTestId("attendee").First).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(of, "of-session-convoked");

        // The prescriber's page, open all along, shows the convocation without reload.
        await Assertions.Expect(prescriber.GetByTestId("convocation")).ToContainTextAsync($"Convoqué(e) à l'information collective du");
        await Assertions.Expect(prescriber.GetByTestId("convocation-panel")).ToContainTextAsync(place);
        await Assertions.Expect(prescriber.GetByTestId("convocation-panel")).ToContainTextAsync("À apporter : Pièce d'identité, CV");
        await PortalServer.ScreenshotAsync(prescriber, "prescriber-convocation-live");
    }
}
