using Microsoft.AspNetCore.HttpOverrides;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Transforms;

namespace Portal.Gateway;

/// <summary>
/// Issue #16 (6), ADR 0023: YARP in front of several identical portal servers. Every path goes to the one cluster; a
/// browser is pinned to its server by a cookie (its Blazor circuit lives in that server's memory, and its WebSocket goes
/// there too); a server whose /health fails, or whose connections fail (passive health), gets no new browser, and a
/// browser pinned to it is given another one. The browser's Host header is kept (the portal's AllowedHosts and its OIDC
/// redirect addresses see the public name) and X-Forwarded-For / X-Forwarded-Proto are set, overwriting whatever the
/// client sent: the portal believes them from the addresses in its Proxy:KnownProxies only.
/// </summary>
public static class Gateway
{
    public const string ClusterId = "portal";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        var (routes, clusters) = Configuration(options);
        builder.Services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            .AddTransforms(context =>
            {
                context.AddOriginalHost(useOriginal: true);
                // Only the two headers the portal reads, each set from this connection (a client's own are dropped).
                context.UseDefaultForwarders = false;
                context.AddXForwardedFor(action: ForwardedTransformActions.Set);
                context.AddXForwardedProto(action: ForwardedTransformActions.Set);
            });
        var app = builder.Build();
        app.MapReverseProxy();
        return app;
    }

    /// <summary>The one route and the one cluster of the configured servers (a French message for a setting that cannot work).</summary>
    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Configuration(GatewayOptions options)
    {
        if (options.Servers.Length == 0)
            throw new InvalidOperationException("Gateway:Servers est vide : indiquez l'adresse d'au moins un serveur du portail (voir le README, « Plusieurs serveurs »).");
        foreach (var server in options.Servers)
        {
            if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new InvalidOperationException($"Gateway:Servers : « {server} » n'est pas une adresse http(s) absolue.");
        }
        if (string.IsNullOrWhiteSpace(options.AffinityCookie))
            throw new InvalidOperationException("Gateway:AffinityCookie est vide : le nom du cookie qui attache un navigateur à son serveur est obligatoire.");
        if (options.HealthInterval <= TimeSpan.Zero || options.HealthTimeout <= TimeSpan.Zero || options.ActivityTimeout <= TimeSpan.Zero)
            throw new InvalidOperationException("Gateway:HealthInterval, Gateway:HealthTimeout et Gateway:ActivityTimeout doivent être positifs.");
        if (options.PassiveReactivation < TimeSpan.Zero)
            throw new InvalidOperationException("Gateway:PassiveReactivation ne peut pas être négatif (00:00:00 désactive la surveillance passive).");

        var route = new RouteConfig
        {
            RouteId = "portal-all",
            ClusterId = ClusterId,
            Match = new RouteMatch { Path = "{**catch-all}" },
        };
        var cluster = new ClusterConfig
        {
            ClusterId = ClusterId,
            LoadBalancingPolicy = options.LoadBalancing,
            SessionAffinity = new SessionAffinityConfig
            {
                Enabled = true,
                Policy = "Cookie",
                // The pinned server is down: another one takes the browser (its circuit is lost; Blazor reloads the page).
                FailurePolicy = "Redistribute",
                AffinityKeyName = options.AffinityCookie,
                Cookie = new SessionAffinityCookieConfig
                {
                    HttpOnly = true,
                    IsEssential = true,
                    SameSite = SameSiteMode.Lax,
                    SecurePolicy = CookieSecurePolicy.SameAsRequest,
                    Path = "/",
                },
            },
            HealthCheck = new HealthCheckConfig
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = options.HealthInterval,
                    Timeout = options.HealthTimeout,
                    Policy = "ConsecutiveFailures",
                    Path = options.HealthPath,
                },
                // A dead server is seen by the requests sent to it (connection refused) long before two probes fail.
                Passive = options.PassiveReactivation > TimeSpan.Zero
                    ? new PassiveHealthCheckConfig
                    {
                        Enabled = true,
                        Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate,
                        ReactivationPeriod = options.PassiveReactivation,
                    }
                    : null,
            },
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = options.ActivityTimeout },
            Destinations = options.Servers
                .Select((address, i) => (Id: $"serveur-{i + 1}", Address: address))
                .ToDictionary(d => d.Id, d => new DestinationConfig { Address = d.Address }),
        };
        return ([route], [cluster]);
    }
}
