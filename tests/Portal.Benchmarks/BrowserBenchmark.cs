using System.Globalization;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Application.Features.Home;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Persistence;

namespace Portal.Benchmarks;

/// <summary>
/// Ten tabs of the prescriber's dashboard in Debian's Chromium (Playwright): time from the OF's change to the
/// DOM update each tab shows, to check the headless figure against what a person sees.
/// </summary>
public static class BrowserBenchmark
{
    public const string Part = "5. A real browser";

    public static async Task RunAsync(Report report, BenchmarkOptions options, string database, PortalFarm server, TextWriter log)
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            report.Note(Part, $"**Not measured**: no Chromium at {chromium} (set CHROMIUM_PATH).");
            report.Add(Part, "time from the OF's change to the DOM update", null, "ms", "not measured");
            return;
        }
        var tabs = options.Smoke ? 1 : 10;
        var target = await ChangeTarget.FindAsync(database);
        var (sessionId, capacity, ofEmail) = target;
        report.Note(Part, $"{tabs} tabs of camille.durand's dashboard `/` in one headless Chromium ({chromium}, Playwright), logged in with the cookies of an OIDC login made by the harness; "
            + "each tab waits for its circuit (`main[data-interactive='true']`), then a `MutationObserver` records `Date.now()` when the session's open-places figure "
            + "(`[data-session-id=…] [data-testid=open-places]`) reads `N place(s) ouverte(s) sur C` (issue #12: the figure, no longer the announcement). The OF changes the open places with `PUT /api/sessions/{id}/open-places`; "
            + "latency = the tab's `Date.now()` − the harness clock just before the PUT (same machine clock, millisecond resolution).");

        var (_, cookies) = await Login.ClientWithCookiesAsync(server.BaseUrl, "camille.durand");
        using var of = await Login.ClientAsync(server.BaseUrl, ofEmail);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, Locale = "fr-FR" });
        await context.AddCookiesAsync(cookies.GetAllCookies().Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = SameSiteAttribute.Lax,
        }));
        var pages = new List<IPage>();
        for (var i = 0; i < tabs; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/", new PageGotoOptions { Timeout = 120_000 });
            await page.Locator("main[data-interactive='true']").WaitForAsync(new() { Timeout = 120_000 });
            pages.Add(page);
        }
        // A figure different from the one shown (the same figure renders no new text).
        var places = Math.Max(0, target.Bound - 1);
        if (places == target.OpenPlaces) places = places > 0 ? places - 1 : places + 1;
        var figure = CircuitsBenchmark.DashboardFigure(places, capacity);
        foreach (var page in pages)
        {
            await page.EvaluateAsync(@"([text, session]) => {
                window.__seenAt = null;
                const check = () => {
                    const shown = [...document.querySelectorAll(`[data-session-id='${session}'] [data-testid='open-places']`)]
                        .some(e => e.textContent.replace(/\s+/g, ' ').trim() === text);
                    if (window.__seenAt === null && shown) window.__seenAt = Date.now();
                };
                new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true });
            }", new object[] { figure, sessionId.ToString() });
        }
        var t0 = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var put = await of.PutAsJsonAsync($"/api/sessions/{sessionId}/open-places", new { openPlaces = places });
        if (!put.IsSuccessStatusCode) throw new InvalidOperationException($"PUT open-places answered {(int)put.StatusCode}");
        var latencies = new List<double>();
        var missed = 0;
        foreach (var page in pages)
        {
            try
            {
                await page.WaitForFunctionAsync("() => window.__seenAt !== null", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
                var seenAt = await page.EvaluateAsync<double>("() => window.__seenAt");
                latencies.Add(seenAt - t0);
            }
            catch (TimeoutException) { missed++; }
        }
        latencies.Sort();
        report.Add(Part, "time from the OF's change to the DOM update: p50", PagesBenchmark.Percentile(latencies, 0.5), "ms",
            $"max {latencies.LastOrDefault().ToString("F0", CultureInfo.InvariantCulture)} ms over {latencies.Count} tabs, {missed} missed (60 s)");
        log.WriteLine($"  browser: p50 {PagesBenchmark.Percentile(latencies, 0.5):F0} ms, max {latencies.LastOrDefault():F0} ms, {missed} missed");
    }
}

