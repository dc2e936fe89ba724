using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;

namespace Portal.Application.Features.Catalogue;

/// <summary>The catalogue's commune autocomplete: by the start of the name, a postal code or an INSEE code, largest first.</summary>
/// <remarks>Index: Communes(Name) for the name prefix (LIKE 'text%'); the primary key for an INSEE code.</remarks>
public sealed record SuggestCommunes(string? Text, int Take = 10)
{
    public sealed record Option(string InseeCode, string Name, string DepartementCode, string PostalCodes)
    {
        public string Display => $"{Name} ({DepartementCode})";
    }

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<Option>> HandleAsync(SuggestCommunes query, CancellationToken cancellationToken = default)
        {
            var text = query.Text?.Trim() ?? "";
            if (text.Length < 2) return [];
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var communes = text.All(char.IsAsciiDigit)
                ? db.Communes.Where(c => c.InseeCode == text || c.PostalCodes.Contains(text))
                : db.Communes.Where(c => EF.Functions.Like(c.Name.ToLower(), text.Replace("%", "", StringComparison.Ordinal).ToLowerInvariant() + "%"));
            return await communes
                .OrderByDescending(c => c.Population).ThenBy(c => c.Name)
                .Take(Math.Clamp(query.Take, 1, 20))
                .Select(c => new Option(c.InseeCode, c.Name, c.DepartementCode, c.PostalCodes))
                .ToListAsync(cancellationToken);
        }

        /// <summary>One commune by its INSEE code (to show the one a shared search URL names).</summary>
        public async Task<Option?> FindAsync(string? inseeCode, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(inseeCode)) return null;
            var code = inseeCode.Trim();
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            return await db.Communes.Where(c => c.InseeCode == code)
                .Select(c => new Option(c.InseeCode, c.Name, c.DepartementCode, c.PostalCodes))
                .FirstOrDefaultAsync(cancellationToken);
        }
    }
}
