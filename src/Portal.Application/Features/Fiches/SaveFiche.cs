using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Fiches;

/// <summary>
/// O2, S12: the OF creates (<see cref="FicheId"/> null) or updates a draft or returned fiche action with all its
/// fields. Field errors come back in French, keyed by the field's name, and nothing is saved; with
/// <see cref="Submit"/>, the mandatory fields of O2 are required too and the fiche is submitted in the same step.
/// </summary>
public sealed partial record SaveFiche(
    Guid? FicheId,
    string Title,
    EntryMode EntryMode,
    string Objectives,
    string Content,
    string Prerequisites,
    string AdmissionConditions,
    string SelectionModalities,
    IReadOnlyList<string> SelectionCriteria,
    IReadOnlyList<string> RomeCodes,
    int HoursInCentre,
    int HoursInCompany,
    string? CertificationRncp,
    string? CertificationLevel,
    string ExpectedResults,
    string TargetPublic,
    string Accessibility,
    string ContactName,
    string ContactEmail,
    string ContactPhone,
    IReadOnlyList<string> TrainingPlaces,
    bool Submit = false)
{
    /// <summary>P1: débouchés (jobs and job prospects).</summary>
    public string JobProspects { get; init; } = "";

    /// <summary>P1: suites de parcours.</summary>
    public string FollowOnPaths { get; init; } = "";

    public const int MaxTitleLength = FicheAction.MaxTitleLength;
    public const int MaxTextLength = FicheAction.MaxTextLength;

    /// <summary>Issue #15 (5): the one-line fields other than the title, with the domain's limits.</summary>
    public static readonly IReadOnlyDictionary<string, int> ShortFieldLimits = new Dictionary<string, int>
    {
        [nameof(CertificationRncp)] = FicheAction.MaxShortTextLength,
        [nameof(CertificationLevel)] = FicheAction.MaxShortTextLength,
        [nameof(ContactName)] = FicheAction.MaxShortTextLength,
        [nameof(ContactEmail)] = FicheAction.MaxEmailLength,
        [nameof(ContactPhone)] = FicheAction.MaxPhoneLength,
    };

    /// <summary>The most characters a one-line field of the editor takes.</summary>
    public static int MaxLineLength(string field) => ShortFieldLimits.GetValueOrDefault(field, MaxTitleLength);
    public const int MaxCriterionLength = 300;
    public const int MaxHours = 5000;

    /// <summary>The French names of the fields, as the form labels them.</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldLabels = new Dictionary<string, string>
    {
        [nameof(Title)] = "Intitulé",
        [nameof(EntryMode)] = "Mode d'entrée",
        [nameof(Objectives)] = "Objectifs",
        [nameof(Content)] = "Contenu",
        [nameof(Prerequisites)] = "Prérequis",
        [nameof(AdmissionConditions)] = "Conditions d'admission",
        [nameof(SelectionModalities)] = "Modalités de sélection",
        [nameof(SelectionCriteria)] = "Critères de sélection",
        [nameof(RomeCodes)] = "Métiers visés (codes ROME)",
        [nameof(HoursInCentre)] = "Durée en centre (heures)",
        [nameof(HoursInCompany)] = "Durée en entreprise (heures)",
        [nameof(CertificationRncp)] = "Code RNCP",
        [nameof(CertificationLevel)] = "Niveau de la certification",
        [nameof(ExpectedResults)] = "Résultats attendus",
        [nameof(TargetPublic)] = "Public visé",
        [nameof(Accessibility)] = "Accessibilité aux personnes handicapées",
        [nameof(ContactName)] = "Nom du contact",
        [nameof(ContactEmail)] = "E-mail du contact",
        [nameof(ContactPhone)] = "Téléphone du contact",
        [nameof(TrainingPlaces)] = "Lieux de formation",
        [nameof(JobProspects)] = "Débouchés",
        [nameof(FollowOnPaths)] = "Suites de parcours",
    };

    [GeneratedRegex(@"^[A-Z]\d{4}$")]
    private static partial Regex RomeFormat();

    [GeneratedRegex(@"^RNCP\d{3,6}$")]
    private static partial Regex RncpFormat();

    [GeneratedRegex(@"^(\d{5}|2[AB]\d{3})$")]
    private static partial Regex InseeFormat();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailFormat();

    /// <summary>
    /// The checks that need no database, shared by the form (messages as the user types) and the handler
    /// (enforced whatever the client sends). Returns one French message per field in error.
    /// </summary>
    public Dictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        void Require(string field, string value, string message)
        {
            if (string.IsNullOrWhiteSpace(value)) errors[field] = message;
        }
        void Limit(string field, string? value, int max)
        {
            if (value is not null && value.Trim().Length > max && !errors.ContainsKey(field))
                errors[field] = $"{FieldLabels[field]} : {max} caractères au plus.";
        }

        Require(nameof(Title), Title, "L'intitulé est obligatoire.");
        Limit(nameof(Title), Title, MaxTitleLength);
        if (!Enum.IsDefined(EntryMode)) errors[nameof(EntryMode)] = "Choisissez le mode d'entrée.";
        if (Submit)
        {
            Require(nameof(Objectives), Objectives, "Les objectifs sont obligatoires pour soumettre la fiche.");
            Require(nameof(Content), Content, "Le contenu est obligatoire pour soumettre la fiche.");
            Require(nameof(Prerequisites), Prerequisites, "Les prérequis sont obligatoires pour soumettre la fiche (écrivez « Aucun » s'il n'y en a pas).");
            Require(nameof(AdmissionConditions), AdmissionConditions, "Les conditions d'admission sont obligatoires pour soumettre la fiche.");
            Require(nameof(SelectionModalities), SelectionModalities, "Les modalités de sélection sont obligatoires pour soumettre la fiche.");
            if (!SelectionCriteria.Any(c => !string.IsNullOrWhiteSpace(c)))
                errors[nameof(SelectionCriteria)] = "Ajoutez au moins un critère de sélection pour soumettre la fiche (S12).";
            if (!RomeCodes.Any(c => !string.IsNullOrWhiteSpace(c)))
                errors[nameof(RomeCodes)] = "Ajoutez au moins un métier visé (code ROME) pour soumettre la fiche.";
            if (HoursInCentre + HoursInCompany <= 0 && HoursInCentre >= 0 && HoursInCompany >= 0)
                errors[nameof(HoursInCentre)] = "Indiquez la durée de la formation (en centre et/ou en entreprise) pour soumettre la fiche.";
        }
        foreach (var (field, value) in new[] { (nameof(Objectives), Objectives), (nameof(Content), Content), (nameof(Prerequisites), Prerequisites),
                     (nameof(AdmissionConditions), AdmissionConditions), (nameof(SelectionModalities), SelectionModalities),
                     (nameof(ExpectedResults), ExpectedResults), (nameof(TargetPublic), TargetPublic), (nameof(Accessibility), Accessibility),
                     (nameof(JobProspects), JobProspects), (nameof(FollowOnPaths), FollowOnPaths) })
            Limit(field, value, MaxTextLength);
        foreach (var (field, value) in new[] { (nameof(CertificationRncp), CertificationRncp), (nameof(CertificationLevel), CertificationLevel),
                     (nameof(ContactName), ContactName), (nameof(ContactEmail), ContactEmail), (nameof(ContactPhone), ContactPhone) })
            Limit(field, value, ShortFieldLimits[field]);

        if (SelectionCriteria.Any(c => c.Trim().Length > MaxCriterionLength))
            errors[nameof(SelectionCriteria)] = $"Un critère de sélection tient en {MaxCriterionLength} caractères au plus : découpez-le en plusieurs critères (S12).";
        else if (SelectionCriteria.Where(c => !string.IsNullOrWhiteSpace(c)).GroupBy(c => c.Trim(), StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
            errors[nameof(SelectionCriteria)] = "Chaque critère de sélection n'apparaît qu'une fois (S12).";

        var badRome = RomeCodes.Select(c => c.Trim().ToUpperInvariant()).Where(c => c.Length > 0 && !RomeFormat().IsMatch(c)).ToList();
        if (badRome.Count > 0)
            errors[nameof(RomeCodes)] = $"Code ROME mal formé : {string.Join(", ", badRome)} (une lettre et quatre chiffres, par exemple K2204).";

        if (HoursInCentre < 0 || HoursInCentre > MaxHours)
            errors[nameof(HoursInCentre)] = $"La durée en centre est comprise entre 0 et {MaxHours} heures.";
        if (HoursInCompany < 0 || HoursInCompany > MaxHours)
            errors[nameof(HoursInCompany)] = $"La durée en entreprise est comprise entre 0 et {MaxHours} heures.";

        if (!string.IsNullOrWhiteSpace(CertificationRncp) && !RncpFormat().IsMatch(CertificationRncp.Trim().ToUpperInvariant()))
            errors[nameof(CertificationRncp)] = "Le code RNCP s'écrit « RNCP » suivi de 3 à 6 chiffres, par exemple RNCP34325.";
        Limit(nameof(CertificationLevel), CertificationLevel, 100);
        Limit(nameof(ContactName), ContactName, 200);
        Limit(nameof(ContactPhone), ContactPhone, 50);
        if (!string.IsNullOrWhiteSpace(ContactEmail) && !EmailFormat().IsMatch(ContactEmail.Trim()))
            errors[nameof(ContactEmail)] = "L'adresse e-mail du contact est invalide (par exemple contact@organisme.fr).";

        var badPlaces = TrainingPlaces.Select(c => c.Trim().ToUpperInvariant()).Where(c => c.Length > 0 && !InseeFormat().IsMatch(c)).ToList();
        if (badPlaces.Count > 0)
            errors[nameof(TrainingPlaces)] = $"Code commune INSEE mal formé : {string.Join(", ", badPlaces)} (cinq caractères, par exemple 33063).";
        return errors;
    }

    /// <summary>Saved (<see cref="Errors"/> empty) or refused with French messages per field; the fiche's id when saved.</summary>
    public sealed record Result(Guid? FicheId, IReadOnlyDictionary<string, string> Errors)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public sealed class Handler(IAppDbContextFactory dbFactory, TimeProvider clock, ILiveNotifier notifier)
    {
        public async Task<Result> HandleAsync(SaveFiche command, CurrentUser user, CancellationToken cancellationToken = default)
        {
            if (!user.Is(Role.OrganismeFormation)) throw new AccessDeniedException("Seul un organisme de formation rédige des fiches action.");
            var errors = command.Validate();
            await using var db = await dbFactory.CreateAsync(cancellationToken);

            FicheAction? fiche = null;
            if (command.FicheId is { } id)
            {
                fiche = await db.FicheActions
                    .FirstOrDefaultAsync(f => f.Id == id && f.OrganisationId == user.OrganisationId, cancellationToken)
                    ?? throw new NotFoundException("Fiche action introuvable.");
                if (fiche.Status is not (FicheStatus.Draft or FicheStatus.Returned))
                    throw new DomainException($"Une fiche « {fiche.Status.Label()} » ne peut plus être modifiée.", "O2");
            }

            var rome = Clean(command.RomeCodes);
            if (!errors.ContainsKey(nameof(RomeCodes)) && rome.Count > 0)
            {
                var known = await db.RomeCodes.Where(r => rome.Contains(r.Code)).Select(r => r.Code).ToListAsync(cancellationToken);
                var unknown = rome.Except(known).ToList();
                if (unknown.Count > 0)
                    errors[nameof(RomeCodes)] = $"Code ROME inconnu du référentiel : {string.Join(", ", unknown)}.";
            }
            var places = Clean(command.TrainingPlaces);
            if (!errors.ContainsKey(nameof(TrainingPlaces)) && places.Count > 0)
            {
                var known = await db.Communes.Where(c => places.Contains(c.InseeCode)).Select(c => c.InseeCode).ToListAsync(cancellationToken);
                var unknown = places.Except(known).ToList();
                if (unknown.Count > 0)
                    errors[nameof(TrainingPlaces)] = $"Commune inconnue du référentiel (code INSEE) : {string.Join(", ", unknown)}.";
            }
            if (errors.Count > 0) return new Result(command.FicheId, errors);

            var now = clock.GetUtcNow();
            if (fiche is null)
            {
                fiche = new FicheAction(user.OrganisationId, command.Title, command.EntryMode, now);
                db.FicheActions.Add(fiche);
            }
            else
            {
                fiche.Rename(command.Title, command.EntryMode);
            }
            fiche.Describe(command.Objectives, command.Content, command.Prerequisites, command.AdmissionConditions, command.SelectionModalities,
                command.SelectionCriteria, rome, command.HoursInCentre, command.HoursInCompany,
                string.IsNullOrWhiteSpace(command.CertificationRncp) ? null : command.CertificationRncp.Trim().ToUpperInvariant());
            fiche.DescribeDetails(command.ExpectedResults, command.TargetPublic, command.Accessibility, command.CertificationLevel,
                command.ContactName, command.ContactEmail, command.ContactPhone, places);
            fiche.DescribeOutcomes(command.JobProspects ?? "", command.FollowOnPaths ?? "");
            fiche.MarkEdited(now);
            if (command.Submit) fiche.Submit(now);

            await FicheStore.SaveAsync(db, cancellationToken);
            if (command.Submit)
                await notifier.PublishAsync(new FicheStatusChanged(fiche.Id, fiche.OrganisationId, fiche.Status, fiche.Version), cancellationToken);
            return new Result(fiche.Id, new Dictionary<string, string>());
        }

        private static List<string> Clean(IEnumerable<string> codes) =>
            [.. codes.Select(c => c.Trim().ToUpperInvariant()).Where(c => c.Length > 0).Distinct()];
    }
}

/// <summary>Saving a fiche that someone else changed meanwhile (e.g. two submissions racing for one version number).</summary>
internal static class FicheStore
{
    public static async Task SaveAsync(IAppDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new DomainException("La fiche vient d'être modifiée par quelqu'un d'autre : rechargez-la et recommencez.", "O2");
        }
    }
}
