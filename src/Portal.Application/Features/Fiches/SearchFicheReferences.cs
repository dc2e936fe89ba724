using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Administration;
using Portal.Domain.Common;

namespace Portal.Application.Features.Fiches;

/// <summary>
/// The fiche editor's autocompletes: ROME codes (target jobs) and communes (training places), searched by code or
/// by words without accents. The reference lists are small and change only when the administrator updates one (issue #14
/// (3)): they are held in memory (a singleton), so typing does not query the database at each key, and read again after
/// an update (<see cref="ReferenceListChanged"/>, heard on every server) or after live events may have been missed
/// (<see cref="LiveResync"/>).
/// </summary>
public sealed record SearchFicheReferences(string Text, int Max = 20)
{
    public sealed class Handler : IDisposable
    {
        private readonly IAppDbContextFactory _dbFactory;
        private readonly IDisposable[] _subscriptions;
        private readonly SemaphoreSlim _gate = new(1, 1);
        // The lists as read, with the generation they were read in; a change makes a new generation, and a read begun
        // before it is not taken for the new one.
        private volatile Lists? _lists;
        private int _generation;

        private sealed record Lists(int Generation, (ReferenceItem Item, string Search)[] Rome, (ReferenceItem Item, string Search)[] Communes);

        public Handler(IAppDbContextFactory dbFactory, ILiveNotifier notifier)
        {
            _dbFactory = dbFactory;
            _subscriptions =
            [
                notifier.Subscribe<ReferenceListChanged>(e =>
                {
                    if (e.List is ReferenceList.Communes or ReferenceList.RomeCodes) Forget();
                    return Task.CompletedTask;
                }),
                notifier.Subscribe<LiveResync>(_ =>
                {
                    Forget();
                    return Task.CompletedTask;
                }),
            ];
        }

        public async Task<IReadOnlyList<ReferenceItem>> RomeCodesAsync(SearchFicheReferences query, CancellationToken cancellationToken = default) =>
            Search((await LoadAsync(cancellationToken)).Rome, query);

        public async Task<IReadOnlyList<ReferenceItem>> CommunesAsync(SearchFicheReferences query, CancellationToken cancellationToken = default) =>
            Search((await LoadAsync(cancellationToken)).Communes, query);

        private void Forget() => Interlocked.Increment(ref _generation);

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

        private async Task<Lists> LoadAsync(CancellationToken cancellationToken)
        {
            var lists = _lists;
            if (lists is not null && lists.Generation == Volatile.Read(ref _generation)) return lists;
            await _gate.WaitAsync(cancellationToken);
            try
            {
                var generation = Volatile.Read(ref _generation);
                lists = _lists;
                if (lists is not null && lists.Generation == generation) return lists;
                await using var db = await _dbFactory.CreateAsync(cancellationToken);
                var rome = await db.RomeCodes.AsNoTracking().Select(r => new { r.Code, r.Label }).ToListAsync(cancellationToken);
                var communes = await db.Communes.AsNoTracking()
                    .Select(c => new { c.InseeCode, c.Name, c.PostalCodes, c.DepartementCode, c.Population }).ToListAsync(cancellationToken);
                lists = new Lists(generation,
                    [.. rome.OrderBy(r => r.Code).Select(r => (new ReferenceItem(r.Code, r.Label), TextSearch.Normalize($"{r.Code} {r.Label}")))],
                    [.. communes.OrderByDescending(c => c.Population).Select(c =>
                        (new ReferenceItem(c.InseeCode, c.Name), TextSearch.Normalize($"{c.Name} {c.InseeCode} {c.PostalCodes}")))]);
                _lists = lists;
                return lists;
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose()
        {
            foreach (var subscription in _subscriptions) subscription.Dispose();
            _gate.Dispose();
        }
    }
}
