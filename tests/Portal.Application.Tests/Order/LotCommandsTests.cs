using Portal.Application.Features.Order;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Order;
using Portal.Testing;

namespace Portal.Application.Tests.Order;

/// <summary>O3: the Région creates lots, uploads their documents (type by content, size), declares infructueux, awards.</summary>
public sealed class LotCommandsTests(DemoDatabase fixture) : OrderTestBase(fixture), IClassFixture<DemoDatabase>
{
    // ---- CreateLot ----

    [Fact]
    public async Task CreateLot_ByTheRegion_PublishesAnOpenLot_O3()
    {
        var territory = await TerritoryAsync("64");

        var id = await CreateLotHandler.HandleAsync(new CreateLot("  Lot 41 – Aide à domicile, Béarn ", territory, 18, Deadline), await UserAsync(TestUsers.Claire), Ct);

        var lot = await ReloadAsync(id);
        lot.Title.ShouldBe("Lot 41 – Aide à domicile, Béarn");
        lot.TerritoryId.ShouldBe(territory);
        lot.Volume.ShouldBe(18);
        lot.TenderDeadline.ShouldBe(Deadline);
        lot.Status.ShouldBe(LotStatus.Open);
        lot.PublishedAt.ShouldBe(DemoDatabase.SeededAt);
    }

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Sophie)]
    [InlineData(TestUsers.Julie)]
    [InlineData(TestUsers.Nicolas)]
    [InlineData(TestUsers.Admin)]
    public async Task CreateLot_ByAnyoneButTheRegion_IsDenied_O3(string account)
    {
        var command = new CreateLot("Lot pirate", await TerritoryAsync(), 10, Deadline);

        await Should.ThrowAsync<AccessDeniedException>(async () => await CreateLotHandler.HandleAsync(command, await UserAsync(account), Ct));
    }

    [Fact]
    public async Task CreateLot_WithADeadlineAlreadyPassed_IsRefusedInFrench_O3()
    {
        var yesterday = new DateOnly(2026, 11, 26);

        var ex = await Should.ThrowAsync<DomainException>(async () => await CreateLotHandler.HandleAsync(
            new CreateLot("Lot 42", Guid.Empty, 0, yesterday), await UserAsync(TestUsers.Claire), Ct));

        ex.Rule.ShouldBe("O3");
        ex.Message.ShouldBe("Choisissez le territoire du lot. Le volume du lot doit être d'au moins une place. "
            + "La date limite de réponse ne peut pas être passée : au plus tôt le 27/11/2026.");
    }

    [Fact]
    public async Task CreateLot_DeadlineToday_IsAccepted_O3()
    {
        var id = await CreateLotAsync(new DateOnly(2026, 11, 27));
        (await ReloadAsync(id)).TenderDeadline.ShouldBe(new DateOnly(2026, 11, 27));
    }

    [Fact]
    public async Task CreateLot_OnAnUnknownTerritory_IsRefused_O3()
    {
        var ex = await Should.ThrowAsync<DomainException>(async () => await CreateLotHandler.HandleAsync(
            new CreateLot("Lot 43", Guid.NewGuid(), 10, Deadline), await UserAsync(TestUsers.Claire), Ct));
        ex.Message.ShouldBe("Territoire inconnu : choisissez-en un dans la liste.");
    }

    // ---- AddTenderDocument ----

    [Fact]
    public async Task AddDocument_Pdf_IsStoredOutsideTheDatabase_WithTheTypeReadFromItsContent_O3()
    {
        var lotId = await CreateLotAsync();
        var bytes = SampleFiles.Pdf(5000);
        using var stream = SampleFiles.Stream(bytes);

        var result = await AddDocumentHandler.HandleAsync(
            new AddTenderDocument(lotId, TenderDocumentKind.TenderFile, stream, "DCE lot 40.PDF", "text/plain"), await UserAsync(TestUsers.Claire), Ct);

        result.ContentType.ShouldBe("application/pdf", "the declared type is not trusted");
        result.Size.ShouldBe(5000);
        var document = (await ReloadAsync(lotId)).Documents.ShouldHaveSingleItem();
        document.Kind.ShouldBe(TenderDocumentKind.TenderFile);
        document.FileName.ShouldBe("DCE lot 40.PDF");
        Files.Files().ShouldHaveSingleItem();
        (await File.ReadAllBytesAsync(Files.Files()[0], Ct)).ShouldBe(bytes);
        (await DownloadAsync(TestUsers.Claire, document.Id)).ShouldBe(bytes);
    }

    [Theory]
    [InlineData("png", "plan.png", "image/png")]
    [InlineData("jpeg", "photo.JPG", "image/jpeg")]
    [InlineData("zip", "cahier-des-charges.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("zip", "bpu.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [InlineData("zip", "annexe.odt", "application/vnd.oasis.opendocument.text")]
    public async Task AddDocument_AcceptedTypes_AreRecognisedByContent_O3(string content, string fileName, string expected)
    {
        var lotId = await CreateLotAsync();
        var bytes = content switch { "png" => SampleFiles.Png(), "jpeg" => SampleFiles.Jpeg(), _ => SampleFiles.Zip() };
        using var stream = SampleFiles.Stream(bytes);

        var result = await AddDocumentHandler.HandleAsync(new AddTenderDocument(lotId, TenderDocumentKind.Annex, stream, fileName, ""), await UserAsync(TestUsers.Claire), Ct);

        result.ContentType.ShouldBe(expected);
    }

    [Theory]
    [InlineData("exe", "annexe.pdf")]          // an executable renamed .pdf
    [InlineData("png", "annexe.pdf")]          // content and name disagree
    [InlineData("pdf", "annexe.exe")]
    [InlineData("text", "annexe.txt")]
    [InlineData("zip", "archive.zip")]         // a zip that is no office document
    [InlineData("exe", "annexe.docx")]
    public async Task AddDocument_ContentNotAnAcceptedType_IsRefusedInFrench_AndNothingIsKept_O3(string content, string fileName)
    {
        var lotId = await CreateLotAsync();
        var bytes = content switch
        {
            "exe" => SampleFiles.Executable(),
            "png" => SampleFiles.Png(),
            "pdf" => SampleFiles.Pdf(),
            "zip" => SampleFiles.Zip(),
            _ => SampleFiles.Text(),
        };
        using var stream = SampleFiles.Stream(bytes);

        var ex = await Should.ThrowAsync<DomainException>(async () => await AddDocumentHandler.HandleAsync(
            new AddTenderDocument(lotId, TenderDocumentKind.Annex, stream, fileName, "application/pdf"), await UserAsync(TestUsers.Claire), Ct));

        ex.Message.ShouldBe(TenderDocumentTypes.Refusal);
        ex.Rule.ShouldBe("O3");
        (await ReloadAsync(lotId)).Documents.ShouldBeEmpty();
        Files.Files().ShouldBeEmpty();
    }

    [Fact]
    public async Task AddDocument_OverTenMegabytes_IsRefusedInFrench_AndNothingIsKept_O3()
    {
        var lotId = await CreateLotAsync();
        using var stream = SampleFiles.Stream(SampleFiles.Pdf((int)TenderDocument.MaxSize + 1));

        var ex = await Should.ThrowAsync<DomainException>(async () => await AddDocumentHandler.HandleAsync(
            new AddTenderDocument(lotId, TenderDocumentKind.Annex, stream, "gros.pdf", "application/pdf"), await UserAsync(TestUsers.Claire), Ct));

        ex.Message.ShouldBe(AddTenderDocument.TooLarge);
        (await ReloadAsync(lotId)).Documents.ShouldBeEmpty();
        Files.Files().ShouldBeEmpty();
    }

    [Fact]
    public async Task AddDocument_ExactlyTenMegabytes_IsAccepted_O3()
    {
        var lotId = await CreateLotAsync();
        using var stream = SampleFiles.Stream(SampleFiles.Pdf((int)TenderDocument.MaxSize));

        var result = await AddDocumentHandler.HandleAsync(
            new AddTenderDocument(lotId, TenderDocumentKind.Annex, stream, "limite.pdf", "application/pdf"), await UserAsync(TestUsers.Claire), Ct);

        result.Size.ShouldBe(TenderDocument.MaxSize);
    }

    [Fact]
    public async Task AddDocument_Empty_IsRefused_O3()
    {
        var lotId = await CreateLotAsync();
        using var stream = new MemoryStream();

        var ex = await Should.ThrowAsync<DomainException>(async () => await AddDocumentHandler.HandleAsync(
            new AddTenderDocument(lotId, TenderDocumentKind.Annex, stream, "vide.pdf", "application/pdf"), await UserAsync(TestUsers.Claire), Ct));
        ex.Message.ShouldBe(AddTenderDocument.Empty);
    }

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Julie)]
    public async Task AddDocument_ByAnyoneButTheRegion_IsDenied_AndNothingIsKept_O3(string account)
    {
        var lotId = await CreateLotAsync();
        using var stream = SampleFiles.Stream(SampleFiles.Pdf());

        await Should.ThrowAsync<AccessDeniedException>(async () => await AddDocumentHandler.HandleAsync(
            new AddTenderDocument(lotId, TenderDocumentKind.Annex, stream, "annexe.pdf", "application/pdf"), await UserAsync(account), Ct));
        Files.Files().ShouldBeEmpty();
    }

    [Fact]
    public async Task AddDocument_ToAnUnknownLot_IsNotFound_O3()
    {
        using var stream = SampleFiles.Stream(SampleFiles.Pdf());
        await Should.ThrowAsync<NotFoundException>(async () => await AddDocumentHandler.HandleAsync(
            new AddTenderDocument(Guid.NewGuid(), TenderDocumentKind.Annex, stream, "annexe.pdf", "application/pdf"), await UserAsync(TestUsers.Claire), Ct));
    }

    [Fact]
    public async Task AddDocument_ToAnAwardedLot_IsRefused_O3()
    {
        var lotId = await CreateLotAsync();
        var (of, fiche, _) = await JulieFichesAsync();
        Clock.SetUtcNow(NextDayInParis);
        await AwardHandler.HandleAsync(new AwardLot(lotId, of, fiche), await UserAsync(TestUsers.Claire), Ct);
        using var stream = SampleFiles.Stream(SampleFiles.Pdf());

        var ex = await Should.ThrowAsync<DomainException>(async () => await AddDocumentHandler.HandleAsync(
            new AddTenderDocument(lotId, TenderDocumentKind.Annex, stream, "annexe.pdf", "application/pdf"), await UserAsync(TestUsers.Claire), Ct));
        ex.Message.ShouldBe("Le lot est attribué : ses documents de consultation ne se modifient plus.");
        Files.Files().ShouldBeEmpty();
    }

    // ---- DeclareLotUnsuccessful ----

    [Fact]
    public async Task DeclareUnsuccessful_LastSecondOfTheDeadlineDay_IsRefused_O3()
    {
        var lotId = await CreateLotAsync();
        Clock.SetUtcNow(LastSecondOfDeadlineDay);

        var ex = await Should.ThrowAsync<DomainException>(async () => await UnsuccessfulHandler.HandleAsync(new DeclareLotUnsuccessful(lotId), await UserAsync(TestUsers.Claire), Ct));

        ex.Message.ShouldBe("Un lot ne peut être déclaré infructueux qu'après la date limite de réponse (15/12/2026).");
        (await ReloadAsync(lotId)).Status.ShouldBe(LotStatus.Open);
    }

    [Fact]
    public async Task DeclareUnsuccessful_FromMidnightInParis_IsRecorded_O3()
    {
        var lotId = await CreateLotAsync();
        Clock.SetUtcNow(NextDayInParis);

        await UnsuccessfulHandler.HandleAsync(new DeclareLotUnsuccessful(lotId), await UserAsync(TestUsers.Claire), Ct);

        (await ReloadAsync(lotId)).Status.ShouldBe(LotStatus.Unsuccessful);
    }

    [Fact]
    public async Task DeclareUnsuccessful_ByAPrescriber_IsDenied_O3()
    {
        var lotId = await CreateLotAsync();
        Clock.SetUtcNow(NextDayInParis);

        await Should.ThrowAsync<AccessDeniedException>(async () => await UnsuccessfulHandler.HandleAsync(new DeclareLotUnsuccessful(lotId), await UserAsync(TestUsers.Sophie), Ct));
        (await ReloadAsync(lotId)).Status.ShouldBe(LotStatus.Open);
    }

    // ---- AwardLot ----

    [Fact]
    public async Task Award_AfterTheDeadline_ToAValidatedFicheOfTheTrainingBody_IsRecorded_O3()
    {
        var lotId = await CreateLotAsync();
        var (of, fiche, _) = await JulieFichesAsync();
        Clock.SetUtcNow(NextDayInParis);

        await AwardHandler.HandleAsync(new AwardLot(lotId, of, fiche), await UserAsync(TestUsers.Claire), Ct);

        var lot = await ReloadAsync(lotId);
        lot.Status.ShouldBe(LotStatus.Awarded);
        lot.AwardedOrganisationId.ShouldBe(of);
        lot.AwardedFicheActionId.ShouldBe(fiche);
        lot.AwardNotifiedAt.ShouldBe(NextDayInParis);
    }

    [Fact]
    public async Task Award_OnTheDeadlineDay_IsRefused_O3()
    {
        var lotId = await CreateLotAsync();
        var (of, fiche, _) = await JulieFichesAsync();
        Clock.SetUtcNow(LastSecondOfDeadlineDay);

        var ex = await Should.ThrowAsync<DomainException>(async () => await AwardHandler.HandleAsync(new AwardLot(lotId, of, fiche), await UserAsync(TestUsers.Claire), Ct));

        ex.Message.ShouldBe("Un lot ne peut être attribué qu'après la date limite de réponse (15/12/2026).");
        (await ReloadAsync(lotId)).Status.ShouldBe(LotStatus.Open);
    }

    [Fact]
    public async Task Award_WithAFicheNotValidated_IsRefused_O3()
    {
        var lotId = await CreateLotAsync();
        var (of, _, notValidated) = await JulieFichesAsync();
        Clock.SetUtcNow(NextDayInParis);

        var ex = await Should.ThrowAsync<DomainException>(async () => await AwardHandler.HandleAsync(new AwardLot(lotId, of, notValidated), await UserAsync(TestUsers.Claire), Ct));

        ex.Message.ShouldBe("Le lot ne peut être attribué qu'avec une fiche action validée par la Région.");
    }

    [Fact]
    public async Task Award_WithAnotherTrainingBodysFiche_IsRefused_O3()
    {
        var lotId = await CreateLotAsync();
        var (_, fiche, _) = await JulieFichesAsync();
        var thomas = await UserAsync(TestUsers.Thomas);
        Clock.SetUtcNow(NextDayInParis);

        var ex = await Should.ThrowAsync<DomainException>(async () => await AwardHandler.HandleAsync(new AwardLot(lotId, thomas.OrganisationId, fiche), await UserAsync(TestUsers.Claire), Ct));

        ex.Message.ShouldBe("Choisissez une fiche action de l'organisme attributaire.");
        (await ReloadAsync(lotId)).Status.ShouldBe(LotStatus.Open);
    }

    [Fact]
    public async Task Award_ByTheTrainingBodyItself_IsDenied_O3()
    {
        var lotId = await CreateLotAsync();
        var (of, fiche, _) = await JulieFichesAsync();
        Clock.SetUtcNow(NextDayInParis);

        await Should.ThrowAsync<AccessDeniedException>(async () => await AwardHandler.HandleAsync(new AwardLot(lotId, of, fiche), await UserAsync(TestUsers.Julie), Ct));
    }

    [Fact]
    public async Task AwardOptions_ListTrainingBodiesWithTheirValidatedFichesOnly_O3()
    {
        var (of, fiche, notValidated) = await JulieFichesAsync();

        var options = await new GetAwardOptions.Handler(Database).HandleAsync(new GetAwardOptions(), await UserAsync(TestUsers.Claire), Ct);

        var julies = options.Single(o => o.Id == of);
        julies.ValidatedFiches.Select(f => f.Id).ShouldContain(fiche);
        julies.ValidatedFiches.Select(f => f.Id).ShouldNotContain(notValidated);
        await Should.ThrowAsync<AccessDeniedException>(async () => await new GetAwardOptions.Handler(Database).HandleAsync(new GetAwardOptions(), await UserAsync(TestUsers.Camille), Ct));
    }
}
