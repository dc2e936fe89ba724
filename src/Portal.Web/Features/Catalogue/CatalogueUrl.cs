using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Application.Features.Catalogue;
using Portal.Domain.Offer;

namespace Portal.Web.Features.Catalogue;

/// <summary>
/// A catalogue search in the query string, so that a search URL can be shared, bookmarked and prerendered:
/// <c>/catalogue?q=cariste&amp;metier=N1101&amp;commune=33063&amp;rayon=30&amp;du=2027-01-01&amp;au=2027-03-31&amp;entree=groupees&amp;page=2</c>.
/// </summary>
public static partial class CatalogueUrl
{
    public const string DateFormat = "yyyy-MM-dd";

    public static string For(string basePath, SearchCatalogue query)
    {
        var parameters = new Dictionary<string, string?>();
        if (!string.IsNullOrWhiteSpace(query.Words)) parameters["q"] = query.Words.Trim();
        if (!string.IsNullOrWhiteSpace(query.Job)) parameters["metier"] = query.Job.Trim();
        if (!string.IsNullOrWhiteSpace(query.CommuneInsee))
        {
            parameters["commune"] = query.CommuneInsee.Trim();
            if (query.RadiusKm > 0) parameters["rayon"] = query.RadiusKm.ToString(CultureInfo.InvariantCulture);
        }
        if (query.StartFrom is { } from) parameters["du"] = from.ToString(DateFormat, CultureInfo.InvariantCulture);
        if (query.StartTo is { } to) parameters["au"] = to.ToString(DateFormat, CultureInfo.InvariantCulture);
        if (query.EntryMode is { } mode) parameters["entree"] = Token(mode);
        if (query.Page > 1) parameters["page"] = query.Page.ToString(CultureInfo.InvariantCulture);
        return parameters.Count == 0 ? basePath : QueryHelpers.AddQueryString(basePath, parameters);
    }

    /// <summary>The furthest page an address may ask for (beyond it, the skip of the query would overflow).</summary>
    public const int MaxPage = 100_000;

    /// <summary>
    /// A search from the address's raw parameters: a radius or a page that is not a whole number ("abc", "1e9",
    /// "99999999999") is read as absent, and every figure is brought within its bounds, so a hand-edited or truncated
    /// address still shows results (the page then redirects to the clean address) instead of an error.
    /// </summary>
    public static SearchCatalogue Parse(string? words, string? job, string? commune, string? radius, string? from, string? to, string? entryMode, string? page) =>
        Parse(words, job, commune, Number(radius), from, to, entryMode, Number(page));

    private static int? Number(string? text) =>
        int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    public static SearchCatalogue Parse(string? words, string? job, string? commune, int? radius, string? from, string? to, string? entryMode, int? page) =>
        new(
            Words: Clean(words),
            Job: Clean(job),
            CommuneInsee: Clean(commune),
            RadiusKm: Math.Clamp(radius ?? 0, 0, SearchCatalogue.MaxRadiusKm),
            StartFrom: ParseDate(from),
            StartTo: ParseDate(to),
            EntryMode: entryMode switch { "groupees" => EntryMode.Grouped, "permanentes" => EntryMode.Permanent, _ => null },
            Page: Math.Clamp(page ?? 1, 1, MaxPage));

    /// <summary>
    /// Whether an address holds the same search as a canonical one: the same non-empty parameters with the same values,
    /// whatever their order and encoding (a browser's GET form sends "q=aide+soignant&amp;metier=&amp;...").
    /// </summary>
    public static bool SameSearch(string uri, string canonical)
    {
        static Dictionary<string, string> Parameters(string query) => QueryHelpers.ParseQuery(query)
            .Where(p => !string.IsNullOrEmpty(p.Value.ToString()))
            .ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

        var actual = Parameters(new Uri(uri, UriKind.Absolute).Query);
        var expected = Parameters(canonical.Contains('?', StringComparison.Ordinal) ? canonical[canonical.IndexOf('?', StringComparison.Ordinal)..] : "");
        return actual.Count == expected.Count && actual.All(p => expected.TryGetValue(p.Key, out var value) && value == p.Value);
    }

    /// <summary>
    /// The commune a search names: an INSEE code (a shared URL), or what a person types in the form, a name
    /// ("Pau", "Pau (64)") or a postcode; null when none matches.
    /// </summary>
    public static async Task<SuggestCommunes.Option?> FindCommuneAsync(SuggestCommunes.Handler communes, string? text, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var typed = text.Trim();
        if (typed.Length == 5 && await communes.FindAsync(typed, cancellationToken) is { } byCode) return byCode;
        var match = NameWithDepartement().Match(typed);
        var name = match.Success ? match.Groups["name"].Value : typed;
        var departement = match.Success ? match.Groups["dep"].Value : null;
        var options = await communes.HandleAsync(new SuggestCommunes(name, Take: 20), cancellationToken);
        var inDepartement = options.Where(o => departement is null || o.DepartementCode == departement).ToList();
        return inDepartement.FirstOrDefault(o => string.Compare(o.Name, name, CultureInfo.GetCultureInfo("fr-FR"),
                   CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace) == 0)
            ?? inDepartement.FirstOrDefault();
    }

    [GeneratedRegex(@"^(?<name>.+?)\s*\((?<dep>\d[\dAB])\)$")]
    private static partial Regex NameWithDepartement();

    private static string Token(EntryMode mode) => mode == EntryMode.Permanent ? "permanentes" : "groupees";

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim()[..Math.Min(text.Trim().Length, 200)];

    private static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
