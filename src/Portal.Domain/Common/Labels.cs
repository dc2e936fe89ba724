using Portal.Domain.Arbitrations;
using Portal.Domain.Eos;
using Portal.Domain.Exports;
using Portal.Domain.Offer;
using Portal.Domain.Order;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.Domain.Common;

/// <summary>The French words users read for every enum: never an enum name on screen.</summary>
public static class Labels
{
    public static string Label(this Role role) => role switch
    {
        Role.Prescripteur => "Prescripteur",
        Role.ReferentFormation => "Référent formation",
        Role.OrganismeFormation => "Organisme de formation",
        Role.Region => "Région",
        Role.Carif => "CARIF-OREF",
        Role.Mfe => "MFE",
        Role.Admin => "Administrateur",
        _ => "Rôle inconnu",
    };

    public static string Label(this OrganisationKind kind) => kind switch
    {
        OrganisationKind.MissionLocale => "Mission Locale",
        OrganisationKind.FranceTravail => "France Travail",
        OrganisationKind.CapEmploi => "Cap Emploi",
        OrganisationKind.OtherApprovedPrescriber => "Prescripteur agréé",
        OrganisationKind.Region => "Région",
        OrganisationKind.TrainingBody => "Organisme de formation",
        OrganisationKind.CarifOref => "CARIF-OREF",
        OrganisationKind.Mfe => "Maison de la Formation et de l'Emploi",
        _ => "Organisation",
    };

    public static string Label(this AccessRequestStatus status) => status switch
    {
        AccessRequestStatus.Pending => "En attente",
        AccessRequestStatus.Accepted => "Acceptée",
        AccessRequestStatus.Refused => "Refusée",
        _ => "Inconnue",
    };

    public static string Label(this HabilitationStatus status) => status switch
    {
        HabilitationStatus.Pending => "Habilitation en attente",
        HabilitationStatus.Habilitated => "Habilitée",
        HabilitationStatus.Suspended => "Habilitation suspendue",
        HabilitationStatus.Revoked => "Habilitation retirée",
        _ => "Inconnue",
    };

    public static string Label(this PrescriptionStatus status) => status switch
    {
        PrescriptionStatus.Submitted => "Prescrite",
        PrescriptionStatus.Convoked => "Convoquée",
        PrescriptionStatus.Attended => "Présente",
        PrescriptionStatus.AbsentJustified => "Absence justifiée",
        PrescriptionStatus.AbsentUnjustified => "Absence non justifiée",
        PrescriptionStatus.Selected => "Retenue",
        PrescriptionStatus.Waitlisted => "Liste d'attente",
        PrescriptionStatus.NotSelected => "Non retenue",
        PrescriptionStatus.Entered => "Entrée en formation",
        PrescriptionStatus.Cancelled => "Annulée",
        PrescriptionStatus.Withdrawn => "Désistement",
        PrescriptionStatus.Expired => "Expirée",
        PrescriptionStatus.SessionCancelled => "Session annulée",
        PrescriptionStatus.PlaceOffered => "Place proposée",
        _ => "Inconnu",
    };

    public static string Label(this SessionStatus status) => status switch
    {
        SessionStatus.Planned => "Programmée",
        SessionStatus.Open => "Ouverte",
        SessionStatus.Suspended => "Suspendue",
        SessionStatus.Closed => "Inscriptions closes",
        SessionStatus.Running => "En cours",
        SessionStatus.Finished => "Terminée",
        SessionStatus.Cancelled => "Annulée",
        _ => "Inconnu",
    };

    public static string Label(this FicheStatus status) => status switch
    {
        FicheStatus.Draft => "Brouillon",
        FicheStatus.Submitted => "Soumise",
        FicheStatus.Validated => "Validée",
        FicheStatus.Returned => "Renvoyée",
        _ => "Inconnu",
    };

    public static string Label(this NonSelectionReasonKind kind) => kind switch
    {
        NonSelectionReasonKind.PrerequisitesNotMet => "Prérequis non atteints",
        NonSelectionReasonKind.ProjectNotValidated => "Projet professionnel non validé",
        NonSelectionReasonKind.Unavailable => "Candidat indisponible aux dates de la session",
        NonSelectionReasonKind.NotReachable => "Candidat injoignable",
        NonSelectionReasonKind.SessionFull => "Session complète",
        NonSelectionReasonKind.AbsentFromInfoSession => "Absence à l'information collective",
        NonSelectionReasonKind.Other => "Autre motif",
        _ => "Motif inconnu",
    };

    public static string Label(this EntryMode mode) => mode switch
    {
        EntryMode.Grouped => "Entrées groupées",
        EntryMode.Permanent => "Entrées/sorties permanentes",
        _ => "Inconnu",
    };

    public static string Label(this InfoSessionKind kind) => kind switch
    {
        InfoSessionKind.Collective => "Information collective",
        InfoSessionKind.Individual => "Entretien individuel",
        _ => "Réunion d'information",
    };

    public static string Label(this LotStatus status) => status switch
    {
        LotStatus.Open => "En cours",
        LotStatus.Unsuccessful => "Infructueux",
        LotStatus.Awarded => "Attribué",
        _ => "Inconnu",
    };

    public static string Label(this TenderDocumentKind kind) => kind switch
    {
        TenderDocumentKind.TenderFile => "Dossier de consultation (DCE)",
        TenderDocumentKind.Annex => "Annexe",
        _ => "Document",
    };

    public static string Label(this ArbitrationSide side) => side switch
    {
        ArbitrationSide.Prescriber => "Prescripteur",
        ArbitrationSide.TrainingBody => "Organisme de formation",
        _ => "Partie",
    };

    public static string Label(this ArbitrationStatus status) => status switch
    {
        ArbitrationStatus.Open => "En cours d'arbitrage",
        ArbitrationStatus.Decided => "Arbitrage rendu",
        _ => "Inconnu",
    };

    public static string Label(this ArbitrationOutcome outcome) => outcome switch
    {
        ArbitrationOutcome.Upheld => "Décision maintenue",
        ArbitrationOutcome.Overturned => "Décision infirmée",
        ArbitrationOutcome.Other => "Autre issue",
        _ => "Inconnue",
    };

    public static string Label(this OfflinePrescriptionSource source) => source switch
    {
        OfflinePrescriptionSource.Paper => "Fiche de prescription papier",
        OfflinePrescriptionSource.OtherTool => "Autre outil",
        _ => source.ToString(),
    };

    public static string Label(this EosAnomalyKind kind) => kind switch
    {
        EosAnomalyKind.NoPrescription => "Entrée dans EOS sans prescription dans le portail",
        EosAnomalyKind.EntryNotRecorded => "Entrée dans EOS non enregistrée dans le portail",
        EosAnomalyKind.MissingFromEos => "Entrée dans le portail absente d'EOS",
        EosAnomalyKind.DateMismatch => "Dates d'entrée différentes",
        _ => "Anomalie",
    };

    public static string Label(this ExportStatus status) => status switch
    {
        ExportStatus.Queued => "En attente",
        ExportStatus.Running => "En cours",
        ExportStatus.Done => "Prêt",
        ExportStatus.Failed => "Échec",
        _ => "Inconnu",
    };
}
