using Portal.Domain.Common;
using Portal.Domain.Order;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

/// <summary>
/// O3: the regional order. Deadlines are Paris calendar days: the tender file is online until the end of
/// its deadline day in Paris and withdrawn from 00:00 Paris the next day (23:00 UTC in winter, 22:00 UTC in summer).
/// </summary>
public sealed class OrderLotTests
{
    private static readonly DateOnly WinterDeadline = new(2026, 3, 10);   // Paris = UTC+1
    private static readonly DateOnly SummerDeadline = new(2026, 7, 10);   // Paris = UTC+2
    private static readonly Guid OfId = Guid.Parse("0197a000-0000-7000-8000-0000000000a1");
    private static readonly Guid FicheId = Guid.Parse("0197a000-0000-7000-8000-0000000000a2");

    /// <summary>The last second of the deadline day in Paris, and the first second of the next day.</summary>
    private static (DateTimeOffset LastSecond, DateTimeOffset NextDay) Boundary(DateOnly deadline)
    {
        var nextDay = FrenchTime.StartOfDay(deadline.AddDays(1));
        return (nextDay.AddSeconds(-1), nextDay);
    }

    private static OrderLot Lot(DateOnly deadline) => new("Lot 12 – Logistique, Gironde", TerritoryId, 48, deadline, T0);

    private static OrderLot LotWithDocuments(DateOnly deadline, out TenderDocument tenderFile, out TenderDocument annex)
    {
        var lot = Lot(deadline);
        tenderFile = lot.AddDocument(TenderDocumentKind.TenderFile, "dce-lot12.pdf", "application/pdf", 2048, "k1", T0);
        annex = lot.AddDocument(TenderDocumentKind.Annex, "annexe-besoins.pdf", "application/pdf", 1024, "k2", T0);
        return lot;
    }

    // ---- Creation ----

    [Fact]
    public void Create_KeepsTitleTerritoryVolumeDeadline_AndIsOpen_O3()
    {
        var lot = new OrderLot("  Lot 7 – Bâtiment  ", TerritoryId, 20, WinterDeadline, T0);

        lot.Title.ShouldBe("Lot 7 – Bâtiment");
        lot.TerritoryId.ShouldBe(TerritoryId);
        lot.Volume.ShouldBe(20);
        lot.TenderDeadline.ShouldBe(WinterDeadline);
        lot.Status.ShouldBe(LotStatus.Open);
        lot.PublishedAt.ShouldBe(T0);
    }

    [Theory]
    [InlineData("", 10, "L'intitulé du lot est obligatoire.")]
    [InlineData("Lot 1", 0, "Le volume du lot doit être d'au moins une place.")]
    [InlineData("Lot 1", -4, "Le volume du lot doit être d'au moins une place.")]
    public void Create_WithoutTitleOrVolume_IsRefusedInFrench_O3(string title, int volume, string message)
    {
        var ex = Should.Throw<DomainException>(() => new OrderLot(title, TerritoryId, volume, WinterDeadline, T0));
        ex.Message.ShouldBe(message);
        ex.Rule.ShouldBe("O3");
    }

    // ---- Visibility for prescribers ----

