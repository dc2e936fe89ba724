using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Order;

namespace Portal.Application.Features.Order;

/// <summary>O3: the Région publishes a lot of its order (title, territory, volume, tender deadline).</summary>
public sealed record CreateLot(string Title, Guid TerritoryId, int Volume, DateOnly TenderDeadline)
{
    public const int TitleMaxLength = 300;

    public sealed record Error(string Field, string Message);

    /// <summary>The French refusals of the form, per field (nameof the property); checked again by the handler.</summary>
    public IReadOnlyList<Error> Validate(DateOnly today)
    {
        var errors = new List<Error>();
        if (string.IsNullOrWhiteSpace(Title)) errors.Add(new(nameof(Title), "L'intitulé du lot est obligatoire."));
        else if (Title.Trim().Length > TitleMaxLength) errors.Add(new(nameof(Title), $"L'intitulé du lot ne doit pas dépasser {TitleMaxLength} caractères."));
        if (TerritoryId == Guid.Empty) errors.Add(new(nameof(TerritoryId), "Choisissez le territoire du lot."));
        if (Volume <= 0) errors.Add(new(nameof(Volume), "Le volume du lot doit être d'au moins une place."));
        if (TenderDeadline < today)
            errors.Add(new(nameof(TenderDeadline), $"La date limite de réponse ne peut pas être passée : au plus tôt le {today:dd/MM/yyyy}."));
        return errors;
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock)
    {
        public async Task<Guid> HandleAsync(CreateLot command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrderAccess.RequireRegion(user);
            var now = clock.GetUtcNow();
            var errors = command.Validate(OrderAccess.Today(now));
            if (errors.Count > 0) throw OrderAccess.Refusal(string.Join(" ", errors.Select(e => e.Message)));

            await using var db = await dbFactory.CreateAsync(cancellationToken);
            if (!await db.Territories.AnyAsync(t => t.Id == command.TerritoryId, cancellationToken))
                throw OrderAccess.Refusal("Territoire inconnu : choisissez-en un dans la liste.");
            var lot = new OrderLot(command.Title, command.TerritoryId, command.Volume, command.TenderDeadline, now);
            db.OrderLots.Add(lot);
            await db.SaveChangesAsync(cancellationToken);
            return lot.Id;
        }
    }
}
