using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Application.Features.Arbitrations;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.Catalogue;
using Portal.Application.Features.Eos;
using Portal.Application.Features.Fiches;
using Portal.Application.Features.FollowUp;
using Portal.Application.Features.Home;
using Portal.Application.Features.Identity;
using Portal.Application.Features.Lheo;
using Portal.Application.Features.Notifications;
using Portal.Application.Features.Order;
using Portal.Application.Features.Pilotage;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Features.Selection;
using Portal.Application.Features.Sessions;

namespace Portal.Application;

public static class DependencyInjection
{
    /// <summary>Handlers are injected directly (no mediator); each opens its own context per call.</summary>
    public static IServiceCollection AddPortalApplication(this IServiceCollection services)
    {
        services.AddTransient<GetPrescriberDashboard.Handler>();
        services.AddTransient<Features.Administration.SearchOrganisations.Handler>();
        services.AddTransient<Features.Administration.GetOrganisation.Handler>();
        services.AddTransient<Features.Administration.SaveOrganisation.Handler>();
        services.AddTransient<Features.Administration.ChangeHabilitation.Handler>();
        services.AddTransient<Features.Administration.NameDelegate.Handler>();
        services.AddTransient<Features.Administration.SetMfeCoverage.Handler>();
        services.AddTransient<Features.Administration.GetMyHabilitation.Handler>();
        services.AddTransient<GetTrainingBodySessions.Handler>();
        services.AddTransient<UpdateOpenPlaces.Handler>();
        services.AddTransient<CreateSession.Handler>();
        services.AddTransient<ChangeSessionStatus.Handler>();
        services.AddTransient<GetSessionFormOptions.Handler>();
        services.AddTransient<GetSessionWaitlist.Handler>();
        services.AddTransient<GetCandidate.Handler>();
        services.AddTransient<GetPrescription.Handler>();
        services.AddTransient<GetSessionPrescriptionFiches.Handler>();
        services.AddTransient<Prescribe.Handler>();
        services.AddTransient<CancelPrescription.Handler>();
        services.AddTransient<CreateCandidate.Handler>();
        services.AddTransient<UpdateCandidate.Handler>();
        services.AddTransient<Features.Observatory.GetAccessObservatory.Handler>();
        services.AddTransient<Features.Observatory.GetEvaluationReport.Handler>();
        services.AddTransient<Features.Observatory.GetQualityIndicators.Handler>();
        services.AddTransient<Features.Observatory.SetQualityThreshold.Handler>();
        services.AddTransient<Features.Observatory.GetQualityAlerts.Handler>();
        services.AddTransient<Features.Observatory.ForwardQualityAlert.Handler>();
        services.AddTransient<Features.Observatory.QualityAlertsJob>();
        services.AddTransient<GetPrescribableSessions.Handler>();
        services.AddTransient<OpenComplement.Handler>();
        services.AddTransient<PostComplementMessage.Handler>();
        services.AddTransient<SendComplementDocument.Handler>();
        services.AddTransient<GetComplementThread.Handler>();
        services.AddTransient<AddPrescriptionAttachment.Handler>();
        services.AddTransient<RecordEntry.Handler>();
        services.AddTransient<GetSessionDecisions.Handler>();
        services.AddTransient<DecideSelection.Handler>();
        services.AddTransient<OfferPlace.Handler>();
        services.AddTransient<AnswerPlaceOffer.Handler>();
        services.AddTransient<NotSelectCandidate.Handler>();
        services.AddTransient<MoveOnWaitlist.Handler>();
        services.AddTransient<RecordWithdrawal.Handler>();
        services.AddTransient<GetPrescriptionAttachment.Handler>();
        services.AddTransient<ExpirePreRegistrationsJob>();
        services.AddTransient<Portal.Application.Features.Selection.LapsePlaceOffersJob>();
        services.AddTransient<ResolveUser.Handler>();
        services.AddTransient<GetOverview.Handler>();
        services.AddTransient<SearchCatalogue.Handler>();
        services.AddTransient<GetCatalogueFiche.Handler>();
        services.AddTransient<SuggestCommunes.Handler>();
        services.AddTransient<SuggestJobs.Handler>();
        services.AddTransient<CreateLot.Handler>();
        services.AddTransient<AddTenderDocument.Handler>();
        services.AddTransient<DeclareLotUnsuccessful.Handler>();
        services.AddTransient<AwardLot.Handler>();
        services.AddTransient<GetAwardOptions.Handler>();
        services.AddTransient<GetRegionalOrder.Handler>();
        services.AddTransient<GetTenderDocument.Handler>();
        services.AddTransient<GetMyFiches.Handler>();
        services.AddTransient<GetFicheForEdit.Handler>();
        services.AddTransient<SaveFiche.Handler>();
        services.AddTransient<SubmitFiche.Handler>();
        services.AddTransient<GetFichesToValidate.Handler>();
        services.AddTransient<GetFicheReview.Handler>();
        services.AddTransient<ValidateFiche.Handler>();
        services.AddTransient<ReturnFiche.Handler>();
        // Holds the reference lists in memory once read (see SearchFicheReferences).
        services.AddSingleton<SearchFicheReferences.Handler>();
        services.AddTransient<PublishSessionsJob>();
        services.AddTransient<CloseRegistrationsJob>();
        services.AddTransient<SessionLifeJob>();
        services.AddTransient<ImportLheo.Handler>();
        services.AddTransient<ExportLheo.Handler>();
        services.AddTransient<StartLheoImport.Handler>();
        services.AddTransient<ImportLheoJob>();
        services.AddTransient<OpenArbitration.Handler>();
        services.AddTransient<ArgueArbitration.Handler>();
        services.AddTransient<ChangeMfeTerritory.Handler>();
        services.AddTransient<DecideArbitration.Handler>();
        services.AddTransient<GetArbitrations.Handler>();
        services.AddTransient<GetArbitrationCase.Handler>();
        services.AddTransient<GetPrescriptionArbitration.Handler>();
        // A7: the link's lifetime; the host replaces it with Portal:CandidateLinkDays.
        services.TryAddSingleton(CandidateLinkSettings.Default);
        services.AddTransient<CreateCandidateLink.Handler>();
        services.AddTransient<RevokeCandidateLink.Handler>();
        services.AddTransient<GetCandidateLinks.Handler>();
        services.AddTransient<GetCandidateFollowUp.Handler>();
        services.AddTransient<GetInfoSessions.Handler>();
        services.AddTransient<SaveInfoSession.Handler>();
        services.AddTransient<CancelInfoSession.Handler>();
        services.AddTransient<ConvokeCandidates.Handler>();
        services.AddTransient<RecordAttendances.Handler>();
        services.AddTransient<JustifyAbsence.Handler>();
        services.AddTransient<GetPrescriptionConvocation.Handler>();
        services.AddTransient<GetConvocationWarnings.Handler>();
        services.AddTransient<ConvocationWarningsJob>();
        services.AddTransient<GetSelectionCommission.Handler>();
        services.AddTransient<SaveSelectionCommission.Handler>();
        services.AddTransient<GetBusySessions.Handler>();
        services.AddTransient<SendPrescriberMailsJob>();
        services.AddTransient<SendCandidateConvocationsJob>();
        services.AddTransient<GetConvocationLetter.Handler>();
        services.AddTransient<GetMyPreferences.Handler>();
        services.AddTransient<SetEmailNotifications.Handler>();
        services.AddTransient<ImportEos.Handler>();
        services.AddTransient<GetEosCoherence.Handler>();
        services.AddTransient<ExportEosAnomalies.Handler>();
        services.AddTransient<RecordOfflineEntry.Handler>();
        services.AddTransient<GetOfflineEntries.Handler>();
        AddExports(services);
        return services;
    }

