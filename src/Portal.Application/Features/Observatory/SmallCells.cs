namespace Portal.Application.Features.Observatory;

/// <summary>
/// Q3: only aggregates leave the observatory, and a count of fewer than <see cref="MinimumCount"/> people (other than
/// zero) is masked, together with any share computed from it, so that nobody can be recognised in a small cell.
/// </summary>
public readonly record struct Cell(int? Value)
{
    public const int MinimumCount = 5;

    public static Cell Of(int count) => new(count is > 0 and < MinimumCount ? null : count);

    public bool Masked => Value is null;

    /// <summary>"&lt; 5" for a masked cell, the figure otherwise.</summary>
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.GetCultureInfo("fr-FR")) ?? $"< {MinimumCount}";

    /// <summary>The share of <paramref name="part"/> in <paramref name="whole"/>, masked when either is, null when the whole is zero.</summary>
    public static double? Share(Cell part, Cell whole) =>
        part.Value is { } p && whole.Value is { } w && w > 0 ? Math.Round(100.0 * p / w, 1) : null;
}
