using System.Reflection;
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
    /// <summary>
    /// Handlers are injected directly (no mediator); each opens its own context per call. Every use case's nested
    /// <c>Handler</c> and every <c>*Job</c> class is registered transient by one scan (issue #15: no list to forget a
    /// line in); a type that needs another lifetime is registered before the scan, which leaves it as it is.
    /// The container test (IntegrationTests/ContainerTests) resolves each one from the real host.
    /// </summary>
    public static IServiceCollection AddPortalApplication(this IServiceCollection services)
    {
        // Server-side sessions (issue #15, point 7; ADR 0018). UserSessionSettings is registered by the host (Auth:*).
        services.TryAddSingleton(UserSessionSettings.Default);
        services.TryAddSingleton<SessionTrustCache>();
        // Holds the reference lists in memory once read (see SearchFicheReferences).
        services.AddSingleton<SearchFicheReferences.Handler>();
        foreach (var type in HandlersAndJobs(typeof(DependencyInjection).Assembly))
            services.TryAddTransient(type);
        // Issue #12: the observatories' figures shared by their readers; the host sets the lifetime (Portal:ObservatoryCacheSeconds).
        services.TryAddSingleton(Features.Observatory.ObservatoryCacheSettings.Default);
        services.TryAddSingleton<Features.Observatory.ObservatoryResults>();
        // A7: the link's lifetime; the host replaces it with Portal:CandidateLinkDays.
        services.TryAddSingleton(CandidateLinkSettings.Default);
        AddExports(services);
        return services;
    }

    /// <summary>The nested classes named <c>Handler</c> and the classes named <c>*Job</c> (not the <c>Job</c> record of a fiche's jobs).</summary>
    private static IEnumerable<Type> HandlersAndJobs(Assembly assembly) =>
        assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
            && ((t.IsNested && t.Name == "Handler") || (t.Name.EndsWith("Job", StringComparison.Ordinal) && t.Name != "Job")));

    /// <summary>Q3, Q4: every exportable list (one <see cref="Export.IListExport"/> each), the export path and its jobs.</summary>
    private static void AddExports(IServiceCollection services)
    {
        services.AddTransient<Export.IListExport>(sp => new PrescriberDashboardExport(sp.GetRequiredService<GetPrescriberDashboard.Handler>(), sp.GetRequiredService<TimeProvider>(), wholeOrganisation: false));
        services.AddTransient<Export.IListExport>(sp => new PrescriberDashboardExport(sp.GetRequiredService<GetPrescriberDashboard.Handler>(), sp.GetRequiredService<TimeProvider>(), wholeOrganisation: true));
        services.AddTransient<Export.IListExport, SessionWaitlistExport>();
        services.AddTransient<Export.IListExport, SessionDecisionsExport>();
        services.AddTransient<Export.IListExport, ArbitrationsExport>();
        services.AddTransient<Export.IListExport, FichesToValidateExport>();
        services.AddTransient<Export.IListExport, Features.PersonalData.SensitiveReadsExport>();
        services.AddTransient<Export.IListExport, Features.Observatory.QualityAlertsExport>();
        services.AddTransient<Export.IListExport, Features.Access.UsersExport>();
        services.AddTransient<Export.IListExport, Features.Access.AuditExport>();
        services.AddTransient<Export.IListExport, Features.PersonalData.PersonalDataRegisterExport>();
        services.AddTransient<Features.Exports.ListExports>();
        services.AddTransient<Export.ExportWriter>();
    }
}