    /// <summary>Q3, Q4: every exportable list (one <see cref="Export.IListExport"/> each), the export path and its jobs.</summary>
    private static void AddExports(IServiceCollection services)
    {
        services.AddTransient<Export.IListExport>(sp => new PrescriberDashboardExport(sp.GetRequiredService<GetPrescriberDashboard.Handler>(), sp.GetRequiredService<TimeProvider>(), wholeOrganisation: false));
        services.AddTransient<Export.IListExport>(sp => new PrescriberDashboardExport(sp.GetRequiredService<GetPrescriberDashboard.Handler>(), sp.GetRequiredService<TimeProvider>(), wholeOrganisation: true));
        services.AddTransient<Export.IListExport, SessionWaitlistExport>();
        services.AddTransient<Export.IListExport, SessionDecisionsExport>();
        services.AddTransient<Export.IListExport, ArbitrationsExport>();
        services.AddTransient<Export.IListExport, FichesToValidateExport>();
        services.AddTransient<Export.IListExport, Features.Observatory.QualityAlertsExport>();
        services.AddTransient<Features.Exports.ListExports>();
        services.AddTransient<Export.ExportWriter>();
        services.AddTransient<Features.Exports.RequestExport.Handler>();
        services.AddTransient<Features.Exports.GetMyExports.Handler>();
        services.AddTransient<Features.Exports.GetExportFile.Handler>();
        services.AddTransient<Features.Exports.ExportJob>();
        services.AddTransient<Features.Exports.PurgeExportsJob>();
    }
}
