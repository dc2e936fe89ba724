using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Fiches;

/// <summary>O2: one of the OF's own fiches, to edit (another OF's fiche is "not found").</summary>
public sealed record GetFicheForEdit(Guid FicheId)
{
    public sealed record Details(
        Guid Id, FicheStatus Status, int Version, string? RegionComment, DateTimeOffset UpdatedAt,
        SaveFiche Fields, IReadOnlyList<ReferenceItem> RomeCodes, IReadOnlyList<ReferenceItem> TrainingPlaces)
    {
        public bool CanEdit => Status is FicheStatus.Draft or FicheStatus.Returned;

        public IReadOnlyList<string> MissingMandatoryFields { get; init; } = [];
    }

    public sealed class Handler(IAppDbContextFactory dbFactory)
    {
        public async Task<Details> HandleAsync(GetFicheForEdit query, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Seul un organisme de formation rédige des fiches action.");
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var f = await db.FicheActions.AsNoTracking()
                .FirstOrDefaultAsync(x => x.Id == query.FicheId && x.OrganisationId == user.OrganisationId, cancellationToken)
                ?? throw new NotFoundException("Fiche action introuvable.");
            var rome = await ReferenceItem.RomeAsync(db, f.RomeCodes, cancellationToken);
            var places = await ReferenceItem.CommunesAsync(db, f.TrainingPlaces, cancellationToken);
            var fields = new SaveFiche(f.Id, f.Title, f.EntryMode, f.Objectives, f.Content, f.Prerequisites, f.AdmissionConditions,
                f.SelectionModalities, [.. f.SelectionCriteria], [.. f.RomeCodes], f.HoursInCentre, f.HoursInCompany, f.CertificationRncp,
                f.CertificationLevel, f.ExpectedResults, f.TargetPublic, f.Accessibility, f.ContactName, f.ContactEmail, f.ContactPhone,
                [.. f.TrainingPlaces])
            {
                JobProspects = f.JobProspects,
                FollowOnPaths = f.FollowOnPaths,
            };
            return new Details(f.Id, f.Status, f.Version, f.RegionComment, f.UpdatedAt, fields, rome, places)
            {
                MissingMandatoryFields = f.MissingMandatoryFields(),
            };
        }
    }
}

/// <summary>A code of a reference list with its French label (a ROME code and its job, an INSEE code and its commune).</summary>
public sealed record ReferenceItem(string Code, string Label)
{
    public string Display => Label.Length == 0 || Label == Code ? Code : $"{Label} ({Code})";

    /// <summary>The labels of ROME codes, in the given order (an unknown code keeps its code as label). One query.</summary>
    public static async Task<IReadOnlyList<ReferenceItem>> RomeAsync(IAppDbContext db, IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        if (codes.Count == 0) return [];
        var labels = await db.RomeCodes.AsNoTracking().Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Label, cancellationToken);
        return [.. codes.Select(c => new ReferenceItem(c, labels.GetValueOrDefault(c, c)))];
    }

    /// <summary>The names of communes by INSEE code, in the given order. One query.</summary>
    public static async Task<IReadOnlyList<ReferenceItem>> CommunesAsync(IAppDbContext db, IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        if (codes.Count == 0) return [];
        var names = await db.Communes.AsNoTracking().Where(c => codes.Contains(c.InseeCode)).ToDictionaryAsync(c => c.InseeCode, c => c.Name, cancellationToken);
        return [.. codes.Select(c => new ReferenceItem(c, names.GetValueOrDefault(c, c)))];
    }
}
