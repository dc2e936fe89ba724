using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Order;

/// <summary>For the award dialog (O3): the training bodies that hold validated fiches action, with those fiches.</summary>
public sealed record GetAwardOptions
{
    public sealed record Fiche(Guid Id, string Title);

    public sealed record TrainingBody(Guid Id, string Name, IReadOnlyList<Fiche> ValidatedFiches);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<TrainingBody>> HandleAsync(GetAwardOptions query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrderAccess.RequireRegion(user);
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var rows = await db.FicheActions
                .Where(f => f.Status == FicheStatus.Validated)
                .Join(db.Organisations.Where(o => o.Kind == OrganisationKind.TrainingBody), f => f.OrganisationId, o => o.Id,
                    (f, o) => new { OrganisationId = o.Id, OrganisationName = o.Name, FicheId = f.Id, f.Title })
                .ToListAsync(cancellationToken);
            return [.. rows
                .GroupBy(r => (r.OrganisationId, r.OrganisationName))
                .OrderBy(g => g.Key.OrganisationName, StringComparer.CurrentCulture)
                .Select(g => new TrainingBody(g.Key.OrganisationId, g.Key.OrganisationName,
                    [.. g.OrderBy(r => r.Title, StringComparer.CurrentCulture).Select(r => new Fiche(r.FicheId, r.Title))]))];
        }
    }
}
