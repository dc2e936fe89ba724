using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Order;
using Portal.Domain.Order;
using Portal.Testing;
using Portal.Web.Features.Order;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Order;

/// <summary>O3: what prescribers, référents and training bodies see of the regional order. Each test has its own database.</summary>
public sealed class OrderConsultationPageTests : PortalTestContext
{
    private const string OpenLot = "Lot 12 – Logistique et transport, Gironde";       // deadline in 30 days
    private const string PastDeadlineLot = "Lot 21 – Services à la personne, Béarn";  // deadline 5 days ago
    private const string AwardedLot = "Lot 7 – Bâtiment second œuvre, Béarn";
    private const string UnsuccessfulLot = "Lot 30 – Métiers de la mer, Gironde";

    private IRenderedComponent<OrderConsultationPage> _cut = null!;

    private IElement Row(string title) => _cut.FindAll("tbody tr").Single(r => r.Shown().Contains(title, StringComparison.Ordinal));

    private async Task<Guid> LotIdAsync(string title)
    {
        await using var db = Database.CreateDbContext();
        return await db.OrderLots.Where(l => l.Title == title).Select(l => l.Id).SingleAsync(Cancellation);
    }

    /// <summary>The Région uploads a DCE and an annex to a lot (through the real handler, before rendering).</summary>
    private async Task<(Guid TenderFile, Guid Annex)> UploadBothAsync(string title)
    {
        var region = await UserAsync(TestUsers.Claire);
        var handler = Services.GetRequiredService<AddTenderDocument.Handler>();
        var lotId = await LotIdAsync(title);
        using var dce = SampleFiles.Stream(SampleFiles.Pdf());
        var tenderFile = await handler.HandleAsync(new AddTenderDocument(lotId, TenderDocumentKind.TenderFile, dce, "dce.pdf", "application/pdf"), region, Cancellation);
        using var annex = SampleFiles.Stream(SampleFiles.Pdf(4096));
        var annexDoc = await handler.HandleAsync(new AddTenderDocument(lotId, TenderDocumentKind.Annex, annex, "annexe-besoins.pdf", "application/pdf"), region, Cancellation);
        return (tenderFile.DocumentId, annexDoc.DocumentId);
    }

    private IReadOnlyList<string> Links(string title) =>
        [.. Row(title).QuerySelectorAll("a[download]").Select(a => a.GetAttribute("href")!)];

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Sophie)]
    [InlineData(TestUsers.Julie)]
    public async Task Consultation_ShowsTheDceBeforeTheDeadline_AndOnlyTheAnnexAfterIt_O3(string account)
    {
        var open = await UploadBothAsync(OpenLot);
        var past = await UploadBothAsync(PastDeadlineLot);
        await AuthorizeAsAsync(account);

        _cut = Render<OrderConsultationPage>();
        _cut.WaitForAssertion(() => _cut.FindAll("tbody tr").Count.ShouldBe(4));

        Links(OpenLot).ShouldBe([$"/api/order/documents/{open.TenderFile}", $"/api/order/documents/{open.Annex}"]);
        Links(PastDeadlineLot).ShouldBe([$"/api/order/documents/{past.Annex}"]);
        Row(PastDeadlineLot).Shown().ShouldContain("Date limite passée : le dossier de consultation est retiré, les annexes restent en ligne.");
        Row(OpenLot).Shown().ShouldContain("dce.pdf · Dossier de consultation (DCE) · 2 Ko");
        Row(OpenLot).Shown().ShouldContain("27/12/2026 dans 30 jours");
        Row(PastDeadlineLot).Shown().ShouldContain("22/11/2026 passée depuis 5 jours");
    }

    [Fact]
    public async Task Consultation_AwardedLot_ShowsTheAwardedFicheInsteadOfTheAnnexes_O3()
    {
        await AuthorizeAsAsync(TestUsers.Lucas);

        _cut = Render<OrderConsultationPage>();
        _cut.WaitForAssertion(() => _cut.FindAll("tbody tr").Count.ShouldBe(4));

        var award = Row(AwardedLot).QuerySelector("[data-testid='lot-award']")!;
        award.Shown().ShouldBe("Attribué à Béarn Formation Pro : Maçon du bâti ancien");
        award.QuerySelector("a")!.GetAttribute("href").ShouldStartWith("/catalogue/");
        Links(AwardedLot).ShouldBeEmpty();
        Row(AwardedLot).QuerySelector("[data-testid='lot-status']")!.Shown().ShouldBe("Attribué");
        Row(UnsuccessfulLot).QuerySelector("[data-testid='lot-status']")!.Shown().ShouldBe("Infructueux");
        Row(OpenLot).QuerySelector("[data-testid='lot-status']")!.Shown().ShouldBe("En cours");
        Row(OpenLot).Shown().ShouldContain("Aucun document en ligne.");
        var table = _cut.Find("table").Shown();
        foreach (var name in Enum.GetNames<LotStatus>())
            System.Text.RegularExpressions.Regex.IsMatch(table, $@"\b{name}\b").ShouldBeFalse(name);
    }

    [Fact]
    public async Task Consultation_TheDayAfterTheDeadline_WithdrawsTheDce_OnTheNextLoad_O3()
    {
        var open = await UploadBothAsync(OpenLot);
        await AuthorizeAsAsync(TestUsers.Camille);
        Clock.Advance(TimeSpan.FromDays(31));   // deadline 27/12/2026 passed

        _cut = Render<OrderConsultationPage>();
        _cut.WaitForAssertion(() => _cut.FindAll("tbody tr").Count.ShouldBe(4));

        Links(OpenLot).ShouldBe([$"/api/order/documents/{open.Annex}"]);
    }

    [Fact]
    public async Task Consultation_ForTheCarif_SaysInFrenchWhoItIsFor()
    {
        await AuthorizeAsAsync(TestUsers.Nicolas);

        _cut = Render<OrderConsultationPage>();

        _cut.WaitForAssertion(() => _cut.Find("[role='alert']").Shown()
            .ShouldBe("La commande régionale se consulte par les prescripteurs, les référents formation et les organismes de formation."));
        _cut.FindAll("table").ShouldBeEmpty();
    }
}
