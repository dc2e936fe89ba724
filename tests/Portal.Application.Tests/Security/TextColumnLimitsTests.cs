using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Portal.Application.Abstractions;
using Portal.Domain.Common;
using Portal.Testing;

namespace Portal.Application.Tests.Security;

/// <summary>
/// Issue #15 (5): every text column of the portal's own tables has a maximum length in the model, and a save that
/// would write a longer text is refused in French with nothing written (SQLite does not enforce the length itself).
/// </summary>
public sealed class TextColumnLimitsTests
{
    [Fact]
    public async Task EveryTextColumn_HasAMaximumLength()
    {
        await using var db = await TestDatabase.CreateAsync(seedDemo: false);
        await using var context = db.CreateDbContext();

        // OpenIddict's tables are the library's; the owned types stored as one JSON column (fiche snapshots, non-selection
        // reasons) are bounded by the domain fields they copy.
        var unbounded = context.Model.GetEntityTypes()
            .Where(e => !e.ClrType.Namespace!.StartsWith("OpenIddict", StringComparison.Ordinal) && !e.IsMappedToJson())
            .SelectMany(e => e.GetProperties().Cast<IProperty>()
                .Concat(e.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties()))
                .Where(p => p.ClrType == typeof(string) && p.GetMaxLength() is null)
                .Select(p => $"{e.ClrType.Name}.{p.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        unbounded.ShouldBeEmpty(string.Join(", ", unbounded));
        // The fiche de prescription's sections (P7) are bounded by the same 4,000 characters as the domain's check.
        context.Model.FindEntityType(typeof(Portal.Domain.Prescriptions.Prescription))!
            .FindComplexProperty("Form")!.ComplexType.FindProperty("Motivations")!.GetMaxLength().ShouldBe(4000);
    }

    [Fact]
    public async Task ALongerText_IsRefusedInFrench_AndNothingOfTheSaveIsWritten()
    {
        await using var db = await TestDatabase.CreateAsync(seedDemo: false);
        await using (var context = db.CreateDbContext())
        {
            // Reference data has no domain check of its own: only the save's guard stands between it and the table.
            context.RomeCodes.Add(new RomeCode { Code = "Z9001", Label = "Libellé correct" });
            context.RomeCodes.Add(new RomeCode { Code = "Z9002", Label = new string('x', 301) });
            var refused = await Should.ThrowAsync<DomainException>(() => context.SaveChangesAsync());
            refused.Message.ShouldBe("Un texte saisi dépasse la longueur autorisée (300 caractères) : raccourcissez-le puis réessayez.");
        }

        await using var read = db.CreateDbContext();
        (await read.RomeCodes.CountAsync(r => r.Code == "Z9001" || r.Code == "Z9002")).ShouldBe(0);
    }

    [Fact]
    public async Task ATextAtItsMaximum_IsSaved()
    {
        await using var db = await TestDatabase.CreateAsync(seedDemo: false);
        await using (var context = db.CreateDbContext())
        {
            context.RomeCodes.Add(new RomeCode { Code = "Z9003", Label = new string('x', 300) });
            await context.SaveChangesAsync();
        }

        await using var read = db.CreateDbContext();
        (await read.RomeCodes.SingleAsync(r => r.Code == "Z9003")).Label.Length.ShouldBe(300);
    }
}
