using Portal.Application.Features.Fiches;
using Portal.Domain.Offer;

namespace Portal.Application.Tests.Fiches;

/// <summary>Complete and empty <see cref="SaveFiche"/> commands, as the editor would send them.</summary>
internal static class FicheCommands
{
    public static SaveFiche Complete(Guid? id = null, string title = "Agent de propreté et d'hygiène", bool submit = false) => new(
        FicheId: id,
        Title: title,
        EntryMode: EntryMode.Grouped,
        Objectives: "Obtenir le titre professionnel et accéder à l'emploi.",
        Content: "Techniques de nettoyage, sécurité, relation client.",
        Prerequisites: "Savoirs de base.",
        AdmissionConditions: "Demandeur d'emploi inscrit ; prescription obligatoire.",
        SelectionModalities: "Information collective puis entretien individuel.",
        SelectionCriteria: ["Motivation pour le métier", "Aptitude physique"],
        RomeCodes: ["K2204"],
        HoursInCentre: 400,
        HoursInCompany: 140,
        CertificationRncp: "RNCP34325",
        CertificationLevel: "Niveau 3 (CAP, BEP)",
        ExpectedResults: "Titre professionnel.",
        TargetPublic: "Demandeurs d'emploi.",
        Accessibility: "Locaux accessibles.",
        ContactName: "Accueil",
        ContactEmail: "accueil@of.exemple.fr",
        ContactPhone: "05 56 00 00 00",
        TrainingPlaces: ["33063"],
        Submit: submit);

    public static SaveFiche Empty(string title = "Fiche en cours", bool submit = false) => new(
        null, title, EntryMode.Permanent, "", "", "", "", "", [], [], 0, 0, null, null, "", "", "", "", "", "", [], submit);
}
