using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Abstractions;
using Portal.Application.Features.Order;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Order;
using Portal.Infrastructure;
using Portal.Infrastructure.Files;
using Portal.Infrastructure.Seed;
using Portal.Testing;

namespace Portal.IntegrationTests;

/// <summary>
/// O3 over HTTP: GET /api/order/documents/{id} serves a tender document only while the user may see it
/// (same handler as the screens), from the upload folder outside wwwroot. The portal runs on the real clock,
/// so "before" and "after" the deadline are two lots whose deadlines are tomorrow and yesterday in Paris.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class OrderDocumentsTests(PortalFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private T Service<T>() where T : notnull => factory.Services.GetRequiredService<T>();

    private DateOnly TodayInParis => TrainingSession.Today(Service<TimeProvider>().GetUtcNow());

    private Task<CurrentUser> UserAsync(string account) => factory.QueryAsync(async db =>
    {
        var email = DemoData.Email(account);
        var user = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Email == email);
        var membership = user.Memberships.OrderBy(m => m.Role).First();
        var org = await db.Organisations.SingleAsync(o => o.Id == membership.OrganisationId);
        return new CurrentUser(user.Id, user.DisplayName, org.Id, org.Name, org.Kind, org.TerritoryId,
            user.Memberships.Where(m => m.OrganisationId == org.Id).Select(m => m.Role).ToHashSet());
    });

    /// <summary>A lot with a DCE and an annex uploaded through the handler; a past deadline is written directly (the handler refuses it).</summary>
    private async Task<(Guid LotId, Guid TenderFile, Guid Annex)> LotAsync(DateOnly deadline)
    {
        var region = await UserAsync("claire.lefevre");
        var territory = await factory.QueryAsync(db => db.Territories.Where(t => t.Code == "33").Select(t => t.Id).SingleAsync());
        Guid lotId;
        if (deadline >= TodayInParis)
        {
            lotId = await Service<CreateLot.Handler>().HandleAsync(new CreateLot($"Lot IT {Guid.NewGuid():N}", territory, 10, deadline), region, Ct);
        }
        else
        {
            lotId = await factory.QueryAsync(async db =>
            {
                var lot = new OrderLot($"Lot IT {Guid.NewGuid():N}", territory, 10, deadline, Service<TimeProvider>().GetUtcNow());
                db.OrderLots.Add(lot);
                await db.SaveChangesAsync();
                return lot.Id;
            });
        }
        var upload = Service<AddTenderDocument.Handler>();
        using var dce = SampleFiles.Stream(SampleFiles.Pdf(1500));
        var tenderFile = await upload.HandleAsync(new AddTenderDocument(lotId, TenderDocumentKind.TenderFile, dce, "dossier de consultation.pdf", "application/pdf"), region, Ct);
        using var annex = SampleFiles.Stream(SampleFiles.Pdf(2500));
        var annexDoc = await upload.HandleAsync(new AddTenderDocument(lotId, TenderDocumentKind.Annex, annex, "annexe.pdf", "application/pdf"), region, Ct);
        return (lotId, tenderFile.DocumentId, annexDoc.DocumentId);
    }

    [Fact]
    public async Task Prescriber_DownloadsTheDce_BeforeTheDeadline_AsAnAttachment_O3()
    {
        var (_, tenderFile, _) = await LotAsync(TodayInParis.AddDays(1));
        var client = await factory.LoggedInAsync("camille.durand");

        var response = await client.GetAsync($"/api/order/documents/{tenderFile}", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        response.Content.Headers.ContentDisposition.FileNameStar.ShouldBe("dossier de consultation.pdf");
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        (await response.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(SampleFiles.Pdf(1500));
    }

    [Fact]
    public async Task Prescriber_Gets404ForTheDce_AfterTheDeadline_But200ForTheAnnex_O3()
    {
        var (_, tenderFile, annex) = await LotAsync(TodayInParis.AddDays(-1));
        var client = await factory.LoggedInAsync("camille.durand");

        var dce = await client.GetAsync($"/api/order/documents/{tenderFile}", Ct);
        dce.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await dce.Content.ReadAsStringAsync(Ct)).ShouldContain("Document introuvable.");

        var response = await client.GetAsync($"/api/order/documents/{annex}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(SampleFiles.Pdf(2500));
    }

    [Fact]
    public async Task Prescriber_Gets404ForTheAnnex_OnceTheLotIsAwarded_TheRegionStillGets200_O3()
    {
        var (lotId, _, annex) = await LotAsync(TodayInParis.AddDays(-1));
        var ofBearn = await factory.OrganisationIdOfAsync("thomas.laurent");
        var fiche = await factory.QueryAsync(db => db.FicheActions.Where(f => f.OrganisationId == ofBearn && f.Status == FicheStatus.Validated).Select(f => f.Id).FirstAsync());
        await Service<AwardLot.Handler>().HandleAsync(new AwardLot(lotId, ofBearn, fiche), await UserAsync("claire.lefevre"), Ct);

        var prescriber = await factory.LoggedInAsync("lucas.martin");
        (await prescriber.GetAsync($"/api/order/documents/{annex}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var region = await factory.LoggedInAsync("claire.lefevre");
        (await region.GetAsync($"/api/order/documents/{annex}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Anonymous_Gets401_NotTheFile_O3()
    {
        var (_, tenderFile, _) = await LotAsync(TodayInParis.AddDays(1));
        var client = factory.CreateBrowser();

        (await client.GetAsync($"/api/order/documents/{tenderFile}", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Carif_Gets404_EvenBeforeTheDeadline_O3()
    {
        var (_, tenderFile, _) = await LotAsync(TodayInParis.AddDays(1));
        var client = await factory.LoggedInAsync("nicolas.roux");

        (await client.GetAsync($"/api/order/documents/{tenderFile}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Uploads_AreStoredUnderTheDataFolder_NotUnderWwwroot_AndAreNotServedStatically()
    {
        var options = Service<PortalOptions>();
        var store = Service<IFileStore>().ShouldBeOfType<FileSystemFileStore>();
        var (_, tenderFile, _) = await LotAsync(TodayInParis.AddDays(1));
        var key = await factory.QueryAsync(db => db.TenderDocuments.Where(d => d.Id == tenderFile).Select(d => d.StorageKey).SingleAsync());

        store.Root.ShouldBe(Path.Combine(Path.GetFullPath(options.DataDirectory), "uploads"));
        Directory.GetFiles(store.Root, key, SearchOption.AllDirectories).ShouldHaveSingleItem();
        var client = await factory.LoggedInAsync("camille.durand");
        (await client.GetAsync($"/uploads/{key[..2]}/{key}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
