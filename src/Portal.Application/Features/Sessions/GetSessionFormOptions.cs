using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Sessions;

/// <summary>What the "Nouvelle session" form offers: the OF's validated fiches (communes: SuggestCommunes).</summary>
public sealed record GetSessionFormOptions
{
    public sealed record FicheOption(Guid Id, string Title, EntryMode EntryMode, string? DefaultPlace);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<IReadOnlyList<FicheOption>> FichesAsync(CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Seul un organisme de formation crée des sessions.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var fiches = await db.FicheActions
                .Where(f => f.OrganisationId == user.OrganisationId && f.Status == FicheStatus.Validated)
                .OrderBy(f => f.Title)
                .Select(f => new { f.Id, f.Title, f.EntryMode, f.TrainingPlaces })
                .ToListAsync(cancellationToken);
            return [.. fiches.Select(f => new FicheOption(f.Id, f.Title, f.EntryMode, f.TrainingPlaces.FirstOrDefault()))];
        }
    }
}
