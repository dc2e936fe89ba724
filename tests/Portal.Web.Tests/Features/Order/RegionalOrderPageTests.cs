using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Application.Features.Order;
using Portal.Domain.Order;
using Portal.Testing;
using Portal.Web.Features.Order;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Order;

/// <summary>O3: the Région's "Commande régionale". Each test changes rows, so each has its own database.</summary>
public sealed class RegionalOrderPageTests : PortalTestContext
{
    private const string OpenLot = "Lot 12 – Logistique et transport, Gironde";       // deadline in 30 days
    private const string PastDeadlineLot = "Lot 21 – Services à la personne, Béarn";  // deadline 5 days ago, open
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private IRenderedComponent<RegionalOrderPage> _cut = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await AuthorizeAsAsync(TestUsers.Claire);
        // In the app the providers live in MainLayout: render them next to the screen.
        _popovers = Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
        _snackbars = Render<MudSnackbarProvider>();
        _cut = Render<RegionalOrderPage>();
        _cut.WaitForAssertion(() => _cut.FindAll("tbody tr").Count.ShouldBe(4));
    }

    private IElement Row(string title) => _cut.FindAll("tbody tr").Single(r => r.Shown().Contains(title, StringComparison.Ordinal));

    private string Snackbar() => _snackbars.FindAll(".mud-snackbar").Select(s => s.Shown()).LastOrDefault() ?? "";

    private async Task<OrderLot> LotAsync(string title)
    {
        await using var db = Database.CreateDbContext();
        return await db.OrderLots.AsNoTracking().Include(l => l.Documents).SingleAsync(l => l.Title == title, Cancellation);
    }

    private void Upload(string lotTitle, string button, byte[] bytes, string fileName, string contentType = "application/pdf") =>
        _cut.FindComponents<UploadButton>().Single(b => b.Instance.LotTitle == lotTitle && b.Instance.Label == button)
            .FindComponent<InputFile>()
            .UploadFiles(InputFileContent.CreateFromBinary(bytes, fileName, contentType: contentType));

    [Fact]
    public void Lots_ShowFrenchStatusChips_DeadlineVolumeAndTerritory_O3()
    {
        Row(OpenLot).QuerySelector("[data-testid='lot-status']")!.Shown().ShouldBe("En cours");
        Row("Lot 30 – Métiers de la mer").QuerySelector("[data-testid='lot-status']")!.Shown().ShouldBe("Infructueux");
        Row("Lot 7 – Bâtiment second œuvre").QuerySelector("[data-testid='lot-status']")!.Shown().ShouldBe("Attribué");

        var open = Row(OpenLot).Shown();
        open.ShouldContain("Gironde");
        open.ShouldContain("48 place(s)");
        open.ShouldContain("27/12/2026 dans 30 jours");
        Row("Lot 7 – Bâtiment second œuvre").QuerySelector("[data-testid='lot-award']")!.Shown()
            .ShouldBe("Attribué à Béarn Formation Pro : Maçon du bâti ancien");
        Row("Lot 7 – Bâtiment second œuvre").Shown().ShouldNotContain("déposez", Case.Insensitive);
        Row(OpenLot).Shown().ShouldContain("Aucun document : déposez le dossier de consultation et les annexes.");
        _cut.Find("[data-testid='lot-counts']").Shown().ShouldBe("4 lot(s) · 2 en cours · 1 infructueux · 1 attribué(s)");
        var table = _cut.Find("table").Shown();
        foreach (var name in Enum.GetNames<LotStatus>().Concat(Enum.GetNames<TenderDocumentKind>()))
            System.Text.RegularExpressions.Regex.IsMatch(table, $@"\b{name}\b").ShouldBeFalse(name);
    }

    [Fact]
    public void Actions_FollowO3_UploadTheDceBeforeTheDeadline_DeclareOrAwardAfterIt_NothingOnceAwarded()
    {
        string[] Buttons(string title) => [.. Row(title).QuerySelectorAll("button").Select(b => b.Shown())];

        Buttons(OpenLot).ShouldBe(["Déposer le DCE", "Déposer une annexe"]);
        Buttons(PastDeadlineLot).ShouldBe(["Déposer une annexe", "Déclarer infructueux", "Attribuer"]);
        Buttons("Lot 30 – Métiers de la mer").ShouldBe(["Déposer une annexe", "Attribuer"]);
        Buttons("Lot 7 – Bâtiment second œuvre").ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateLot_Refused_ShowsFrenchMessages_AndKeepsTheTypedValues_ThenPublishes_O3()
    {
        _cut.Find("[data-testid='create-lot'] ").Click();
        _dialogs.WaitForAssertion(() => _dialogs.Find("#create-lot-title").Shown().ShouldBe("Nouveau lot de la commande régionale"));

        _dialogs.Find("input[data-testid='lot-title']").Input("Lot 50 – Numérique, Gironde");
        _dialogs.Find("input[data-testid='lot-volume']").Input("0");
        Deadline().Change("26/11/2026");
        _dialogs.Find("form#create-lot-form").Submit();

        _dialogs.WaitForAssertion(() =>
        {
            var text = _dialogs.Find(".mud-dialog").Shown();
            text.ShouldContain("Choisissez le territoire du lot.");
            text.ShouldContain("Le volume du lot doit être d'au moins une place.");
            text.ShouldContain("La date limite de réponse ne peut pas être passée : au plus tôt le 27/11/2026.");
        });
        _dialogs.Find("input[data-testid='lot-title']").GetAttribute("value").ShouldBe("Lot 50 – Numérique, Gironde");
        Deadline().GetAttribute("value").ShouldBe("26/11/2026");

        // Choose the territory, fix the volume and the date.
        OpenSelect("lot-territory");
        _popovers.WaitForAssertion(() => ListItem("Gironde").ShouldNotBeNull());
        ListItem("Gironde").Click();
        _dialogs.Find("input[data-testid='lot-volume']").Input("16");
        Deadline().Change("31/01/2027");
        _dialogs.Find("form#create-lot-form").Submit();

        _snackbars.WaitForAssertion(() => Snackbar().ShouldBe("Lot publié. Déposez maintenant son dossier de consultation et ses annexes."));
        _cut.WaitForAssertion(() => Row("Lot 50 – Numérique, Gironde").Shown().ShouldContain("31/01/2027"));
        var lot = await LotAsync("Lot 50 – Numérique, Gironde");
        lot.Volume.ShouldBe(16);
        lot.TenderDeadline.ShouldBe(new DateOnly(2027, 1, 31));
    }

    private IElement Deadline()
    {
        var element = _dialogs.Find("[data-testid='lot-deadline']");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }

    /// <summary>Opens a MudSelect of the dialog as a pointer does.</summary>
    private void OpenSelect(string testId)
    {
        var control = _dialogs.Find($"[data-testid='{testId}']").Closest(".mud-input-control") ?? _dialogs.Find($"[data-testid='{testId}']");
        try { control.MouseDown(); }
        catch (MissingEventHandlerException) { control.Click(); }
    }

    private IElement ListItem(string text) =>
        _popovers.FindAll(".mud-popover .mud-list-item").First(e => e.Shown() == text);

    [Fact]
    public async Task UploadAnnex_Pdf_IsOnline_WithADownloadLink_O3()
    {
        Upload(OpenLot, "Déposer une annexe", SampleFiles.Pdf(), "annexe-besoins.pdf");

        _snackbars.WaitForAssertion(() => Snackbar().ShouldBe("« annexe-besoins.pdf » est en ligne (Annexe)."));
        var document = (await LotAsync(OpenLot)).Documents.ShouldHaveSingleItem();
        document.Kind.ShouldBe(TenderDocumentKind.Annex);
        _cut.WaitForAssertion(() =>
        {
            var link = Row(OpenLot).QuerySelector($"a[href='/api/order/documents/{document.Id}']")!;
            link.Shown().ShouldBe("annexe-besoins.pdf");
            link.GetAttribute("download").ShouldBe("annexe-besoins.pdf");
        });
        Files.Files().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task UploadDce_ExecutableNamedPdf_IsRefusedInFrench_AndNothingIsKept_O3()
    {
        Upload(OpenLot, "Déposer le DCE", SampleFiles.Executable(), "dce.pdf");

        _snackbars.WaitForAssertion(() => Snackbar().ShouldBe(TenderDocumentTypes.Refusal));
        (await LotAsync(OpenLot)).Documents.ShouldBeEmpty();
        Files.Files().ShouldBeEmpty();
    }

    [Fact]
    public async Task UploadAnnex_OverTenMegabytes_IsRefusedInFrench_BeforeReading_O3()
    {
        Upload(OpenLot, "Déposer une annexe", SampleFiles.Pdf((int)TenderDocument.MaxSize + 1), "enorme.pdf");

        _snackbars.WaitForAssertion(() => Snackbar().ShouldBe(AddTenderDocument.TooLarge));
        (await LotAsync(OpenLot)).Documents.ShouldBeEmpty();
    }

    [Fact]
    public async Task DeclareUnsuccessful_AsksForConfirmation_ThenShowsTheFrenchStatus_O3()
    {
        Row(PastDeadlineLot).QuerySelectorAll("button").Single(b => b.Shown() == "Déclarer infructueux").Click();
        _dialogs.WaitForAssertion(() => _dialogs.Find(".mud-dialog").Shown().ShouldContain("Ses annexes restent en ligne pour les prescripteurs"));
        (await LotAsync(PastDeadlineLot)).Status.ShouldBe(LotStatus.Open, "nothing happens before the confirmation");

        _dialogs.FindAll(".mud-dialog button").Single(b => b.Shown() == "Déclarer infructueux").Click();

        _snackbars.WaitForAssertion(() => Snackbar().ShouldBe($"Le lot « {PastDeadlineLot} » est déclaré infructueux."));
        _cut.WaitForAssertion(() => Row(PastDeadlineLot).QuerySelector("[data-testid='lot-status']")!.Shown().ShouldBe("Infructueux"));
        (await LotAsync(PastDeadlineLot)).Status.ShouldBe(LotStatus.Unsuccessful);
    }

    [Fact]
    public async Task DeclareUnsuccessful_Cancelled_ChangesNothing_O3()
    {
        Row(PastDeadlineLot).QuerySelectorAll("button").Single(b => b.Shown() == "Déclarer infructueux").Click();
        _dialogs.WaitForAssertion(() => _dialogs.FindAll(".mud-dialog button").Single(b => b.Shown() == "Annuler").Click());

        _dialogs.WaitForAssertion(() => _dialogs.FindAll(".mud-dialog").ShouldBeEmpty());
        (await LotAsync(PastDeadlineLot)).Status.ShouldBe(LotStatus.Open);
    }

    [Fact]
    public async Task Award_ChoosingTheTrainingBody_PicksItsOnlyValidatedFiche_AndRecordsTheAward_O3()
    {
        Row(PastDeadlineLot).QuerySelectorAll("button").Single(b => b.Shown() == "Attribuer").Click();
        _dialogs.WaitForAssertion(() => _dialogs.Find("#award-lot-title").Shown().ShouldBe("Attribuer le lot"));

        // Submitting with nothing chosen: French messages, nothing recorded.
        _dialogs.Find("form#award-lot-form").Submit();
        _dialogs.WaitForAssertion(() => _dialogs.Find(".mud-dialog").Shown().ShouldContain("Choisissez l'organisme de formation attributaire."));

        OpenSelect("award-organisation");
        _popovers.WaitForAssertion(() => ListItem("Formapro Gironde").ShouldNotBeNull());
        ListItem("Formapro Gironde").Click();
        _dialogs.Find("form#award-lot-form").Submit();

        _snackbars.WaitForAssertion(() => Snackbar().ShouldStartWith($"Attribution du lot « {PastDeadlineLot} » enregistrée"));
        _cut.WaitForAssertion(() => Row(PastDeadlineLot).QuerySelector("[data-testid='lot-award']")!.Shown()
            .ShouldBe("Attribué à Formapro Gironde : Préparation au titre de cariste d'entrepôt (CACES R489)"));
        var lot = await LotAsync(PastDeadlineLot);
        lot.Status.ShouldBe(LotStatus.Awarded);
    }
}
