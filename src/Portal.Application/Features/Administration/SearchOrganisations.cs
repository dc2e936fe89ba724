using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Administration;

/// <summary>
/// The administration's list of organisations: search on the name or the SIRET, filters on the kind, the habilitation
/// and the département (of the organisation's territory), sorted by name, paged in SQL (index Organisations(Name)).
/// </summary>
public sealed record SearchOrganisations(
    string? Search = null, OrganisationKind? Kind = null, HabilitationStatus? Habilitation = null, string? Departement = null,
    int Skip = 0, int Take = 25)
{
    public sealed record Row(Guid Id, string Name, OrganisationKind Kind, string? Siret, string TerritoryName, string Departement,
        HabilitationStatus Habilitation)
    {
        /// <summary>The habilitation only means something for a prescriber organisation (A1).</summary>
        public bool HasHabilitation => Kind.IsPrescriber();
    }

    public sealed record Result(IReadOnlyList<Row> Rows, int Total);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(SearchOrganisations query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrganisationAdmin.EnsureAdminOrRegion(user, "La liste des organisations est réservée à l'administrateur et à la Région.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var organisations = db.Organisations.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(query.Search))
            {
                var term = query.Search.Trim().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
                var digits = string.Concat(term.Where(c => !char.IsWhiteSpace(c)));
                var lower = term.ToLowerInvariant();
                organisations = organisations.Where(o => EF.Functions.Like(o.Name.ToLower(), $"%{lower}%") || (o.Siret != null && o.Siret.StartsWith(digits)));
            }
            if (query.Kind is { } kind) organisations = organisations.Where(o => o.Kind == kind);
            if (query.Habilitation is { } habilitation)
            {
                // Only prescribers have a habilitation that matters: the other kinds are not listed under a habilitation filter.
                OrganisationKind[] prescribers = [.. Enum.GetValues<OrganisationKind>().Where(k => k.IsPrescriber())];
                organisations = organisations.Where(o => o.Habilitation == habilitation && prescribers.Contains(o.Kind));
            }
            var rows = from o in organisations
                       join t in db.Territories on o.TerritoryId equals t.Id
                       select new { o, t };
            if (!string.IsNullOrWhiteSpace(query.Departement))
            {
                var departement = query.Departement.Trim();
                rows = rows.Where(x => x.t.DepartementCode == departement);
            }
            var total = await rows.CountAsync(cancellationToken);
            var page = await rows.OrderBy(x => x.o.Name).ThenBy(x => x.o.Id)
                .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, 100))
                .Select(x => new Row(x.o.Id, x.o.Name, x.o.Kind, x.o.Siret, x.t.Name, x.t.DepartementCode, x.o.Habilitation))
                .ToListAsync(cancellationToken);
            return new Result(page, total);
        }

        /// <summary>The départements of the territories, for the filter and the MFE coverage (code, name).</summary>
        public async Task<IReadOnlyList<(string Code, string Name)>> DepartementsAsync(CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrganisationAdmin.EnsureAdminOrRegion(user, "La liste des organisations est réservée à l'administrateur et à la Région.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var list = await db.Territories.AsNoTracking().Where(t => t.Kind == TerritoryKind.Departement)
                .OrderBy(t => t.DepartementCode).Select(t => new { t.DepartementCode, t.Name }).ToListAsync(cancellationToken);
            return [.. list.Select(t => (t.DepartementCode, t.Name))];
        }
    }
}
