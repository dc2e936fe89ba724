using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Domain.Offer;
using Portal.Testing;

namespace Portal.E2E.Tests;

/// <summary>O3 end to end: the Région publishes a lot and uploads an annex; a prescriber sees it and downloads it.</summary>
[Collection(PortalServerCollection.Name)]
public sealed class OrderJourneyTests(PortalServer server)
{
    private const string LotTitle = "Lot 60 – Propreté et hygiène, Gironde";

    [Fact]
    public async Task Region_CreatesALot_AndUploadsAnAnnex_ThePrescriberSeesAndDownloadsIt_O3()
    {
        var today = TrainingSession.Today(server.Services.GetRequiredService<TimeProvider>().GetUtcNow());
        var deadline = today.AddDays(20);

        // The Région publishes the lot.
        await using var regionContext = await server.ContextForAsync("claire.lefevre");
        var region = await regionContext.NewPageAsync();
        await region.GotoAsync("/commande-regionale");
        await region.WaitForInteractiveAsync();
        await Assertions.Expect(region.GetByRole(AriaRole.Heading, new() { Name = "Commande régionale", Level = 1 })).ToBeVisibleAsync();
        await region.GetByRole(AriaRole.Button, new() { Name = "Nouveau lot" }).ClickAsync();
        var dialog = region.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Intitulé du lot").FillAsync(LotTitle);
        await dialog.Locator("div.mud-select").First.ClickAsync();
        await region.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Gironde" }).First.ClickAsync();
        await dialog.GetByLabel("Volume (nombre de places)").FillAsync("14");
        var deadlineField = dialog.GetByLabel("Date limite de réponse");
        await deadlineField.FillAsync(deadline.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await deadlineField.PressAsync("Tab");
        await PortalServer.ScreenshotAsync(region, "order-region-create-lot");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Publier le lot" }).ClickAsync();
        await Assertions.Expect(region.GetByText("Lot publié. Déposez maintenant son dossier de consultation et ses annexes.")).ToBeVisibleAsync();

        // ... and uploads an annex (the second file input of the row: "Déposer une annexe").
        var row = region.Locator("tr", new() { HasText = LotTitle });
        await Assertions.Expect(row.GetByText("En cours")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync(deadline.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await row.Locator("input[type=file]").Nth(1).SetInputFilesAsync(new FilePayload
        {
            Name = "annexe-besoins-du-territoire.pdf",
            MimeType = "application/pdf",
            Buffer = SampleFiles.Pdf(4096),
        });
        await Assertions.Expect(region.GetByText("« annexe-besoins-du-territoire.pdf » est en ligne (Annexe).")).ToBeVisibleAsync();
        await Assertions.Expect(row.GetByRole(AriaRole.Link, new() { Name = "Télécharger annexe-besoins-du-territoire.pdf (Annexe, 4 Ko)" })).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(region, "order-region-lots");

        // The prescriber sees the lot and its annex, and downloads it.
        await using var prescriberContext = await server.ContextForAsync("camille.durand");
        var prescriber = await prescriberContext.NewPageAsync();
        await prescriber.GotoAsync("/");
        await prescriber.WaitForInteractiveAsync();
        await prescriber.GetByRole(AriaRole.Navigation, new() { Name = "Menu principal" }).GetByRole(AriaRole.Link, new() { Name = "Commande régionale" }).ClickAsync();
        await Assertions.Expect(prescriber.GetByRole(AriaRole.Heading, new() { Name = "Commande régionale", Level = 1 })).ToBeVisibleAsync();
        var seen = prescriber.Locator("tr", new() { HasText = LotTitle });
        await Assertions.Expect(seen).ToContainTextAsync("14 place(s)");
        var link = seen.GetByRole(AriaRole.Link, new() { Name = "Télécharger annexe-besoins-du-territoire.pdf (Annexe, 4 Ko)" });
        await Assertions.Expect(link).ToBeVisibleAsync();
        await PortalServer.ScreenshotAsync(prescriber, "order-prescriber-consultation");

        var download = await prescriber.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        download.SuggestedFilename.ShouldBe("annexe-besoins-du-territoire.pdf");
        var path = await download.PathAsync();
        (await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken)).ShouldBe(SampleFiles.Pdf(4096));
    }
}
