namespace Portal.Domain.Common;

/// <summary>
/// Issue #15 (5): every text a user types has a maximum length, checked by the domain with a French message (the
/// database's own limits are not enforced by SQLite), so that a 10,000-character name never reaches a screen.
/// </summary>
public static class TextLimit
{
    /// <summary>The French message for <paramref name="label"/> ("Le prénom") longer than <paramref name="max"/>, or null.</summary>
    public static string? Message(string? value, int max, string label) =>
        value is not null && value.Trim().Length > max ? $"{label} ne peut pas dépasser {max} caractères." : null;

    /// <summary>Refuses <paramref name="value"/> longer than <paramref name="max"/> characters (after trimming).</summary>
    public static void Ensure(string? value, int max, string label)
    {
        if (Message(value, max, label) is { } message) throw new DomainException(message);
    }
}
