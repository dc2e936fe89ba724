using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;

namespace Portal.Application.Features.Reference;

/// <summary>Communes whose name starts with the text, or with that INSEE code (index Communes(Name)); the most populated first.</summary>
public sealed record SearchCommunes(string? Text, int Take = 20)
{
    public sealed record Option(string InseeCode, string Name, string DepartementCode)
    {
        public string Display => $"{Name} ({DepartementCode})";
    }

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<Option>> HandleAsync(SearchCommunes query, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(query.Text) || query.Text.Trim().Length < 2) return [];
            var prefix = query.Text.Trim();
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            return await db.Communes
                .Where(c => EF.Functions.Like(c.Name, prefix + "%") || c.InseeCode == prefix)
                .OrderByDescending(c => c.Population)
                .Take(Math.Clamp(query.Take, 1, 50))
                .Select(c => new Option(c.InseeCode, c.Name, c.DepartementCode))
                .ToListAsync(cancellationToken);
        }
    }
}
