using Portal.Domain.Common;

namespace Portal.Domain.Quality;

/// <summary>Q1: the Région's threshold for one quality indicator (by its key); indicators without a row use their default.</summary>
public sealed class QualityThreshold : Entity
{
    private QualityThreshold() { }

    public QualityThreshold(string indicatorKey, double value, Guid by, DateTimeOffset now)
    {
        IndicatorKey = indicatorKey;
        Set(value, by, now);
    }

    public string IndicatorKey { get; private set; } = "";
    public double Value { get; private set; }
    public Guid UpdatedBy { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>A share lies in 0–100 %; a delay in 0–365 days.</summary>
    public void Set(double value, Guid by, DateTimeOffset now)
    {
        if (double.IsNaN(value) || value < 0 || value > 365) throw new DomainException("Le seuil doit être compris entre 0 et 365.", "Q1");
        Value = Math.Round(value, 1);
        UpdatedBy = by;
        UpdatedAt = now;
    }
}
