using Portal.Application.Features.Order;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Order;
using Portal.Testing;

namespace Portal.Application.Tests.Order;

/// <summary>
/// O3, as the handlers serve it: what prescribers, référents and training bodies see of a lot and may
/// download, at the exact Paris day boundaries of the tender deadline, after infructueux and after the award.
/// </summary>
public sealed class RegionalOrderVisibilityTests(DemoDatabase fixture) : OrderTestBase(fixture), IClassFixture<DemoDatabase>
{
    private static IEnumerable<Guid> Ids(GetRegionalOrder.Lot lot) => lot.Documents.Select(d => d.Id);

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Sophie)]
    [InlineData(TestUsers.Julie)]
    public async Task Order_LastSecondOfTheDeadlineDay_ShowsTheTenderFileAndTheAnnex_O3(string account)
    {
        var (lotId, tenderFile, annex) = await LotWithDocumentsAsync();
        Clock.SetUtcNow(LastSecondOfDeadlineDay);

        var lot = await LotAsSeenByAsync(account, lotId);

        Ids(lot).ShouldBe([tenderFile, annex]);
        lot.DeadlinePassed.ShouldBeFalse();
        lot.Status.ShouldBe(LotStatus.Open);
        lot.TerritoryName.ShouldBe("Gironde");
    }

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Sophie)]
    [InlineData(TestUsers.Julie)]
    public async Task Order_MidnightInParisAfterTheDeadline_WithdrawsTheTenderFile_KeepsTheAnnex_O3(string account)
    {
        var (lotId, _, annex) = await LotWithDocumentsAsync();
        Clock.SetUtcNow(NextDayInParis);

        var lot = await LotAsSeenByAsync(account, lotId);

        Ids(lot).ShouldBe([annex]);
        lot.DeadlinePassed.ShouldBeTrue();
    }

    [Fact]
    public async Task Order_TheRegion_SeesEveryDocument_AfterTheDeadline_AndTheTerritories_O3()
    {
        var (lotId, tenderFile, annex) = await LotWithDocumentsAsync();
        Clock.SetUtcNow(NextDayInParis);

        var order = await OrderHandler.HandleAsync(new GetRegionalOrder(), await UserAsync(TestUsers.Claire), Ct);

        Ids(order.Lots.Single(l => l.Id == lotId)).ShouldBe([tenderFile, annex]);
        order.CanManage.ShouldBeTrue();
        order.Territories.Select(t => t.Name).ShouldContain("Gironde");
    }

    [Fact]
    public async Task Order_Prescribers_GetNoTerritoriesAndCannotManage_O3()
    {
        var order = await OrderHandler.HandleAsync(new GetRegionalOrder(), await UserAsync(TestUsers.Camille), Ct);
        order.CanManage.ShouldBeFalse();
        order.Territories.ShouldBeEmpty();
        order.Lots.Count.ShouldBeGreaterThanOrEqualTo(4, "the demo order's four lots");
    }

    [Fact]
    public async Task Order_Unsuccessful_KeepsTheAnnexesOnline_O3()
    {
        var (lotId, _, annex) = await LotWithDocumentsAsync();
        Clock.SetUtcNow(NextDayInParis);
        await UnsuccessfulHandler.HandleAsync(new DeclareLotUnsuccessful(lotId), await UserAsync(TestUsers.Claire), Ct);
        var update = await UploadAsync(lotId, TenderDocumentKind.Annex, SampleFiles.Pdf(), "annexe-mise-a-jour.pdf");

        var lot = await LotAsSeenByAsync(TestUsers.Camille, lotId);

        lot.Status.ShouldBe(LotStatus.Unsuccessful);
        Ids(lot).ShouldBe([annex, update]);
        (await DownloadAsync(TestUsers.Camille, update)).Length.ShouldBe(2048);
    }

    [Fact]
    public async Task Order_Awarded_ShowsTheAwardedFicheInsteadOfTheAnnexes_O3()
    {
        var (lotId, _, _) = await LotWithDocumentsAsync();
        var (of, fiche, _) = await JulieFichesAsync();
        Clock.SetUtcNow(NextDayInParis.AddDays(10));
        await AwardHandler.HandleAsync(new AwardLot(lotId, of, fiche), await UserAsync(TestUsers.Claire), Ct);

        var lot = await LotAsSeenByAsync(TestUsers.Lucas, lotId);

        lot.Documents.ShouldBeEmpty();
        lot.Awarded.ShouldNotBeNull();
        lot.Awarded.FicheActionId.ShouldBe(fiche);
        lot.Awarded.OrganisationName.ShouldBe("Formapro Gironde");
        lot.Awarded.FicheTitle.ShouldBe("Préparation au titre de cariste d'entrepôt (CACES R489)");
    }

    [Theory]
    [InlineData(TestUsers.Nicolas)]
    [InlineData(TestUsers.Aurelie)]
    public async Task Order_ForCarifOrMfe_IsDenied_O3(string account)
    {
        var user = await UserAsync(account);
        await Should.ThrowAsync<AccessDeniedException>(async () => await OrderHandler.HandleAsync(new GetRegionalOrder(), user, Ct));
    }

    // ---- Downloads ----

    [Fact]
    public async Task Download_TenderFile_UntilTheLastSecondOfTheDeadlineDay_ThenNotFound_O3()
    {
        var (_, tenderFile, _) = await LotWithDocumentsAsync();
        var camille = await UserAsync(TestUsers.Camille);

        Clock.SetUtcNow(LastSecondOfDeadlineDay);
        (await DownloadAsync(TestUsers.Camille, tenderFile)).ShouldBe(SampleFiles.Pdf());

        Clock.SetUtcNow(NextDayInParis);
        var ex = await Should.ThrowAsync<NotFoundException>(async () => await DocumentHandler.HandleAsync(new GetTenderDocument(tenderFile), camille, Ct));
        ex.Message.ShouldBe("Document introuvable.");
    }

    [Fact]
    public async Task Download_Annex_AfterTheDeadline_Succeeds_UntilTheAward_O3()
    {
        var (lotId, _, annex) = await LotWithDocumentsAsync();
        var (of, fiche, _) = await JulieFichesAsync();
        var camille = await UserAsync(TestUsers.Camille);
        Clock.SetUtcNow(NextDayInParis);

        var download = await DocumentHandler.HandleAsync(new GetTenderDocument(annex), camille, Ct);
        await download.Content.DisposeAsync();
        download.FileName.ShouldBe("annexe-besoins.pdf");
        download.ContentType.ShouldBe("application/pdf");

        await AwardHandler.HandleAsync(new AwardLot(lotId, of, fiche), await UserAsync(TestUsers.Claire), Ct);
        await Should.ThrowAsync<NotFoundException>(async () => await DocumentHandler.HandleAsync(new GetTenderDocument(annex), camille, Ct));
        // The Région keeps access to its files.
        (await DownloadAsync(TestUsers.Claire, annex)).Length.ShouldBe(3000);
    }

    [Fact]
    public async Task Download_ByCarif_OrAnUnknownId_IsNotFound_O3()
    {
        var (_, tenderFile, _) = await LotWithDocumentsAsync();
        var nicolas = await UserAsync(TestUsers.Nicolas);
        var camille = await UserAsync(TestUsers.Camille);

        await Should.ThrowAsync<NotFoundException>(async () => await DocumentHandler.HandleAsync(new GetTenderDocument(tenderFile), nicolas, Ct));
        await Should.ThrowAsync<NotFoundException>(async () => await DocumentHandler.HandleAsync(new GetTenderDocument(Guid.NewGuid()), camille, Ct));
    }

    [Fact]
    public async Task Download_TrainingBody_GetsTheTenderFileBeforeTheDeadline_ToAnswer_O3()
    {
        var (_, tenderFile, _) = await LotWithDocumentsAsync();
        Clock.SetUtcNow(LastSecondOfDeadlineDay);

        (await DownloadAsync(TestUsers.Thomas, tenderFile)).ShouldBe(SampleFiles.Pdf());
    }
}
