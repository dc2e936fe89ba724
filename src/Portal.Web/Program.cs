using System.Globalization;
using Hangfire;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.FileProviders;
using MudBlazor.Services;
using Portal.Application;
using Portal.Infrastructure;
using Portal.Infrastructure.Identity;
using Portal.Infrastructure.Jobs;
using Portal.Infrastructure.Persistence;
using Portal.Web;
using Portal.Web.Api;
using Portal.Web.Auth;
using Portal.Web.Cli;
using Portal.Web.Components;
using Portal.Web.Features.Catalogue;
using Portal.Web.Features.FollowUp;

// `import-lheo FILE` and `export-lheo FILE`: run against the configured database, then exit (no web server).
if (LheoCommands.IsCommand(args))
    return await LheoCommands.RunAsync(args, Console.Out, Console.Error);
// `copy-to-postgresql CONNECTION_STRING`: copies the configured SQLite database into an empty PostgreSQL one (issue #16).
if (CopyDatabaseCommand.IsCommand(args))
    return await CopyDatabaseCommand.RunAsync(args, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
// Package assets (MudBlazor, blazor.web.js) from the build output in every environment, not only Development
// (a no-op in publish output, where they are files).
builder.WebHost.UseStaticWebAssets();

var portalOptions = PortalOptions.Read(builder.Configuration);
var oidcSettings = builder.Configuration.GetSection("Oidc").Get<OidcSettings>() ?? new OidcSettings();

builder.Services.AddPortalApplication();
builder.Services.AddPortalInfrastructure(portalOptions, builder.Environment.ContentRootPath);
builder.Services.AddPortalAuthentication(oidcSettings, AuthSettings.Read(builder.Configuration));
builder.Services.Configure<LogoutOptions>(builder.Configuration.GetSection("Oidc"));
if (oidcSettings.DevProvider) builder.Services.AddDevOidcProvider();

// Keys kept, not per process: in the data folder with SQLite, in the database with PostgreSQL so that every server
// reads the same ring (ADR 0022); a restart or a new machine does not log everyone out (TECH-NOTES).
builder.Services.AddPortalDataProtection(portalOptions, builder.Environment.ContentRootPath);

// Circuits for thousands of dashboards left open (ADR 0013); the public pages are static and hold none.
var circuits = CircuitSettings.Read(builder.Configuration);
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents(circuits.Apply)
    .AddHubOptions(circuits.Apply);
// The anonymous catalogue pages from memory, evicted by the offer's live events (ADR 0013).
builder.Services.AddCatalogueOutputCache();
// Messages at the bottom right, at most three at once: at the top they stacked over the screens' headings and actions.
builder.Services.AddMudServices(mud =>
{
    mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
    mud.SnackbarConfiguration.MaxDisplayedSnackbars = 3;
});
builder.Services.AddScoped<CurrentUserAccessor>();
builder.Services.AddProblemDetails();
// A body or parameter the API cannot bind is a French 400 in every environment, never a 500 (issue #15).
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
// /health (HealthResponse): one entry per shared dependency of the servers. The live backplane's check (issue #16,
// point 4) is added to this chain as "backplane".
builder.Services.AddHealthChecks()
    .AddDbContextCheck<PortalDbContext>("database")
    .AddCheck<HangfireHealthCheck>("hangfire")
    .AddCheck<BackplaneHealthCheck>("backplane");

var app = builder.Build();

await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
JobSchedule.Register(app.Services.GetRequiredService<IRecurringJobManager>(), portalOptions.JobSchedules);
if (oidcSettings.DevProvider)
{
    // The dev provider knows the portal as a client at every address it listens on.
    app.Lifetime.ApplicationStarted.Register(() =>
        DevOidcProvider.EnsureClientAsync(app.Services, app.Services.GetRequiredService<PortalOrigin>().All()).GetAwaiter().GetResult());
}

// Behind a reverse proxy: X-Forwarded-For/Proto are read from the proxies named in Proxy:KnownProxies only (none: ignored).
var knownProxies = builder.Configuration.GetSection("Proxy:KnownProxies").Get<string[]>() ?? [];
if (knownProxies.Length > 0)
{
    var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
    forwarded.KnownIPNetworks.Clear();
    forwarded.KnownProxies.Clear();
    foreach (var proxy in knownProxies) forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
    app.UseForwardedHeaders(forwarded);
}
app.UsePortalSecurityHeaders(oidcSettings.DevProvider ? null : oidcSettings.Authority);
// Issue #15 (4): a state change sent by another site is refused before any endpoint (cookies or not).
app.UsePortalSameOriginGuard();

var french = new CultureInfo("fr-FR");
app.UseRequestLocalization(new RequestLocalizationOptions
{
    DefaultRequestCulture = new RequestCulture(french),
    SupportedCultures = [french],
    SupportedUICultures = [french],
});

// Pages get French error and 404 pages; the API and non-GET requests keep their status and problem document.
app.UseWhen(ctx => IsPageRequest(ctx), page =>
{
    page.UseExceptionHandler("/erreur", createScopeForErrors: true);
    // The candidate's follow-up page (A7) is its own French 404 ("lien invalide ou expiré"), not "Page introuvable".
    page.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/mon-suivi"),
        pages => pages.UseStatusCodePagesWithReExecute("/introuvable", createScopeForStatusCodePages: true));
});
app.UseWhen(ctx => !IsPageRequest(ctx), api => api.UseExceptionHandler());
if (!app.Environment.IsDevelopment()) app.UseHsts();

// Brand assets (wwwroot-assets/) under /assets: copied next to the app in build and publish output.
var assets = Path.Combine(AppContext.BaseDirectory, "brand-assets");
if (Directory.Exists(assets))
    app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(assets), RequestPath = "/assets" });

// Explicit, after the error branches, so that their re-execution is routed again.
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
// After authentication: the catalogue's policy serves and stores anonymous requests only.
app.UseOutputCache();
app.UseAntiforgery();
app.UseCandidateFollowUpStatusCode();

app.MapStaticAssets();
app.MapPortalAuthEndpoints();
if (oidcSettings.DevProvider) app.MapDevOidcProvider();
app.MapPortalApi();
app.MapOrderApi();
app.MapObservatoryApi();
app.MapEosApi();
app.MapExportApi();
app.MapPersonalDataApi();
app.MapHealthChecks("/health", HealthResponse.Options);
app.MapHangfireDashboardWithAuthorizationPolicy(PortalPolicies.Admin, "/hangfire", new DashboardOptions
{
    DashboardTitle = "Tâches planifiées du portail",
    AppPath = "/",
});
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;

static bool IsPageRequest(HttpContext ctx) =>
    HttpMethods.IsGet(ctx.Request.Method) && !ctx.Request.Path.StartsWithSegments("/api") && !ctx.Request.Path.StartsWithSegments("/hangfire");

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
