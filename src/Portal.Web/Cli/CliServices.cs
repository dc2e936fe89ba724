using Microsoft.Extensions.Logging.Abstractions;
using Portal.Application;
using Portal.Infrastructure;

namespace Portal.Web.Cli;

/// <summary>The services of the portal's command-line verbs: the web app's own configuration sources, without starting it.</summary>
internal static class CliServices
{
    /// <summary>
    /// The application and infrastructure services on the configured database (appsettings, environment variables and
    /// the <c>--Section:Key=value</c> arguments), never seeding the demo dataset and never running jobs.
    /// </summary>
    public static ServiceProvider Build(string[] settings)
    {
        var builder = WebApplication.CreateBuilder(settings);
        var options = PortalOptions.Read(builder.Configuration);
        options.SeedDemoData = false;
        options.JobsEnabled = false;
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddPortalApplication();
        services.AddPortalInfrastructure(options, builder.Environment.ContentRootPath);
        return services.BuildServiceProvider();
    }
}
