using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Domain.Quality;

namespace Portal.Application.Features.Observatory;

/// <summary>Q1, Q2: the Région sets the threshold of one quality indicator (the others keep theirs), or the delay of the "no decision" alert.</summary>
public sealed record SetQualityThreshold(string IndicatorKey, double Value)
{
    /// <summary>Every indicator's threshold, in the order of <see cref="QualityIndicators.All"/>: the Région's, or the default.</summary>
    public static async Task<IReadOnlyList<double>> CurrentAsync(IAppDbContext db, CancellationToken cancellationToken)
    {
        var set = await db.QualityThresholds.AsNoTracking().ToDictionaryAsync(t => t.IndicatorKey, t => t.Value, cancellationToken);
        return [.. QualityIndicators.All.Select(i => set.TryGetValue(i.Key, out var v) ? v : i.DefaultThreshold)];
    }

    /// <summary>The Région's delay before a candidate without a decision raises an alert (Q2), or the default.</summary>
    public static async Task<int> UndecidedDaysAsync(IAppDbContext db, CancellationToken cancellationToken) =>
        (int?)await db.QualityThresholds.Where(t => t.IndicatorKey == QualityIndicators.UndecidedDaysSetting).Select(t => (double?)t.Value)
            .FirstOrDefaultAsync(cancellationToken) ?? QualityIndicators.UndecidedAfterDays;

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task HandleAsync(SetQualityThreshold command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.Region)) throw new AccessDeniedException("Seule la Région fixe les seuils du référentiel qualité.");
            var key = command.IndicatorKey;
            if (key == QualityIndicators.UndecidedDaysSetting)
            {
                if (command.Value < 1 || command.Value != Math.Floor(command.Value))
                    throw new DomainException("Le délai d'alerte est un nombre entier de jours, au moins 1.", "Q2");
            }
            else
            {
                var indicator = QualityIndicators.All.Append(EntriesWithPrescription.Indicator).FirstOrDefault(i => i.Key == key)
                    ?? throw new NotFoundException("Indicateur inconnu.");
                if (!indicator.IsDelay && command.Value > 100) throw new DomainException("Un seuil en pourcentage ne peut pas dépasser 100 %.", "Q1");
            }
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var threshold = await db.QualityThresholds.FirstOrDefaultAsync(t => t.IndicatorKey == key, cancellationToken);
            if (threshold is null) db.QualityThresholds.Add(new QualityThreshold(key, command.Value, user.UserId, now));
            else threshold.Set(command.Value, user.UserId, now);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