    [Fact]
    public void Visibility_BeforeTheDeadline_ShowsTheTenderFileAndTheAnnexes_O3()
    {
        var lot = LotWithDocuments(WinterDeadline, out var tenderFile, out var annex);

        lot.DocumentsVisibleToPrescribers(NoonUtc(WinterDeadline.AddDays(-3))).ShouldBe([tenderFile, annex]);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void Visibility_LastSecondOfTheDeadlineDayInParis_StillShowsTheTenderFile_O3(int month)
    {
        var deadline = month == 3 ? WinterDeadline : SummerDeadline;
        var lot = LotWithDocuments(deadline, out var tenderFile, out var annex);

        lot.DocumentsVisibleToPrescribers(Boundary(deadline).LastSecond).ShouldBe([tenderFile, annex]);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void Visibility_FirstSecondOfTheNextDayInParis_WithdrawsTheTenderFile_KeepsTheAnnexes_O3(int month)
    {
        var deadline = month == 3 ? WinterDeadline : SummerDeadline;
        var lot = LotWithDocuments(deadline, out _, out var annex);
        var nextDay = Boundary(deadline).NextDay;

        // Still the deadline day in UTC: the rule follows Paris, not UTC.
        DateOnly.FromDateTime(nextDay.UtcDateTime).ShouldBe(deadline);
        lot.DocumentsVisibleToPrescribers(nextDay).ShouldBe([annex]);
    }

    [Fact]
    public void Visibility_Unsuccessful_KeepsTheAnnexesOnline_WithoutTheTenderFile_O3()
    {
        var lot = LotWithDocuments(WinterDeadline, out _, out var annex);
        var after = NoonUtc(WinterDeadline.AddDays(5));
        lot.DeclareUnsuccessful(after);

        // "Updated when a lot is declared infructueux": a new annex still shows.
        var update = lot.AddDocument(TenderDocumentKind.Annex, "annexe-mise-a-jour.pdf", "application/pdf", 512, "k3", after);

        lot.DocumentsVisibleToPrescribers(after.AddDays(1)).ShouldBe([annex, update]);
    }

    [Fact]
    public void Visibility_Awarded_ShowsNoAnnex_TheFicheReplacesThem_O3()
    {
        var lot = LotWithDocuments(WinterDeadline, out _, out _);
        var after = NoonUtc(WinterDeadline.AddDays(20));

        lot.Award(OfId, FicheId, ficheValidated: true, after);

        lot.DocumentsVisibleToPrescribers(after).ShouldBeEmpty();
        lot.AwardedFicheActionId.ShouldBe(FicheId);
        lot.AwardedOrganisationId.ShouldBe(OfId);
        lot.Documents.Count.ShouldBe(2, "the Région keeps the documents");
    }

    [Fact]
    public void TenderFileVisible_UntilTheDeadlineDay_AndOnlyWhileOpen_O3()
    {
        OrderLot.TenderFileVisible(WinterDeadline, LotStatus.Open, WinterDeadline).ShouldBeTrue();
        OrderLot.TenderFileVisible(WinterDeadline, LotStatus.Open, WinterDeadline.AddDays(1)).ShouldBeFalse();
        OrderLot.TenderFileVisible(WinterDeadline, LotStatus.Awarded, WinterDeadline.AddDays(-1)).ShouldBeFalse();
    }

    // ---- Infructueux ----

    [Fact]
    public void DeclareUnsuccessful_OnTheDeadlineDay_IsRefused_O3()
    {
        var lot = Lot(WinterDeadline);

        var ex = Should.Throw<DomainException>(() => lot.DeclareUnsuccessful(Boundary(WinterDeadline).LastSecond));

        ex.Rule.ShouldBe("O3");
        ex.Message.ShouldBe("Un lot ne peut être déclaré infructueux qu'après la date limite de réponse (10/03/2026).");
        lot.Status.ShouldBe(LotStatus.Open);
    }

    [Fact]
    public void DeclareUnsuccessful_FromTheNextDayInParis_IsAccepted_O3()
    {
        var lot = Lot(WinterDeadline);

        lot.DeclareUnsuccessful(Boundary(WinterDeadline).NextDay);

        lot.Status.ShouldBe(LotStatus.Unsuccessful);
    }

    [Fact]
    public void DeclareUnsuccessful_Twice_OrOnceAwarded_IsRefused_O3()
    {
        var after = NoonUtc(WinterDeadline.AddDays(2));
        var unsuccessful = Lot(WinterDeadline);
        unsuccessful.DeclareUnsuccessful(after);
        var awarded = Lot(WinterDeadline);
        awarded.Award(OfId, FicheId, true, after);

        Should.Throw<DomainException>(() => unsuccessful.DeclareUnsuccessful(after)).Message.ShouldBe("Seul un lot en cours peut être déclaré infructueux.");
        Should.Throw<DomainException>(() => awarded.DeclareUnsuccessful(after)).Message.ShouldBe("Seul un lot en cours peut être déclaré infructueux.");
    }

    // ---- Award ----

    [Fact]
    public void Award_OnTheDeadlineDay_IsRefused_O3()
    {
        var lot = Lot(SummerDeadline);

        var ex = Should.Throw<DomainException>(() => lot.Award(OfId, FicheId, true, Boundary(SummerDeadline).LastSecond));

        ex.Message.ShouldBe("Un lot ne peut être attribué qu'après la date limite de réponse (10/07/2026).");
        lot.Status.ShouldBe(LotStatus.Open);
        lot.AwardedFicheActionId.ShouldBeNull();
    }

    [Fact]
    public void Award_WithAFicheNotValidated_IsRefused_O3()
    {
        var lot = Lot(WinterDeadline);

        var ex = Should.Throw<DomainException>(() => lot.Award(OfId, FicheId, ficheValidated: false, NoonUtc(WinterDeadline.AddDays(3))));

        ex.Message.ShouldBe("Le lot ne peut être attribué qu'avec une fiche action validée par la Région.");
        lot.Status.ShouldBe(LotStatus.Open);
    }

    [Fact]
    public void Award_AfterTheDeadlineWithAValidatedFiche_RecordsTheNotification_O3()
    {
        var lot = Lot(SummerDeadline);
        var nextDay = Boundary(SummerDeadline).NextDay;

        lot.Award(OfId, FicheId, true, nextDay);

        lot.Status.ShouldBe(LotStatus.Awarded);
        lot.AwardNotifiedAt.ShouldBe(nextDay);
    }

    [Fact]
    public void Award_OfAnUnsuccessfulLot_IsAccepted_ButNotTwice_O3()
    {
        var lot = Lot(WinterDeadline);
        var after = NoonUtc(WinterDeadline.AddDays(2));
        lot.DeclareUnsuccessful(after);

        lot.Award(OfId, FicheId, true, after.AddDays(30));

        lot.Status.ShouldBe(LotStatus.Awarded);
        Should.Throw<DomainException>(() => lot.Award(OfId, FicheId, true, after.AddDays(31))).Message.ShouldBe("Ce lot est déjà attribué.");
    }

    // ---- Documents ----

    [Theory]
    [InlineData(0, "Le document est vide.")]
    [InlineData(TenderDocument.MaxSize + 1, "Le document dépasse 10 Mo.")]
    public void AddDocument_EmptyOrOverTenMegabytes_IsRefused_O3(long size, string message)
    {
        var lot = Lot(WinterDeadline);

        var ex = Should.Throw<DomainException>(() => lot.AddDocument(TenderDocumentKind.Annex, "annexe.pdf", "application/pdf", size, "k", T0));

        ex.Message.ShouldBe(message);
        lot.Documents.ShouldBeEmpty();
    }

    [Fact]
    public void AddDocument_ExactlyTenMegabytes_IsAccepted_AndKeepsOnlyTheFileName_O3()
    {
        var lot = Lot(WinterDeadline);

        var document = lot.AddDocument(TenderDocumentKind.Annex, "../../etc/annexe.pdf", "application/pdf", TenderDocument.MaxSize, "k", T0);

        document.FileName.ShouldBe("annexe.pdf");
        document.Size.ShouldBe(TenderDocument.MaxSize);
        document.LotId.ShouldBe(lot.Id);
    }

    [Fact]
    public void AddDocument_WithoutAName_IsRefused_O3()
    {
        var lot = Lot(WinterDeadline);
        Should.Throw<DomainException>(() => lot.AddDocument(TenderDocumentKind.Annex, " ", "application/pdf", 10, "k", T0))
            .Message.ShouldBe("Le nom du document est obligatoire.");
    }

    [Fact]
    public void AddDocument_OnceAwarded_IsRefused_O3()
    {
        var lot = Lot(WinterDeadline);
        lot.Award(OfId, FicheId, true, NoonUtc(WinterDeadline.AddDays(2)));

        Should.Throw<DomainException>(() => lot.AddDocument(TenderDocumentKind.Annex, "annexe.pdf", "application/pdf", 10, "k", T0))
            .Message.ShouldBe("Le lot est attribué : ses documents de consultation ne se modifient plus.");
    }
}
