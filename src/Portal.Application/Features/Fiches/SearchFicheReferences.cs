using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Common;

namespace Portal.Application.Features.Fiches;

/// <summary>
/// The fiche editor's autocompletes: ROME codes (target jobs) and communes (training places), searched by code or
/// by words without accents. The reference lists are small and never change while the app runs: they are read
/// once into memory (a singleton), so typing does not query the database at each key.
/// </summary>
public sealed record SearchFicheReferences(string Text, int Max = 20)
{
    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private (ReferenceItem Item, string Search)[]? _rome;
        private (ReferenceItem Item, string Search)[]? _communes;

        public async Task<IReadOnlyList<ReferenceItem>> RomeCodesAsync(SearchFicheReferences query, CancellationToken cancellationToken = default)
        {
            await LoadAsync(cancellationToken);
            return Search(_rome!, query);
        }

        public async Task<IReadOnlyList<ReferenceItem>> CommunesAsync(SearchFicheReferences query, CancellationToken cancellationToken = default)
        {
            await LoadAsync(cancellationToken);
            return Search(_communes!, query);
        }

        private static List<ReferenceItem> Search((ReferenceItem Item, string Search)[] items, SearchFicheReferences query)
        {
            var words = TextSearch.Normalize(query.Text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) return [];
            return [.. items
                .Where(i => words.All(w => i.Search.Contains(w, StringComparison.Ordinal)))
                .OrderBy(i => i.Search.StartsWith(words[0], StringComparison.Ordinal) ? 0 : 1)
                .Take(Math.Clamp(query.Max, 1, 100))
                .Select(i => i.Item)];
        }

        private async Task LoadAsync(CancellationToken cancellationToken)
        {
            if (_rome is not null && _communes is not null) return;
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_rome is not null && _communes is not null) return;
                await using var db = await dbFactory.CreateAsync(cancellationToken);
                var rome = await db.RomeCodes.AsNoTracking().Select(r => new { r.Code, r.Label }).ToListAsync(cancellationToken);
                var communes = await db.Communes.AsNoTracking()
                    .Select(c => new { c.InseeCode, c.Name, c.PostalCodes, c.DepartementCode, c.Population }).ToListAsync(cancellationToken);
                _rome = [.. rome.OrderBy(r => r.Code).Select(r => (new ReferenceItem(r.Code, r.Label), TextSearch.Normalize($"{r.Code} {r.Label}")))];
                _communes = [.. communes.OrderByDescending(c => c.Population).Select(c =>
                    (new ReferenceItem(c.InseeCode, c.Name), TextSearch.Normalize($"{c.Name} {c.InseeCode} {c.PostalCodes}")))];
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
