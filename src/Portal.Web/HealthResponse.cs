using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Web;

/// <summary>/health: the database, the jobs storage (and any other registered check), as JSON.</summary>
public static class HealthResponse
{
    public static readonly HealthCheckOptions Options = new()
    {
        ResponseWriter = async (ctx, report) =>
        {
            ctx.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(ctx.Response.Body, new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
            });
        },
    };
}

/// <summary>
/// The jobs storage (ADR 0022): healthy when it answers and, if this server runs jobs, at least one Hangfire server is
/// alive on it (with several portal servers, every server sharing the PostgreSQL storage is counted).
/// </summary>
public sealed class HangfireHealthCheck(JobStorage storage, Portal.Infrastructure.PortalOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var kind = Portal.Infrastructure.Persistence.DatabaseProviders.Parse(options.DatabaseProvider) == Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql
            ? $"PostgreSQL, schéma {options.JobsSchema}"
            : "fichier SQLite";
        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            if (options.JobsEnabled && servers.Count == 0)
                return Task.FromResult(HealthCheckResult.Degraded($"Stockage des tâches ({kind}) : aucun serveur Hangfire actif."));
            return Task.FromResult(HealthCheckResult.Healthy($"Stockage des tâches ({kind}) : {servers.Count} serveur(s) Hangfire."));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Stockage des tâches ({kind}) injoignable.", ex));
        }
    }
}

/// <summary>
/// ADR 0023: the live backplane. One server (in-process): healthy, nothing to carry. PostgreSQL LISTEN/NOTIFY: healthy
/// while its listening connection is up and its last send went out; degraded while it reconnects (the pages still work,
/// the live updates from other servers wait, and the open screens reload once it is back).
/// </summary>
public sealed class BackplaneHealthCheck(Portal.Application.Abstractions.ILiveBackplane backplane) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(backplane switch
        {
            Portal.Infrastructure.Live.PostgresBackplane { IsListening: true, Problem: null } pg =>
                HealthCheckResult.Healthy($"PostgreSQL LISTEN/NOTIFY, canal {pg.Channel}."),
            Portal.Infrastructure.Live.PostgresBackplane pg =>
                HealthCheckResult.Degraded(pg.Problem ?? "Écoute des mises à jour en direct pas encore établie."),
            _ => HealthCheckResult.Healthy("Un seul serveur : événements en direct dans le processus."),
        });
}
