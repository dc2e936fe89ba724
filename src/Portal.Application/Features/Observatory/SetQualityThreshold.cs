using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Domain.Quality;

namespace Portal.Application.Features.Observatory;

/// <summary>Q1: the Région sets the threshold of one quality indicator (the others keep theirs).</summary>
public sealed record SetQualityThreshold(string IndicatorKey, double Value)
{
    /// <summary>Every indicator's threshold, in the order of <see cref="QualityIndicators.All"/>: the Région's, or the default.</summary>
    public static async Task<IReadOnlyList<double>> CurrentAsync(IAppDbContext db, CancellationToken cancellationToken)
    {
        var set = await db.QualityThresholds.AsNoTracking().ToDictionaryAsync(t => t.IndicatorKey, t => t.Value, cancellationToken);
        return [.. QualityIndicators.All.Select(i => set.TryGetValue(i.Key, out var v) ? v : i.DefaultThreshold)];
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task HandleAsync(SetQualityThreshold command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.Region)) throw new AccessDeniedException("Seule la Région fixe les seuils du référentiel qualité.");
            var indicator = QualityIndicators.All.FirstOrDefault(i => i.Key == command.IndicatorKey)
                ?? throw new NotFoundException("Indicateur inconnu.");
            if (!indicator.IsDelay && command.Value > 100) throw new DomainException("Un seuil en pourcentage ne peut pas dépasser 100 %.", "Q1");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var threshold = await db.QualityThresholds.FirstOrDefaultAsync(t => t.IndicatorKey == indicator.Key, cancellationToken);
            if (threshold is null) db.QualityThresholds.Add(new QualityThreshold(indicator.Key, command.Value, user.UserId, now));
            else threshold.Set(command.Value, user.UserId, now);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
