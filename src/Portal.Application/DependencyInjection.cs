using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.Fiches;
using Portal.Application.Features.Home;
using Portal.Application.Features.Identity;
using Portal.Application.Features.Pilotage;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Features.Sessions;

namespace Portal.Application;

public static class DependencyInjection
{
    /// <summary>Handlers are injected directly (no mediator); each opens its own context per call.</summary>
    public static IServiceCollection AddPortalApplication(this IServiceCollection services)
    {
        services.AddTransient<GetPrescriberDashboard.Handler>();
        services.AddTransient<GetTrainingBodySessions.Handler>();
        services.AddTransient<UpdateOpenPlaces.Handler>();
        services.AddTransient<GetCandidate.Handler>();
        services.AddTransient<GetPrescription.Handler>();
        services.AddTransient<ResolveUser.Handler>();
        services.AddTransient<GetOverview.Handler>();
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
        return services;
    }
}
