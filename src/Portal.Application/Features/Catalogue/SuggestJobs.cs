using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;

namespace Portal.Application.Features.Catalogue;

/// <summary>The catalogue's job autocomplete: ROME v3 codes by code or by words of their label.</summary>
/// <remarks>The ROME table is small (≈ 530 rows): a scan of it is cheap; an exact code uses the primary key.</remarks>
public sealed record SuggestJobs(string? Text, int Take = 10)
{
    /// <summary>How a job is written in the search field and in the URL: the code first, so a search can find it back.</summary>
    public static string Display(string code, string label) => $"{code} – {label}";

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<string>> HandleAsync(SuggestJobs query, CancellationToken cancellationToken = default)
        {
            var text = query.Text?.Trim() ?? "";
            if (text.Length < 2) return [];
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var romeCodes = db.RomeCodes.AsQueryable();
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(5))
            {
                var pattern = $"%{word.Replace("%", "", StringComparison.Ordinal).ToLowerInvariant()}%";
                romeCodes = romeCodes.Where(r => EF.Functions.Like(r.Code.ToLower(), pattern) || EF.Functions.Like(r.Label.ToLower(), pattern));
            }
            var rows = await romeCodes.OrderBy(r => r.Code).Take(Math.Clamp(query.Take, 1, 20))
                .Select(r => new { r.Code, r.Label }).ToListAsync(cancellationToken);
            return [.. rows.Select(r => Display(r.Code, r.Label))];
        }
    }
}
