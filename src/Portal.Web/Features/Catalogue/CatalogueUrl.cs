using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Application.Features.Catalogue;
using Portal.Domain.Offer;

namespace Portal.Web.Features.Catalogue;

/// <summary>
/// A catalogue search in the query string, so that a search URL can be shared, bookmarked and prerendered:
/// <c>/catalogue?q=cariste&amp;metier=N1101&amp;commune=33063&amp;rayon=30&amp;du=2027-01-01&amp;au=2027-03-31&amp;entree=groupees&amp;page=2</c>.
/// </summary>
public static class CatalogueUrl
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

    public static SearchCatalogue Parse(string? words, string? job, string? commune, int? radius, string? from, string? to, string? entryMode, int? page) =>
        new(
            Words: Clean(words),
            Job: Clean(job),
            CommuneInsee: Clean(commune),
            RadiusKm: Math.Clamp(radius ?? 0, 0, SearchCatalogue.MaxRadiusKm),
            StartFrom: ParseDate(from),
            StartTo: ParseDate(to),
            EntryMode: entryMode switch { "groupees" => EntryMode.Grouped, "permanentes" => EntryMode.Permanent, _ => null },
            Page: Math.Max(1, page ?? 1));

    private static string Token(EntryMode mode) => mode == EntryMode.Permanent ? "permanentes" : "groupees";

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim()[..Math.Min(text.Trim().Length, 200)];

    private static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
