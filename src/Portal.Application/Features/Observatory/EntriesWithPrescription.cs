using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Common;
using Portal.Domain.Eos;

namespace Portal.Application.Features.Observatory;

/// <summary>
/// S11 as a quality indicator (Q1): of the entries into training that EOS (the remuneration system) declares, the share
/// the portal knows a prescription for. Every entry recorded in the portal has one by construction, so the figure
/// comes from the Région's EOS imports: the last import made during the period (an EOS export lists every entry,
/// so imports are not added up), its lines, and its "entered without a prescription" anomalies.
/// Region-wide: an EOS export is not split by territory, so an MFE does not get it.
/// </summary>
public static class EntriesWithPrescription
{
    public const string Key = "entrees-avec-prescription";

    public static readonly QualityIndicators.Indicator Indicator =
        new(Key, "Entrées déclarées dans EOS avec une prescription (%)", "S11", false, 100, QualityIndicators.Responsible.None);

    /// <summary>The figure of one EOS import against the Région's threshold (no file name nor date when there was no import).</summary>
    public sealed record Figure(string? FileName, DateTimeOffset? ImportedAt, int Declared, int WithoutPrescription, double? Share, double Threshold)
    {
        public bool Misses => QualityIndicators.Misses(Indicator, Share, Threshold);
    }

    /// <summary>The Région's threshold for S11, or the default.</summary>
    public static async Task<double> ThresholdAsync(IAppDbContext db, CancellationToken cancellationToken) =>
        await db.QualityThresholds.Where(t => t.IndicatorKey == Key).Select(t => (double?)t.Value).FirstOrDefaultAsync(cancellationToken)
            ?? Indicator.DefaultThreshold;

    /// <summary>The last import made from <paramref name="from"/> to <paramref name="to"/> (Paris days); an empty figure when there is none.</summary>
    public static async Task<Figure> ComputeAsync(IAppDbContext db, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var start = FrenchTime.StartOfDay(from);
        var end = FrenchTime.StartOfDay(to.AddDays(1));
        var last = await db.AllEosImports.AsNoTracking().Where(i => i.ImportedAt >= start && i.ImportedAt < end)
            .OrderByDescending(i => i.ImportedAt)
            .Select(i => new
            {
                i.FileName,
                i.ImportedAt,
                i.LineCount,
                Without = db.AllEosAnomalies.Count(a => a.ImportId == i.Id && a.Kind == EosAnomalyKind.NoPrescription),
            })
            .FirstOrDefaultAsync(cancellationToken);
        var threshold = await ThresholdAsync(db, cancellationToken);
        if (last is null) return new Figure(null, null, 0, 0, null, threshold);
        var share = last.LineCount > 0 ? Math.Round(100.0 * (last.LineCount - last.Without) / last.LineCount, 1) : (double?)null;
        return new Figure(last.FileName, last.ImportedAt, last.LineCount, last.Without, share, threshold);
    }
}
