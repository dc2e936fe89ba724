using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Administration;

/// <summary>One organisation as its administration form shows it: identity, habilitation, délégué, MFE coverage, history.</summary>
public sealed record GetOrganisation(Guid Id)
{
    public sealed record Member(Guid UserId, string Name, string Email, Role Role);

    public sealed record HistoryLine(DateTimeOffset At, string ByName, OrganisationHistoryKind Kind, string From, string To, string Reason);

    public sealed record Result(
        Guid Id, string Name, OrganisationKind Kind, string? Siret, string? Address, string? CommuneInsee, string? CommuneName,
        Guid TerritoryId, HabilitationStatus Habilitation, DateOnly? HabilitatedOn, string? HabilitationReference,
        Guid? DelegateUserId, IReadOnlyList<Member> Members, IReadOnlyList<string> CoveredDepartements,
        IReadOnlyList<HistoryLine> History, int Version)
    {
        public bool HasHabilitation => Kind.IsPrescriber();

        /// <summary>A2: a prescriber organisation other than the Région names a correspondant délégué.</summary>
        public bool HasDelegate => Kind.IsPrescriber() && Kind != OrganisationKind.Region;

        public IReadOnlyList<Member> DelegateCandidates => [.. Members.Where(m => m.Role is Role.Prescripteur or Role.ReferentFormation).DistinctBy(m => m.UserId)];
    }

    public sealed record TerritoryOption(Guid Id, string Name, TerritoryKind Kind, string Departement);

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Result> HandleAsync(GetOrganisation query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrganisationAdmin.EnsureAdminOrRegion(user, "Les fiches des organisations sont réservées à l'administrateur et à la Région.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var o = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == query.Id, cancellationToken)
                ?? throw new NotFoundException("Organisation introuvable.");
            var communeName = o.CommuneInsee is null ? null
                : await db.Communes.Where(c => c.InseeCode == o.CommuneInsee).Select(c => c.Name + " (" + c.DepartementCode + ")").FirstOrDefaultAsync(cancellationToken);
            var members = await (from m in db.Memberships
                                 join u in db.Users on m.UserId equals u.Id
                                 where m.OrganisationId == o.Id && u.IsActive
                                 orderby u.FamilyName, u.GivenName, m.Role
                                 select new { u.Id, u.GivenName, u.FamilyName, u.Email, m.Role })
                .ToListAsync(cancellationToken);
            var coverage = await db.MfeCoverages.Where(c => c.OrganisationId == o.Id).OrderBy(c => c.DepartementCode)
                .Select(c => c.DepartementCode).ToListAsync(cancellationToken);
            var history = await db.OrganisationHistory.AsNoTracking().Where(h => h.OrganisationId == o.Id).OrderByDescending(h => h.Id).Take(100)
                .Select(h => new HistoryLine(h.At, h.ByName, h.Kind, h.From, h.To, h.Reason))
                .ToListAsync(cancellationToken);
            return new Result(o.Id, o.Name, o.Kind, o.Siret, o.Address, o.CommuneInsee, communeName, o.TerritoryId, o.Habilitation,
                o.HabilitatedOn, o.HabilitationReference, o.DelegateUserId,
                [.. members.Select(m => new Member(m.Id, $"{m.GivenName} {m.FamilyName}".Trim(), m.Email, m.Role))],
                coverage, history, o.Version);
        }

        /// <summary>The territories an organisation may belong to (départements first, then their employment zones).</summary>
        public async Task<IReadOnlyList<TerritoryOption>> TerritoriesAsync(CurrentUser user, CancellationToken cancellationToken = default)
        {
            OrganisationAdmin.EnsureAdminOrRegion(user, "Les fiches des organisations sont réservées à l'administrateur et à la Région.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            return await db.Territories.AsNoTracking().OrderBy(t => t.DepartementCode).ThenBy(t => t.Kind).ThenBy(t => t.Name)
                .Select(t => new TerritoryOption(t.Id, t.Name, t.Kind, t.DepartementCode)).ToListAsync(cancellationToken);
        }
    }
}
