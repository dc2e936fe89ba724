using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Domain.Offer;

namespace Portal.Application.Features.Lheo;

/// <summary>
/// Exports the validated offer (O2: fiches validated by the Région, with their sessions that are not cancelled)
/// as LHEO 2.3. The offer is public (the catalogue shows it without login), so no user scope applies.
/// </summary>
public sealed record ExportLheo(Stream Output)
{
    public sealed record Result(int Fiches, int Sessions)
    {
        public string Summary => $"Export LHEO 2.3 terminé : {Fiches} fiche(s) action validée(s), {Sessions} session(s).";
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, ILheoFormat format)
    {
        public async Task<Result> HandleAsync(ExportLheo command, CancellationToken cancellationToken = default)
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var fiches = await db.FicheActions.AsNoTracking()
                .Where(f => f.Status == FicheStatus.Validated)
                .OrderBy(f => f.Title).ThenBy(f => f.Id)
                .ToListAsync(cancellationToken);
            var ficheIds = fiches.Select(f => f.Id).ToList();
            var sessions = (await db.Sessions.AsNoTracking()
                    .Where(s => ficheIds.Contains(s.FicheActionId) && s.Status != SessionStatus.Cancelled)
                    .ToListAsync(cancellationToken))
                .OrderBy(s => s.Start).ToLookup(s => s.FicheActionId);
            var organisationIds = fiches.Select(f => f.OrganisationId).Distinct().ToList();
            var organisations = await db.Organisations.AsNoTracking()
                .Where(o => organisationIds.Contains(o.Id))
                .ToDictionaryAsync(o => o.Id, cancellationToken);

            var formations = fiches.Select(f =>
            {
                var organisation = organisations[f.OrganisationId];
                var numero = f.ExternalReference ?? f.Id.ToString("N");
                var actionSessions = sessions[f.Id].Select(s => new LheoSession(
                    s.ExternalReference ?? s.Id.ToString("N"), s.Start, s.End, s.RegistrationDeadline, s.Capacity,
                    s.PlaceCommuneInsee is { Length: > 0 } p ? p : null, 0)).ToList();
                var action = new LheoAction(numero,
                    SpecificConditions: f.AdmissionConditions is { Length: > 0 } a ? a : f.Prerequisites,
                    RecruitmentModalities: JoinSelection(f), f.Accessibility, f.EntryMode == EntryMode.Permanent,
                    f.HoursInCentre, f.HoursInCompany, f.TrainingPlaces, actionSessions, 0);
                return new LheoFormation(numero, f.Title, f.Objectives, f.Content, f.ExpectedResults,
                    f.CertificationRncp, LheoLevels.Code(f.CertificationLevel), f.RomeCodes,
                    new LheoContact(f.ContactName, f.ContactEmail, f.ContactPhone), [action],
                    new LheoOrganisation(organisation.Siret ?? "", organisation.Name, organisation.Address, null, null), 0);
            }).ToList();

            if (formations.Count == 0)
                throw new LheoFormatException("Aucune fiche action validée à exporter : un fichier LHEO contient au moins une formation.");
            var insee = formations.SelectMany(f => f.Actions).SelectMany(a => a.PlacesInsee.Concat(a.Sessions.Select(s => s.PlaceInsee ?? ""))).Distinct().ToList();
            var communes = (await db.Communes.AsNoTracking().Where(c => insee.Contains(c.InseeCode)).ToListAsync(cancellationToken))
                .ToDictionary(c => c.InseeCode, c => new LheoCommune(c.Name, c.PostalCodes.Split(['|', ';', ',', ' '], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? ""));

            format.Write(new LheoOffer("2.3", formations) { Communes = communes }, command.Output);
            return new Result(formations.Count, formations.Sum(f => f.Actions.Sum(a => a.Sessions.Count)));
        }

        private static string JoinSelection(FicheAction fiche) =>
            string.Join('\n', new[] { fiche.SelectionModalities }.Concat(fiche.SelectionCriteria.Select(c => "- " + c)).Where(s => s.Length > 0));
    }
}
