using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Domain.Eos;
using Portal.Testing;
using Portal.Web.Features.Eos;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Eos;

/// <summary>
/// O1: the Région records, from an EOS anomaly, the prescription made outside the portal; the OF records one from its session
/// page and sees its session's list. Demo data: Océane LARRIEU (born 05/02/1999) entered SE-2026-0412 (Atlantique
/// Compétences, Antoine Roche) on 17/11/2026 according to EOS, with no portal prescription.
/// </summary>
public sealed class OfflineEntryScreensTests : PortalTestContext
{
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    private AngleSharp.Dom.IElement Input(string label) =>
        _dialogs.FindAll("input").First(i => i.ParentElement!.ParentElement!.TextContent.Contains(label, StringComparison.Ordinal));

    private async Task<List<OfflineEntry>> StoredAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.AllOfflineEntries.AsNoTracking().ToListAsync(Cancellation);
    }

    [Fact]
    public async Task EosPage_AnEntryWithoutPrescription_IsRecordedAsPrescribedOnPaper_FromItsAnomaly_O1()
    {
        await AuthorizeAsAsync(TestUsers.Claire);
        var page = Render<EosCoherencePage>();
        page.WaitForAssertion(() => page.Find("[data-testid='eos-none']"));
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(EosFiles.Windows1252(EosFiles.Realistic), "eos.csv", contentType: "text/csv"));
        page.WaitForAssertion(() => page.FindAll("[data-testid='eos-anomalies'] tbody tr").Count.ShouldBe(5));
        // Two entries without prescription: Océane's session is known, Théo's is not (nothing to record it on).
        page.FindAll("[data-testid='record-offline']").Count.ShouldBe(1);

        page.Find("[data-testid='record-offline']").Click();
        _dialogs.WaitForAssertion(() => _dialogs.Find("[data-testid='offline-session']").Shown().ShouldBe("SE-2026-0412 – Développeur web et web mobile"));
        (Input("Prénom").GetAttribute("value"), Input("Nom").GetAttribute("value")).ShouldBe(("Océane", "LARRIEU"));
        Input("Qui a prescrit").Change("Mission Locale des Graves, fiche papier");
        _dialogs.FindAll("button").First(b => b.Shown() == "Enregistrer l'entrée").Click();

        _snackbars.WaitForAssertion(() => _snackbars.Markup.ShouldContain("Entrée de Océane LARRIEU enregistrée avec sa prescription hors portail"));
        var stored = (await StoredAsync()).ShouldHaveSingleItem();
        (stored.FirstName, stored.LastName, stored.BirthDate, stored.EntryDate, stored.Source, stored.SourceDetail).ShouldBe(
            ("Océane", "LARRIEU", new DateOnly(1999, 2, 5), new DateOnly(2026, 11, 17), OfflinePrescriptionSource.Paper, "Mission Locale des Graves, fiche papier"));
    }

    [Fact]
    public async Task SessionPanel_TheOfRecordsAnEntry_AndAMissingSourceIsRefusedInFrench_KeepingTheForm_O1()
    {
        var antoine = await AuthorizeAsAsync("antoine.roche");
        Guid session;
        await using (var db = Database.CreateDbContext())
            session = await db.Sessions.Where(s => s.ExternalReference == "SE-2026-0412").Select(s => s.Id).SingleAsync(Cancellation);
        var cut = Render<OfflineEntriesPanel>(p => p.Add(c => c.SessionId, session).Add(c => c.User, antoine).Add(c => c.SessionLabel, "Développeur web"));
        cut.WaitForAssertion(() => cut.Find("[data-testid='offline-entries']").Shown().ShouldContain("règle O1"));
        cut.FindAll("tbody tr").ShouldBeEmpty();

        cut.Find("[data-testid='record-offline']").Click();
        _dialogs.WaitForAssertion(() => _dialogs.Markup.ShouldContain("Entrée prescrite hors portail"));
        Input("Prénom").Change("Lina");
        Input("Nom").Change("Arrieta");
        Input("Date de naissance").Change("14/07/2000");
        Input("Date d'entrée").Change("16/11/2026");
        _dialogs.FindAll("button").First(b => b.Shown() == "Enregistrer l'entrée").Click();
        _dialogs.WaitForAssertion(() => _dialogs.Find("[data-testid='offline-refusal']").Shown()
            .ShouldBe("Indiquez qui a prescrit et comment (organisme prescripteur, outil)."));
        Input("Prénom").GetAttribute("value").ShouldBe("Lina");
        (await StoredAsync()).ShouldBeEmpty();

        Input("Qui a prescrit").Change("Cap Emploi Gironde, fiche papier");
        _dialogs.FindAll("button").First(b => b.Shown() == "Enregistrer l'entrée").Click();

        cut.WaitForAssertion(() => cut.FindAll("tbody tr").Count.ShouldBe(1));
        var row = cut.Find("tbody tr").Shown();
        row.ShouldContain("Lina Arrieta");
        row.ShouldContain("né(e) le 14/07/2000");
        row.ShouldContain("Fiche de prescription papier");
        row.ShouldContain("Cap Emploi Gironde, fiche papier");
        row.ShouldContain("16/11/2026");
    }

    [Fact]
    public async Task SessionPanel_AnotherOf_SeesNothing_O1()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        Guid session;
        await using (var db = Database.CreateDbContext())
            session = await db.Sessions.Where(s => s.ExternalReference == "SE-2026-0412").Select(s => s.Id).SingleAsync(Cancellation);

        var cut = Render<OfflineEntriesPanel>(p => p.Add(c => c.SessionId, session).Add(c => c.User, julie));

        cut.FindAll("[data-testid='offline-entries']").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Océane LARRIEU", "Océane", "LARRIEU")]
    [InlineData("Jean Pierre DE LA ROSA", "Jean Pierre", "DE LA ROSA")]
    [InlineData("anaïs beranger", "anaïs", "beranger")]
    public void SplitEosName_TakesTheTrailingCapitalsAsTheLastName(string name, string first, string last) =>
        OfflineEntryDialog.SplitEosName(name).ShouldBe((first, last));
}