/// <summary>The session whose open places the OF changes: on the first page of camille.durand's dashboard, still open.</summary>
public static class ChangeTarget
{
    /// <param name="Bound">The most open places the OF may set (O8, ADR 0015): capacity − the places held (selected, offered, entered).</param>
    public sealed record Target(Guid SessionId, int Capacity, string OfEmail, string FicheTitle, string PlaceCommuneInsee, DateOnly Start, int OpenPlaces, int Bound)
    {
        public void Deconstruct(out Guid sessionId, out int capacity, out string ofEmail) => (sessionId, capacity, ofEmail) = (SessionId, Capacity, OfEmail);

        /// <summary>
        /// A <c>/offre</c> search whose first page (prerendered for <paramref name="prescriber"/>) lists the session: the fiche's
        /// title in its commune on its start date, then looser ones; null when none does.
        /// </summary>
        public async Task<string?> OfferPathAsync(HttpClient prescriber)
        {
            var day = Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var words = Uri.EscapeDataString(FicheTitle);
            string[] candidates =
            [
                $"/offre?q={words}&commune={PlaceCommuneInsee}&du={day}&au={day}",
                $"/offre?q={words}&du={day}&au={day}",
                $"/offre?q={words}",
                "/offre",
            ];
            foreach (var path in candidates)
            {
                using var response = await prescriber.GetAsync(path);
                if (!response.IsSuccessStatusCode) continue;
                var html = await response.Content.ReadAsStringAsync();
                if (html.Contains($"data-session-id=\"{SessionId}\"", StringComparison.OrdinalIgnoreCase)) return path;
            }
            return null;
        }
    }

    public static async Task<Target> FindAsync(string database)
    {
        await using var services = Generator.BuildServices(database, seedDemo: false);
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var camille = await DemoUsers.ForAsync(db, "camille.durand");
        var page = await services.GetRequiredService<GetPrescriberDashboard.Handler>().HandleAsync(new GetPrescriberDashboard(false, Take: 50), camille);
        var open = page.Rows.SelectMany(r => r.Choices).Where(c => c.SessionStatus == SessionStatus.Open).ToList();
        // O8: the OF sets open places up to capacity − the places held; the benchmark needs a session with room for two figures.
        var openIds = open.Select(c => c.SessionId).Distinct().ToList();
        PrescriptionStatus[] holding = [PrescriptionStatus.Selected, PrescriptionStatus.Entered, PrescriptionStatus.PlaceOffered];
        var held = await db.AllPrescriptions.Where(p => openIds.Contains(p.SessionId) && holding.Contains(p.Status))
            .GroupBy(p => p.SessionId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count);
        int BoundOf(Guid id, int capacity) => Math.Max(0, capacity - held.GetValueOrDefault(id));
        var choice = open.FirstOrDefault(c => BoundOf(c.SessionId, c.Capacity) >= 2) ?? open.First();
        var session = await db.Sessions.Where(s => s.Id == choice.SessionId)
            .Select(s => new { s.OrganisationId, s.PlaceCommuneInsee, s.Start, Title = db.FicheActions.Where(f => f.Id == s.FicheActionId).Select(f => f.Title).First() })
            .SingleAsync();
        var ofUser = await db.Memberships.Where(m => m.OrganisationId == session.OrganisationId).Select(m => m.UserId).FirstAsync();
        var email = await db.Users.Where(u => u.Id == ofUser).Select(u => u.Email).SingleAsync();
        return new Target(choice.SessionId, choice.Capacity, email, session.Title, session.PlaceCommuneInsee, session.Start, choice.OpenPlaces, BoundOf(choice.SessionId, choice.Capacity));
    }
}
