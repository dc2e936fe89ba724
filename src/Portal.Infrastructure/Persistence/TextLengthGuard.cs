using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Portal.Domain.Common;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// Issue #15 (5): SQLite does not enforce a column's length, so before each save the portal refuses any added or
/// modified text longer than its column's maximum (the model's <c>HasMaxLength</c>), in French, and nothing of that
/// save is written. The domain checks the same limits first with the field's name; this is the net under them.
/// </summary>
internal static class TextLengthGuard
{
    public static void Check(ChangeTracker changes)
    {
        foreach (var entry in changes.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var property in entry.Properties)
                Check(property.Metadata, property.CurrentValue, property.IsModified || entry.State == EntityState.Added);
            foreach (var complex in entry.ComplexProperties)
            foreach (var property in complex.Properties)
                Check(property.Metadata, property.CurrentValue, property.IsModified || entry.State == EntityState.Added);
        }
    }

    private static void Check(IProperty property, object? value, bool changed)
    {
        if (!changed || value is not string text || property.GetMaxLength() is not { } max || text.Length <= max) return;
        throw new DomainException($"Un texte saisi dépasse la longueur autorisée ({max} caractères) : raccourcissez-le puis réessayez.");
    }
}
