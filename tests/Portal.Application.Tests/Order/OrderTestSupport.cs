using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Order;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Order;
using Portal.Testing;

namespace Portal.Application.Tests.Order;

/// <summary>
/// The regional order's handlers over the shared demo database, a clock of each test's own and a temporary
/// file store. Every test creates its own lot, so tests never read each other's rows.
/// </summary>
public abstract class OrderTestBase(DemoDatabase fixture) : IDisposable
{
    /// <summary>A winter deadline (Paris = UTC+1) after the seeding instant (27/11/2026).</summary>
    protected static readonly DateOnly Deadline = new(2026, 12, 15);

    /// <summary>23:59:59 in Paris on the deadline day (22:59:59 UTC).</summary>
    protected static readonly DateTimeOffset LastSecondOfDeadlineDay = FrenchTime.StartOfDay(Deadline.AddDays(1)).AddSeconds(-1);

    /// <summary>00:00:00 in Paris the day after (23:00:00 UTC, still the deadline day in UTC).</summary>
    protected static readonly DateTimeOffset NextDayInParis = FrenchTime.StartOfDay(Deadline.AddDays(1));

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected DemoDatabase Fixture { get; } = fixture;

    protected FakeTimeProvider Clock { get; } = new(DemoDatabase.SeededAt);

    protected TempFileStore Files { get; } = new();

    protected TestDatabase Database => Fixture.Database;

    protected CreateLot.Handler CreateLotHandler => new(Database, Clock);
    protected AddTenderDocument.Handler AddDocumentHandler => new(Database, Files.Store, Clock);
    protected DeclareLotUnsuccessful.Handler UnsuccessfulHandler => new(Database, Clock);
    protected AwardLot.Handler AwardHandler => new(Database, Clock);
    protected GetRegionalOrder.Handler OrderHandler => new(Database, Clock);
    protected GetTenderDocument.Handler DocumentHandler => new(Database, Files.Store, Clock);

    protected Task<CurrentUser> UserAsync(string account) => Fixture.UserAsync(account);

    protected async Task<Guid> TerritoryAsync(string code = "33")
    {
        await using var db = Database.CreateDbContext();
        return await db.Territories.Where(t => t.Code == code).Select(t => t.Id).SingleAsync(Ct);
    }

    protected async Task<Guid> CreateLotAsync(DateOnly? deadline = null, string title = "Lot 40 – Propreté, Gironde")
    {
        var region = await UserAsync(TestUsers.Claire);
        return await CreateLotHandler.HandleAsync(new CreateLot(title, await TerritoryAsync(), 30, deadline ?? Deadline), region, Ct);
    }

    protected async Task<Guid> UploadAsync(Guid lotId, TenderDocumentKind kind, byte[] bytes, string fileName)
    {
        var region = await UserAsync(TestUsers.Claire);
        using var stream = SampleFiles.Stream(bytes);
        var result = await AddDocumentHandler.HandleAsync(new AddTenderDocument(lotId, kind, stream, fileName, "application/octet-stream"), region, Ct);
        return result.DocumentId;
    }

    /// <summary>A lot with its tender file (DCE) and one annex, uploaded by the Région before the deadline.</summary>
    protected async Task<(Guid LotId, Guid TenderFileId, Guid AnnexId)> LotWithDocumentsAsync()
    {
        var lotId = await CreateLotAsync();
        var tenderFile = await UploadAsync(lotId, TenderDocumentKind.TenderFile, SampleFiles.Pdf(), "dce-lot40.pdf");
        var annex = await UploadAsync(lotId, TenderDocumentKind.Annex, SampleFiles.Pdf(3000), "annexe-besoins.pdf");
        return (lotId, tenderFile, annex);
    }

    /// <summary>A validated fiche action of Julie's training body (demo data), and a fiche of hers not validated.</summary>
    protected async Task<(Guid OrganisationId, Guid Validated, Guid NotValidated)> JulieFichesAsync()
    {
        var julie = await UserAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var validated = await db.FicheActions.Where(f => f.OrganisationId == julie.OrganisationId && f.Status == FicheStatus.Validated).Select(f => f.Id).FirstAsync(Ct);
        var other = await db.FicheActions.Where(f => f.OrganisationId == julie.OrganisationId && f.Status != FicheStatus.Validated).Select(f => f.Id).FirstAsync(Ct);
        return (julie.OrganisationId, validated, other);
    }

    protected async Task<OrderLot> ReloadAsync(Guid lotId)
    {
        await using var db = Database.CreateDbContext();
        return await db.OrderLots.AsNoTracking().Include(l => l.Documents).SingleAsync(l => l.Id == lotId, Ct);
    }

    protected async Task<GetRegionalOrder.Lot> LotAsSeenByAsync(string account, Guid lotId)
    {
        var order = await OrderHandler.HandleAsync(new GetRegionalOrder(), await UserAsync(account), Ct);
        return order.Lots.Single(l => l.Id == lotId);
    }

    protected async Task<byte[]> DownloadAsync(string account, Guid documentId)
    {
        var download = await DocumentHandler.HandleAsync(new GetTenderDocument(documentId), await UserAsync(account), Ct);
        await using var content = download.Content;
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    public void Dispose()
    {
        Files.Dispose();
        GC.SuppressFinalize(this);
    }
}
