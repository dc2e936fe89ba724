using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Lheo;

/// <summary>
/// Imports an LHEO offer as draft fiches action and planned sessions of the OF named by its SIRET (O2: the
/// Région validates them later). All or nothing: the file is read and checked in full, then everything is
/// saved by one SaveChanges (one transaction). Idempotent: a fiche or session whose LHEO <c>numero</c> is
/// already known is updated (a draft or returned fiche) or left as it is (anything else), never duplicated.
/// </summary>
public sealed record ImportLheo(Stream Content)
{
    /// <summary>Places of a session whose file gives none.</summary>
    public const int DefaultCapacity = 12;

    public sealed record Result(
        int OrganisationsCreated, int FichesCreated, int FichesUpdated, int FichesUnchanged,
        int SessionsCreated, int SessionsUnchanged, IReadOnlyList<string> Warnings)
    {
        public string Summary =>
            $"Import LHEO terminé : {FichesCreated} fiche(s) action créée(s), {FichesUpdated} mise(s) à jour, {FichesUnchanged} inchangée(s) ; " +
            $"{SessionsCreated} session(s) créée(s), {SessionsUnchanged} déjà présente(s) ; {OrganisationsCreated} organisme(s) de formation créé(s).";
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, ILheoFormat format, TimeProvider clock)
    {
        /// <summary>For a portal user: an admin imports any offer, an OF only its own SIRET's.</summary>
        public Task<Result> HandleAsync(ImportLheo command, CurrentUser user, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.Admin) && !user.Is(Role.OrganismeFormation))
                throw new AccessDeniedException("Seuls un administrateur ou un organisme de formation peuvent importer une offre LHEO.");
            return HandleScopedAsync(command, ScopeOf(user), progress, cancellationToken);
        }

        /// <summary>The organisation an import is restricted to: none for an admin, its own for an OF.</summary>
        public static Guid? ScopeOf(CurrentUser user) => user.Is(Role.Admin) ? null : user.OrganisationId;

        /// <summary>For the command line (an operator of the portal): any offer.</summary>
        public Task<Result> HandleAsSystemAsync(ImportLheo command, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
            HandleScopedAsync(command, null, progress, cancellationToken);

        /// <summary>With <paramref name="onlyOrganisationId"/>, every formation of the file must be that organisation's (by SIRET).</summary>
        public async Task<Result> HandleScopedAsync(ImportLheo command, Guid? onlyOrganisationId, IProgress<string>? progress, CancellationToken cancellationToken)
        {
            progress?.Report("Lecture et validation du fichier…");
            var offer = format.Read(command.Content);
            progress?.Report($"Fichier LHEO {offer.Version} valide : {offer.Formations.Count} formation(s).");

            var now = clock.GetUtcNow();
            var warnings = new List<string>();
            await using var db = await dbFactory.CreateAsync(cancellationToken);

            if (onlyOrganisationId is { } ownId)
            {
                var ownSiret = await db.Organisations.Where(o => o.Id == ownId).Select(o => o.Siret).SingleOrDefaultAsync(cancellationToken);
                var foreign = offer.Formations.FirstOrDefault(f => f.Organisation.Siret != ownSiret);
                if (foreign is not null)
                    throw new AccessDeniedException(
                        $"Ligne {foreign.Line} : l'offre est celle du SIRET {foreign.Organisation.Siret}, pas celui de votre organisme ({ownSiret ?? "non renseigné"}). " +
                        "Un organisme de formation ne peut importer que sa propre offre : rien n'a été importé.");
            }

            var organisations = new Dictionary<string, Organisation>();
            int orgCreated = 0, fCreated = 0, fUpdated = 0, fUnchanged = 0, sCreated = 0, sUnchanged = 0, done = 0;
            foreach (var formation in offer.Formations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (organisation, created) = await OrganisationAsync(db, organisations, formation.Organisation, cancellationToken);
                if (created) orgCreated++;
                foreach (var action in formation.Actions)
                {
                    var (fiche, state) = await FicheAsync(db, organisation, formation, action, now, cancellationToken);
                    switch (state)
                    {
                        case FicheState.Created: fCreated++; break;
                        case FicheState.Updated: fUpdated++; break;
                        default: fUnchanged++; break;
                    }
                    foreach (var lheoSession in action.Sessions)
                    {
                        var existing = db.Sessions.Local.Any(s => s.FicheActionId == fiche.Id && s.ExternalReference == lheoSession.Numero)
                            || (state != FicheState.Created && await db.Sessions.AnyAsync(
                                s => s.FicheActionId == fiche.Id && s.ExternalReference == lheoSession.Numero, cancellationToken));
                        if (existing) { sUnchanged++; continue; }
                        if (NewSession(fiche, action, lheoSession, warnings) is { } session)
                        {
                            db.Sessions.Add(session);
                            sCreated++;
                        }
                    }
                }
                done++;
                // About twenty steps for a large file, every formation for a small one.
                if (done % Math.Max(1, offer.Formations.Count / 20) == 0 || done == offer.Formations.Count)
                    progress?.Report($"Formation {done}/{offer.Formations.Count} préparée : {formation.Title}");
            }

            progress?.Report("Enregistrement…");
            await db.SaveChangesAsync(cancellationToken);
            return new Result(orgCreated, fCreated, fUpdated, fUnchanged, sCreated, sUnchanged, warnings);
        }

        private enum FicheState { Created, Updated, Unchanged }

        private static async Task<(FicheAction, FicheState)> FicheAsync(IAppDbContext db, Organisation organisation, LheoFormation formation,
            LheoAction action, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var entryMode = action.PermanentEntries ? EntryMode.Permanent : EntryMode.Grouped;
            // Prepared earlier in this file (the same action twice), or saved by an earlier import.
            var fiche = db.FicheActions.Local.FirstOrDefault(f => f.OrganisationId == organisation.Id && f.ExternalReference == action.Numero)
                ?? await db.FicheActions.FirstOrDefaultAsync(f => f.OrganisationId == organisation.Id && f.ExternalReference == action.Numero, cancellationToken);
            FicheState state;
            if (fiche is null)
            {
                fiche = new FicheAction(organisation.Id, formation.Title, entryMode, now);
                fiche.LinkExternal(action.Numero);
                db.FicheActions.Add(fiche);
                state = FicheState.Created;
            }
            else if (fiche.Status is FicheStatus.Draft or FicheStatus.Returned)
            {
                fiche.Rename(formation.Title, entryMode);
                state = FicheState.Updated;
            }
            else
            {
                // Submitted or validated: the Région's copy is not changed behind its back (O2).
                return (fiche, FicheState.Unchanged);
            }

            try
            {
                fiche.Describe(formation.Objectives, formation.Content,
                    prerequisites: action.SpecificConditions,
                    admissionConditions: action.SpecificConditions,
                    selectionModalities: action.RecruitmentModalities,
                    selectionCriteria: [],
                    romeCodes: formation.RomeCodes,
                    hoursInCentre: action.HoursInCentre, hoursInCompany: action.HoursInCompany,
                    certificationRncp: formation.CertificationRncp);
                fiche.DescribeDetails(formation.ExpectedResults, targetPublic: "", action.Accessibility, LheoLevels.Label(formation.LevelCode),
                    formation.Contact.Name, formation.Contact.Email.Contains('@', StringComparison.Ordinal) ? formation.Contact.Email : "",
                    formation.Contact.Phone, action.PlacesInsee);
            }
            catch (DomainException ex)
            {
                throw new LheoFormatException($"Ligne {action.Line} : action « {action.Numero} » refusée : {ex.Message} Rien n'a été importé.", action.Line);
            }
            return (fiche, state);
        }

        private static TrainingSession? NewSession(FicheAction fiche, LheoAction action, LheoSession lheo, List<string> warnings)
        {
            if (lheo.Start is not { } start)
            {
                warnings.Add($"Ligne {lheo.Line} : session « {lheo.Numero} » sans date de début connue (00000000) : non importée.");
                return null;
            }
            // 99999999 (unknown end): one year of training, the OF corrects it on its draft.
            var end = lheo.End ?? start.AddYears(1).AddDays(-1);
            if (end < start)
                throw new LheoFormatException($"Ligne {lheo.Line} : la session « {lheo.Numero} » finit ({end:dd/MM/yyyy}) avant de commencer ({start:dd/MM/yyyy}). Rien n'a été importé.", lheo.Line);
            // The end of the registration period when the file gives one, otherwise the day before the start.
            var deadline = lheo.RegistrationEnd is { } r && r <= end ? r : start.AddDays(-1);
            var capacity = lheo.Places is > 0 and var p ? p : DefaultCapacity;
            // The action's training place; the registration address when the action names none.
            var place = action.PlacesInsee.FirstOrDefault() ?? lheo.PlaceInsee ?? "";
            TrainingSession session;
            try
            {
                session = new TrainingSession(fiche, start, end, deadline, capacity, place, fromImport: true);
            }
            catch (DomainException ex)
            {
                throw new LheoFormatException($"Ligne {lheo.Line} : session « {lheo.Numero} » refusée : {ex.Message} Rien n'a été importé.", lheo.Line);
            }
            session.LinkExternal(lheo.Numero);
            return session;
        }

        private static async Task<(Organisation, bool)> OrganisationAsync(IAppDbContext db, Dictionary<string, Organisation> seen,
            LheoOrganisation lheo, CancellationToken cancellationToken)
        {
            if (seen.TryGetValue(lheo.Siret, out var known)) return (known, false);
            var organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Siret == lheo.Siret, cancellationToken);
            var created = false;
            if (organisation is null)
            {
                var territoryId = await TerritoryForAsync(db, lheo.PostalCode, cancellationToken);
                try
                {
                    organisation = new Organisation(lheo.Name, OrganisationKind.TrainingBody, territoryId, lheo.Siret);
                }
                catch (DomainException ex)
                {
                    throw new LheoFormatException($"Organisme de SIRET « {lheo.Siret} » refusé : {ex.Message} Rien n'a été importé.");
                }
                organisation.SetAddress(lheo.Address);
                db.Organisations.Add(organisation);
                created = true;
            }
            else if (organisation.Kind != OrganisationKind.TrainingBody)
            {
                throw new LheoFormatException(
                    $"Le SIRET {lheo.Siret} est celui de « {organisation.Name} », qui n'est pas un organisme de formation. Rien n'a été importé.");
            }
            seen[lheo.Siret] = organisation;
            return (organisation, created);
        }

        /// <summary>
        /// The territory of a new OF: the département territory of its postcode's département when the portal
        /// has one, otherwise the first département territory (by code): an OF from outside the Région still
        /// needs a territory, and the Région can move it later. A portal without any territory yet (a fresh
        /// database without the demo data) gets the département territory of the postcode.
        /// </summary>
        private static async Task<Guid> TerritoryForAsync(IAppDbContext db, string? postalCode, CancellationToken cancellationToken)
        {
            var departement = LheoLevels.DepartementOf(postalCode);
            var pending = db.Territories.Local.Where(t => t.Kind == TerritoryKind.Departement).OrderBy(t => t.Code, StringComparer.Ordinal).ToList();
            var departements = db.Territories.Where(t => t.Kind == TerritoryKind.Departement);
            if (departement is not null)
            {
                var match = pending.FirstOrDefault(t => t.DepartementCode == departement)?.Id
                    ?? await departements.Where(t => t.DepartementCode == departement).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken);
                if (match is { } id) return id;
            }
            var first = await departements.OrderBy(t => t.Code).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken) ?? pending.FirstOrDefault()?.Id;
            if (first is { } firstId) return firstId;

            var code = departement ?? "00";
            var name = await db.Communes.Where(c => c.DepartementCode == code).Select(c => c.DepartementName).FirstOrDefaultAsync(cancellationToken);
            var territory = new Territory(code, name ?? $"Département {code}", TerritoryKind.Departement, code);
            db.Territories.Add(territory);
            return territory.Id;
        }
    }
}
