using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Offer;

namespace Portal.IntegrationTests;

/// <summary>The public catalogue over HTTP: anonymous, prerendered HTML with the results, a French 404 for an unpublished fiche (O2).</summary>
[Collection(PortalCollection.Name)]
public sealed class CatalogueTests(PortalFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<Guid> FicheIdAsync(string title) =>
        factory.QueryAsync(db => db.FicheActions.Where(f => f.Title == title).Select(f => f.Id).SingleAsync(Ct));

    private async Task<(HttpStatusCode Status, string Text)> GetAsync(string url)
    {
        var response = await factory.CreateBrowser().GetAsync(url, Ct);
        // The HTML encodes accents and apostrophes: read it as a browser shows it.
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
    }

    [Fact]
    public async Task Catalogue_AnonymousSearchUrl_ReturnsPrerenderedHtmlWithTheResults()
    {
        var (status, html) = await GetAsync("/catalogue?q=cariste");

        status.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("<h1");
        html.ShouldContain("Catalogue des formations");
        html.ShouldContain("1 formation trouvée");
        html.ShouldContain("Préparation au titre de cariste d'entrepôt (CACES R489)");
        html.ShouldMatch(@"\d+ places? ouvertes? sur 12"); // another test of the shared portal may change the open places
        html.ShouldNotContain("Développeur web et web mobile");
        var id = await FicheIdAsync("Préparation au titre de cariste d'entrepôt (CACES R489)");
        html.ShouldContain($"href=\"/catalogue/{id}\"");
    }

    [Fact]
    public async Task Catalogue_AnonymousSearchAroundPau_ReturnsTheNearbyOfferOnly()
    {
        var (status, html) = await GetAsync("/catalogue?commune=64445&rayon=10");

        status.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("2 formations trouvées près de Pau");
        html.ShouldContain("Maçon du bâti ancien");
        html.ShouldNotContain("cariste d'entrepôt");
    }

    [Fact]
    public async Task FichePage_Validated_IsPrerenderedForAnonymousVisitors_S12()
    {
        var id = await FicheIdAsync("Préparation aux concours d'aide-soignant");

        var (status, html) = await GetAsync($"/catalogue/{id}");

        status.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("Préparation aux concours d'aide-soignant");
        html.ShouldContain("Comment se passe la sélection");
        html.ShouldContain("Expérience ou stage dans le soin");
        html.ShouldContain("18 places ouvertes sur 20"); // O8: 20 places, 2 held by the demo's selected candidates
    }

    [Theory]
    [InlineData("Technicien d'assistance informatique")]   // draft
    [InlineData("Agent de restauration collective")]       // submitted
    public async Task FichePage_NotValidated_IsAFrench404_O2(string title)
    {
        var id = await FicheIdAsync(title);
        (await factory.QueryAsync(db => db.FicheActions.Where(f => f.Id == id).Select(f => f.Status).SingleAsync(Ct))).ShouldNotBe(FicheStatus.Validated);

        var (status, html) = await GetAsync($"/catalogue/{id}");

        status.ShouldBe(HttpStatusCode.NotFound);
        html.ShouldContain("Page introuvable");
        html.ShouldNotContain(title);
    }

    [Fact]
    public async Task Offer_Anonymous_IsSentToLogin()
    {
        var response = await factory.CreateBrowser().GetAsync("/offre", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/connect/authorize");
    }

    [Fact]
    public async Task Offer_Prescriber_SeesTheCatalogue()
    {
        var client = await factory.LoggedInAsync("camille.durand");

        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/offre?q=soignant", Ct));

        html.ShouldContain("Offre de formation");
        html.ShouldContain("Préparation aux concours d'aide-soignant");
    }
}
