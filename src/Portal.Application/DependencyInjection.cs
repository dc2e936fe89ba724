using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.Home;
using Portal.Application.Features.Identity;
using Portal.Application.Features.Order;
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
        services.AddTransient<CreateLot.Handler>();
        services.AddTransient<AddTenderDocument.Handler>();
        services.AddTransient<DeclareLotUnsuccessful.Handler>();
        services.AddTransient<AwardLot.Handler>();
        services.AddTransient<GetAwardOptions.Handler>();
        services.AddTransient<GetRegionalOrder.Handler>();
        services.AddTransient<GetTenderDocument.Handler>();
        services.AddTransient<PublishSessionsJob>();
        services.AddTransient<CloseRegistrationsJob>();
        return services;
    }
}
