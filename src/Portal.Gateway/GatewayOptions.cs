namespace Portal.Gateway;

/// <summary>The "Gateway" section (ADR 0023; see src/Portal.Gateway/appsettings.json and the README, "Plusieurs serveurs").</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>The portal servers' addresses (http://127.0.0.1:5081 ...): every request goes to one of them.</summary>
    public string[] Servers { get; set; } = [];

    /// <summary>
    /// The cookie that pins a browser to its server, so that its Blazor circuit (and the WebSocket under it) stays where it
    /// was created. Its value names the server, protected by the gateway's own keys.
    /// </summary>
    public string AffinityCookie { get; set; } = ".Portal.Serveur";

    /// <summary>How a browser without the cookie (or whose server is down) is given a server: PowerOfTwoChoices, RoundRobin, LeastRequests...</summary>
    public string LoadBalancing { get; set; } = "PowerOfTwoChoices";

    /// <summary>The path each server's health is read from (the portal's /health: 200 while Healthy or Degraded).</summary>
    public string HealthPath { get; set; } = "/health";

    /// <summary>How often each server's health is read; a server failing twice in a row gets no new browser until it answers again.</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one health request may take.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Passive health, read from the forwarded requests themselves: a server whose connections fail (30 % of its requests
    /// of the last minute, once 10 were sent to it; YARP's transport failure rate policy) gets no browser for this long,
    /// without waiting for two failed probes (up to twice <see cref="HealthInterval"/>). YARP keeps it out for at least its
    /// detection window (one minute), whatever shorter period is set. Zero turns it off.
    /// </summary>
    public TimeSpan PassiveReactivation { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a forwarded request or WebSocket may stay silent (a circuit pings every 15 s: keep it above).</summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
