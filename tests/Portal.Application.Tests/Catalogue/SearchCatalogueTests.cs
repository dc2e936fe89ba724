using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Catalogue;
using Portal.Application.Tests.Support;
using Portal.Domain.Offer;
using Portal.Testing;

namespace Portal.Application.Tests.Catalogue;

/// <summary>
/// The public catalogue's search over the demo offer (seeded on 27/11/2026): validated fiches only (O2),
/// visible sessions only (not planned, O4; not cancelled), each filter, distance and paging in SQL.
/// </summary>
public sealed class SearchCatalogueTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private const string Caces = "Préparation au titre de cariste d'entrepôt (CACES R489)";     // Mérignac, +35 days, N1101
    private const string AideSoignant = "Préparation aux concours d'aide-soignant";             // Pau, +50 days, J1501
    private const string Numerique = "Développeur web et web mobile";                          // Bordeaux, +20 days, M1805, permanent
    private const string Batiment = "Maçon du bâti ancien";                                    // Lescar, +60 days, F1703

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly Today => TrainingSession.Today(DemoDatabase.SeededAt);

    private SearchCatalogue.Handler Handler => new(fixture.Database, new FakeTimeProvider(DemoDatabase.SeededAt));

    private async Task<List<string>> TitlesAsync(SearchCatalogue query) =>
        [.. (await Handler.HandleAsync(query with { PageSize = SearchCatalogue.MaxPageSize }, Ct)).Rows.Select(r => r.Title)];

    private async Task<(double Latitude, double Longitude)> CoordinatesAsync(string insee)
    {
        await using var db = fixture.Database.CreateDbContext();
        var c = await db.Communes.SingleAsync(c => c.InseeCode == insee, Ct);
        return (c.Latitude, c.Longitude);
    }

    [Fact]
    public async Task Search_WithoutCriteria_ListsTheFourValidatedFichesWithAnOpenSession_SoonestFirst()
    {
        var titles = await TitlesAsync(new SearchCatalogue());

        titles.ShouldBe([Numerique, Caces, AideSoignant, Batiment]);
    }

    [Fact]
    public async Task Search_ByWords_MatchesEveryWordWithoutAccentsOrCase()
    {
        (await TitlesAsync(new SearchCatalogue(Words: "CARISTE"))).ShouldBe([Caces]);
        (await TitlesAsync(new SearchCatalogue(Words: "developpeur Mobile"))).ShouldBe([Numerique]);
        (await TitlesAsync(new SearchCatalogue(Words: "maçon"))).ShouldBe([Batiment]);
        (await TitlesAsync(new SearchCatalogue(Words: "développeur cariste"))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Search_ByRomeCode_FindsTheFichesAimingAtThatJob()
    {
        (await TitlesAsync(new SearchCatalogue(Job: "J1501"))).ShouldBe([AideSoignant]);
        // As the job autocomplete writes it: the code, then the label.
        (await TitlesAsync(new SearchCatalogue(Job: SuggestJobs.Display("F1703", "Maçonnerie")))).ShouldBe([Batiment]);
        (await TitlesAsync(new SearchCatalogue(Job: "A1101"))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Search_ByJobLabel_FindsTheRomeCodesThenTheirFiches()
    {
        // "engins" is in the label of N1101, not in the fiche's own text: the match goes through the ROME table.
        (await TitlesAsync(new SearchCatalogue(Words: "engins"))).ShouldBeEmpty();

        (await TitlesAsync(new SearchCatalogue(Job: "engins de déplacement"))).ShouldBe([Caces]);
        (await TitlesAsync(new SearchCatalogue(Job: "développement informatique"))).ShouldBe([Numerique]);
    }

    [Fact]
    public async Task Search_ByEntryMode_KeepsOnlyThatMode()
    {
        (await TitlesAsync(new SearchCatalogue(EntryMode: EntryMode.Permanent))).ShouldBe([Numerique]);
        (await TitlesAsync(new SearchCatalogue(EntryMode: EntryMode.Grouped))).ShouldBe([Caces, AideSoignant, Batiment]);
    }

    [Fact]
    public async Task Search_ByStartDates_KeepsTheFichesWithASessionStartingInTheRange()
    {
        (await TitlesAsync(new SearchCatalogue(StartFrom: Today.AddDays(30), StartTo: Today.AddDays(55)))).ShouldBe([Caces, AideSoignant]);
        (await TitlesAsync(new SearchCatalogue(StartFrom: Today.AddDays(55)))).ShouldBe([Batiment]);
        (await TitlesAsync(new SearchCatalogue(StartTo: Today.AddDays(20)))).ShouldBe([Numerique]);
    }

    [Fact]
    public async Task Search_AroundPau_FindsLescarAbout7KmAway_AndNotBordeaux()
    {
        var pau = await CoordinatesAsync("64445");
        var lescar = await CoordinatesAsync("64335");
        var bordeaux = await CoordinatesAsync("33063");
        var pauLescar = Geo.DistanceKm(pau.Latitude, pau.Longitude, lescar.Latitude, lescar.Longitude);
        var pauBordeaux = Geo.DistanceKm(pau.Latitude, pau.Longitude, bordeaux.Latitude, bordeaux.Longitude);
        pauLescar.ShouldBeInRange(6, 8);
        pauBordeaux.ShouldBeGreaterThan(150);

        var within10 = await Handler.HandleAsync(new SearchCatalogue(CommuneInsee: "64445", RadiusKm: 10), Ct);
        within10.Place.ShouldBe("Pau");
        within10.Rows.Select(r => r.Title).ShouldBe([AideSoignant, Batiment]);
        var lescarSession = within10.Rows.Single(r => r.Title == Batiment).NextSessions.ShouldHaveSingleItem();
        lescarSession.CommuneName.ShouldBe("Lescar");
        lescarSession.DistanceKm!.Value.ShouldBe(pauLescar, tolerance: 0.1);

        // In Pau itself only; 5 km is short of Lescar; 150 km is still short of Bordeaux and Mérignac.
        (await TitlesAsync(new SearchCatalogue(CommuneInsee: "64445", RadiusKm: 0))).ShouldBe([AideSoignant]);
        (await TitlesAsync(new SearchCatalogue(CommuneInsee: "64445", RadiusKm: 5))).ShouldBe([AideSoignant]);
        (await TitlesAsync(new SearchCatalogue(CommuneInsee: "64445", RadiusKm: 150))).ShouldBe([AideSoignant, Batiment]);
        (await TitlesAsync(new SearchCatalogue(CommuneInsee: "64445", RadiusKm: SearchCatalogue.MaxRadiusKm))).ShouldBe([Numerique, Caces, AideSoignant, Batiment]);
    }

    [Fact]
    public async Task Search_AroundAnUnknownCommune_FindsNothing()
    {
        var result = await Handler.HandleAsync(new SearchCatalogue(CommuneInsee: "00000", RadiusKm: 50), Ct);

        result.Total.ShouldBe(0);
        result.Place.ShouldBeNull();
    }

    [Fact]
    public async Task Search_IsPagedInSql_WithATotalAndTheNextSessionsOrder()
    {
        var all = await Handler.HandleAsync(new SearchCatalogue(PageSize: SearchCatalogue.MaxPageSize), Ct);
        all.Total.ShouldBeGreaterThanOrEqualTo(4);

        var pages = new List<SearchCatalogue.Row>();
        for (var page = 1; page <= (all.Total + 1) / 2; page++)
        {
            var result = await Handler.HandleAsync(new SearchCatalogue(Page: page, PageSize: 2), Ct);
            result.Total.ShouldBe(all.Total);
            result.PageCount.ShouldBe((all.Total + 1) / 2);
            result.Rows.Count.ShouldBeLessThanOrEqualTo(2);
            pages.AddRange(result.Rows);
        }

        pages.Select(r => r.FicheId).ShouldBe(all.Rows.Select(r => r.FicheId));
        pages.Select(r => r.NextSessions[0].Start).ShouldBeInOrder(SortDirection.Ascending);
        (await Handler.HandleAsync(new SearchCatalogue(Page: 99, PageSize: 2), Ct)).Rows.ShouldBeEmpty();
    }

    [Fact]
    public async Task Search_RowsShowTheTrainingBodyTheEntryModeAndTheOpenPlacesOfTheNextSessions_O8()
    {
        var row = (await Handler.HandleAsync(new SearchCatalogue(Words: "cariste"), Ct)).Rows.ShouldHaveSingleItem();

        row.TrainingBodyName.ShouldBe("Formapro Gironde");
        row.EntryMode.ShouldBe(EntryMode.Grouped);
        var session = row.NextSessions.ShouldHaveSingleItem();   // the later session is still planned (O4)
        session.Start.ShouldBe(Today.AddDays(35));
        session.CommuneName.ShouldBe("Mérignac");
        session.Capacity.ShouldBe(12);
        session.OpenPlaces.ShouldBe(10); // O8: 12 places, 2 held by the candidates the demo selected on it
        session.DistanceKm.ShouldBeNull();
    }

    [Fact]
    public async Task Search_NeverReturnsPlannedCancelledOrStartedSessions_NorUnvalidatedFiches_O2_O4()
    {
        // Its own database: the rows it adds must not show up in the other tests' exact lists.
        await using var database = await TestDatabase.CreateAsync();
        var handler = new SearchCatalogue.Handler(database, new FakeTimeProvider(DemoDatabase.SeededAt));
        var julie = await TestUsers.ForAsync(database, TestUsers.Julie);
        var planned = await OfferBuilder.AddSessionAsync(database, julie.OrganisationId, Today.AddDays(200));
        var cancelled = await OfferBuilder.AddSessionAsync(database, julie.OrganisationId, Today.AddDays(40),
            arrange: s => { s.Publish(DemoDatabase.SeededAt); s.Cancel("Annulée faute de financement"); });
        // A submitted fiche whose imported session was opened: the fiche is not validated, nothing shows.
        var submitted = new FicheAction(julie.OrganisationId, "Soudeur zirconium", EntryMode.Grouped, OfferBuilder.LongAgo);
        submitted.Describe("Souder.", "Soudure.", "Aucun.", "Aucune.", "Entretien.", ["Motivation"], ["H2913"], 100, 0);
        submitted.Submit(OfferBuilder.LongAgo);
        var imported = new TrainingSession(submitted, Today.AddDays(30), Today.AddDays(90), Today.AddDays(20), 10, "33063", fromImport: true);
        imported.Publish(DemoDatabase.SeededAt);
        await using (var db = database.CreateDbContext())
        {
            db.FicheActions.Add(submitted);
            db.Sessions.Add(imported);
            await db.SaveChangesAsync(Ct);
        }
        // The control: an open session of a validated fiche of the same kind is found.
        var open = await OfferBuilder.AddSessionAsync(database, julie.OrganisationId, Today.AddDays(45),
            arrange: s => s.Publish(DemoDatabase.SeededAt));

        var result = await handler.HandleAsync(new SearchCatalogue(PageSize: SearchCatalogue.MaxPageSize), Ct);
        var sessionIds = result.Rows.SelectMany(r => r.NextSessions).Select(s => s.SessionId).ToList();
        sessionIds.ShouldContain(open.Id);
        sessionIds.ShouldNotContain(planned.Id);
        sessionIds.ShouldNotContain(cancelled.Id);
        sessionIds.ShouldNotContain(imported.Id);
        result.Rows.Select(r => r.FicheId).ShouldNotContain(planned.FicheActionId);
        result.Rows.Select(r => r.FicheId).ShouldNotContain(cancelled.FicheActionId);
        result.Rows.Select(r => r.Title).ShouldNotContain("Soudeur zirconium");
        (await handler.HandleAsync(new SearchCatalogue(Words: "zirconium"), Ct)).Total.ShouldBe(0);
        // The demo's running session and its fiche's submitted/returned/draft siblings are not listed either.
        (await handler.HandleAsync(new SearchCatalogue(Words: "restauration"), Ct)).Total.ShouldBe(0);
        (await handler.HandleAsync(new SearchCatalogue(Words: "assistance informatique"), Ct)).Total.ShouldBe(0);
        (await handler.HandleAsync(new SearchCatalogue(Words: "developpeur"), Ct)).Rows.Single().MatchingSessions.ShouldBe(1);
    }
}
