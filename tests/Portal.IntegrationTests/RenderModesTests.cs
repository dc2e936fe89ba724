using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Offer;
using Portal.Web.Features.Catalogue;

namespace Portal.IntegrationTests;

/// <summary>
/// Render modes by need (issue #12, ADR 0013) over HTTP: the public pages are static (no Blazor Server component in the
/// HTML, so no circuit), the anonymous catalogue comes from the output cache until the offer changes, and the
/// signed-in screens keep their interactive component.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed partial class RenderModesTests(PortalFactory factory)
{
    private const string CacesTitle = "Préparation au titre de cariste d'entrepôt (CACES R489)";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A Blazor Server component marker, which makes blazor.web.js open a circuit.</summary>
    [GeneratedRegex(@"<!--Blazor:\{[^>]*""type"":""server""")]
    private static partial Regex ServerComponentMarker();

    private static async Task<(HttpResponseMessage Response, string Html)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Ct);
        return (response, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
    }

    private Task<Guid> FicheIdAsync(string title) =>
        factory.QueryAsync(db => db.FicheActions.Where(f => f.Title == title).Select(f => f.Id).SingleAsync(Ct));

    [Theory]
    [InlineData("/catalogue")]
    [InlineData("/catalogue?q=cariste")]
    [InlineData("/connexion-echouee?motif=expiree")]
    [InlineData("/erreur")]
    public async Task PublicPages_AreStatic_NoBlazorServerComponent(string url)
    {
        var (response, html) = await GetAsync(factory.CreateBrowser(), url);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("<h1");
        ServerComponentMarker().IsMatch(html).ShouldBeFalse();
        // Enhanced navigation still works: the script is there, only no component asks it for a circuit.
        html.ShouldContain("_framework/blazor.web.js");
    }

    [Fact]
    public async Task FichePage_IsStatic_NoBlazorServerComponent_S12()
    {
        var id = await FicheIdAsync(CacesTitle);

        var (response, html) = await GetAsync(factory.CreateBrowser(), $"/catalogue/{id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("Comment se passe la sélection");
        ServerComponentMarker().IsMatch(html).ShouldBeFalse();
    }

    [Fact]
    public async Task Catalogue_SignedIn_IsStaticToo_AndNeverFromTheCache()
    {
        var client = await factory.LoggedInAsync("camille.durand");

        var (first, html) = await GetAsync(client, "/catalogue?q=cariste");
        var (second, _) = await GetAsync(client, "/catalogue?q=cariste");

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        ServerComponentMarker().IsMatch(html).ShouldBeFalse();
        html.ShouldContain("Se déconnecter"); // the layout's signed-in header, rendered for this user
        second.Headers.Age.ShouldBeNull();
    }

    [Theory]
    [InlineData("camille.durand", "/", "Mes candidats")]
    [InlineData("camille.durand", "/offre", "Offre de formation")]
    [InlineData("julie.moreau", "/", "Mes sessions")]
    public async Task SignedInScreens_KeepTheirInteractiveServerComponent(string account, string url, string heading)
    {
        var client = await factory.LoggedInAsync(account);

        var (response, html) = await GetAsync(client, url);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain(heading);
        ServerComponentMarker().IsMatch(html).ShouldBeTrue();
        response.Headers.Age.ShouldBeNull();
    }

    [Theory]
    [InlineData(null, "/catalogue")]
    [InlineData("camille.durand", "/")]
    [InlineData("julie.moreau", "/")]
    public async Task TheThemeVariables_AreInTheStaticHead_OnceAndOutsideTheCircuitsComponents_Issue12(string? account, string url)
    {
        var client = account is null ? factory.CreateBrowser() : await factory.LoggedInAsync(account);

        var (response, html) = await GetAsync(client, url);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var head = html[..html.IndexOf("</head>", StringComparison.Ordinal)];
        // The portal's own colours (PortalTheme: primary #003a70 = rgb 0,58,112), in the static head.
        head.ShouldContain("<style class='mud-theme-provider'>");
        head.ShouldContain("--mud-palette-primary: rgba(0,58,112,1);");
        head.ShouldContain("--mud-palette-appbar-background: rgba(0,58,112,1);");
        // Once per page: the interactive layout (prerendered in the body) no longer draws it.
        html.Split("mud-theme-provider").Length.ShouldBe(2);
    }

    [Theory]
    [InlineData("camille.durand", "/")]
    [InlineData("julie.moreau", "/sessions/{session}")]
    public async Task SignedInScreens_HandTheirLoadedStateToTheCircuit(string account, string url)
    {
        var julieOrg = await factory.OrganisationIdOfAsync("julie.moreau");
        var session = await factory.QueryAsync(db => db.Sessions.Where(s => s.OrganisationId == julieOrg && s.Status == SessionStatus.Open)
            .Select(s => s.Id).FirstAsync(Ct));
        var client = await factory.LoggedInAsync(account);

        var (_, html) = await GetAsync(client, url.Replace("{session}", session.ToString(), StringComparison.Ordinal));

        // The state persisted by prerendering for the circuit: it holds the screen's rows ([PersistentState]), so the
        // circuit's first render does not run the query again.
        var values = PersistedState(html);
        values.ShouldContain(v => v.Contains(account == "julie.moreau" ? "\"entries\"" : "\"rows\"", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task PrescriberHome_HandsItsHabilitationBannerAndQualityAlertsToTheCircuit()
    {
        var organisation = await factory.OrganisationIdOfAsync("camille.durand");
        var habilitation = await factory.QueryAsync(db => db.Organisations.Where(o => o.Id == organisation).Select(o => o.Habilitation).SingleAsync(Ct));
        var client = await factory.LoggedInAsync("camille.durand");

        var (_, html) = await GetAsync(client, "/");

        // Issue #12: beside the dashboard's rows, the banner's status (an enum, persisted as its number) and the alerts
        // panel's first page (its list and total), so that neither queries again when the circuit starts.
        var values = PersistedState(html);
        values.ShouldContain(v => v.Contains("\"rows\"", StringComparison.OrdinalIgnoreCase));
        values.ShouldContain(((int)habilitation).ToString(System.Globalization.CultureInfo.InvariantCulture));
        values.ShouldContain(v => v.Contains("\"alerts\"", StringComparison.OrdinalIgnoreCase) && v.Contains("\"total\"", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Visits the address until the output cache answers it (its <c>Age</c> header), for at most 10 s.</summary>
    private async Task WaitUntilCachedAsync(string url)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var (response, _) = await GetAsync(factory.CreateBrowser(), url);
            if (response.Headers.Age is not null || waited.Elapsed > TimeSpan.FromSeconds(10)) return;
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>The values persisted by prerendering for the circuit, unprotected as the circuit does.</summary>
    private List<string> PersistedState(string html)
    {
        var state = Regex.Match(html, "<!--Blazor-Server-Component-State:([^-]+)-->").Groups[1].Value;
        state.ShouldNotBeEmpty();
        var protector = factory.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()
            .CreateProtector("Microsoft.AspNetCore.Components.Server.State");
        var json = System.Text.Encoding.UTF8.GetString(protector.Unprotect(Convert.FromBase64String(state)));
        var entries = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, byte[]>>(json)!;
        return [.. entries.Values.Select(v => System.Text.Encoding.UTF8.GetString(v))];
    }

    [Fact]
    public async Task Catalogue_SearchInTheQueryString_ReturnsTheFilteredResults()
    {
        var (response, html) = await GetAsync(factory.CreateBrowser(), "/catalogue?commune=64445&rayon=10&entree=groupees");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("2 formations trouvées près de Pau");
        html.ShouldContain("Maçon du bâti ancien");
        html.ShouldNotContain(CacesTitle);
        // The form shows the search it answered.
        html.ShouldContain("value=\"Pau (64)\"");
    }

    [Fact]
    public async Task Catalogue_FormAsABrowserSendsIt_IsRedirectedToTheCanonicalAddress()
    {
        var response = await factory.CreateBrowser().GetAsync("/catalogue?q=aide+soignant&metier=&commune=Pau&rayon=0&du=&au=&entree=", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery.ShouldBe("/catalogue?q=aide%20soignant&commune=64445");
        var (followed, html) = await GetAsync(factory.CreateBrowser(), response.Headers.Location.PathAndQuery);
        followed.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("1 formation trouvée près de Pau");
    }

    [Theory]
    [InlineData("rayon=abc")]
    [InlineData("rayon=1e9")]
    [InlineData("page=99999999999")]
    [InlineData("page=abc")]
    public async Task Catalogue_AFigureThatIsNotAWholeNumber_KeepsTheRestOfTheSearch_NeverAnError(string bad)
    {
        var response = await factory.CreateBrowser().GetAsync($"/catalogue?q=aide+soignant&commune=64445&{bad}", Ct);

        // Read as absent: the clean address of the same search, then its results.
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery.ShouldBe("/catalogue?q=aide%20soignant&commune=64445");
        var (followed, html) = await GetAsync(factory.CreateBrowser(), response.Headers.Location.PathAndQuery);
        followed.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("1 formation trouvée près de Pau");
        html.ShouldNotContain("erreur inattendue");
    }

    [Fact]
    public async Task Catalogue_Anonymous_SecondGetIsFromTheOutputCache_AndAPlaceChangeEvictsIt_O8()
    {
        // An address of its own, so that no other test's request fills this cache entry.
        const string url = "/catalogue?q=cariste&metier=N1101";
        var caces = await FicheIdAsync(CacesTitle);
        var session = await factory.QueryAsync(db => db.Sessions
            .Where(s => s.FicheActionId == caces && s.Status == SessionStatus.Open)
            .Select(s => new { s.Id, s.OpenPlaces, s.Capacity }).FirstAsync(Ct));
        // Events published by the tests before this one (the publisher never waits for its subscribers) are delivered
        // first: one reaching the cache between the two visits below evicted the page (seen once in CI, under load).
        await factory.Services.GetRequiredService<Portal.Infrastructure.Live.LiveNotifier>().DrainAsync();
        var browser = factory.CreateBrowser();
        try
        {
            var (first, html) = await GetAsync(browser, url);
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
            first.Headers.Contains("Set-Cookie").ShouldBeFalse(); // a response that sets a cookie is never cached
            PlacesOf(html, session.Id).ShouldBe(PlacesText(session.OpenPlaces, session.Capacity));
            // The output cache stores a page as its response ends: a visit right after may come before it (under load).
            await WaitUntilCachedAsync(url);

            // Changed behind the portal's back (no live event): the second visitor still gets the cached page.
            await SetOpenPlacesQuietlyAsync(session.Id, 3);
            var (second, cached) = await GetAsync(factory.CreateBrowser(), url);
            second.StatusCode.ShouldBe(HttpStatusCode.OK);
            second.Headers.Age.ShouldNotBeNull();
            PlacesOf(cached, session.Id).ShouldBe(PlacesText(session.OpenPlaces, session.Capacity));

            // The OF changes its open places through the portal: the live event evicts the catalogue's pages.
            var of = await factory.LoggedInAsync("julie.moreau");
            var put = await of.PutAsJsonAsync($"/api/sessions/{session.Id}/open-places", new { openPlaces = 2 }, Ct);
            put.StatusCode.ShouldBe(HttpStatusCode.NoContent);
            // Screens and the cache are told after the PUT has answered (the publisher never waits for them): once drained, told.
            await factory.Services.GetRequiredService<Portal.Infrastructure.Live.LiveNotifier>().DrainAsync();

            var (third, fresh) = await GetAsync(factory.CreateBrowser(), url);
            third.StatusCode.ShouldBe(HttpStatusCode.OK);
            third.Headers.Age.ShouldBeNull();
            PlacesOf(fresh, session.Id).ShouldBe(PlacesText(2, session.Capacity));
        }
        finally
        {
            // Put the demo figure back without promoting anyone from a waiting list (O9), and drop the pages that show 2.
            await SetOpenPlacesQuietlyAsync(session.Id, session.OpenPlaces);
            await factory.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(CatalogueOutputCache.Tag, Ct);
        }
    }

    [Fact]
    public async Task FichePage_Anonymous_IsCached_AndAFicheEventEvictsIt()
    {
        var id = await FicheIdAsync(CacesTitle);
        var url = $"/catalogue/{id}";

        await factory.Services.GetRequiredService<Portal.Infrastructure.Live.LiveNotifier>().DrainAsync();
        await GetAsync(factory.CreateBrowser(), url);
        await WaitUntilCachedAsync(url);
        var (cached, _) = await GetAsync(factory.CreateBrowser(), url);
        cached.Headers.Age.ShouldNotBeNull();

        await factory.Services.GetRequiredService<Portal.Application.Abstractions.ILiveNotifier>()
            .PublishAsync(new Portal.Application.Abstractions.FicheStatusChanged(id, Guid.Empty, FicheStatus.Validated, 1), Ct);
        await factory.Services.GetRequiredService<Portal.Infrastructure.Live.LiveNotifier>().DrainAsync();

        var (fresh, html) = await GetAsync(factory.CreateBrowser(), url);
        fresh.Headers.Age.ShouldBeNull();
        html.ShouldContain(CacesTitle);
    }

    private Task SetOpenPlacesQuietlyAsync(Guid sessionId, int openPlaces) => factory.QueryAsync(db =>
        db.Sessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.OpenPlaces, openPlaces), Ct));

    private static string PlacesText(int open, int capacity) => CatalogueResults.PlacesText(open, capacity);

    private static string PlacesOf(string html, Guid sessionId)
    {
        var match = Regex.Match(html, $@"data-session-id=""{sessionId}""[\s\S]*?data-testid=""open-places""[^>]*>([^<]*)<");
        match.Success.ShouldBeTrue($"session {sessionId} is not on the page");
        return match.Groups[1].Value.Trim();
    }
}
