using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.SignalR;

namespace Portal.Web;

/// <summary>
/// The Blazor Server circuit and SignalR hub options (section <c>Circuits</c>), set for thousands of dashboards left
/// open all day (issue #12, ADR 0013). Defaults here are the portal's; the framework's are in the comments.
/// </summary>
public sealed class CircuitSettings
{
    public const string Section = "Circuits";

    /// <summary>How long a disconnected circuit is kept for its browser to reconnect (framework: 3 minutes).</summary>
    public TimeSpan DisconnectedCircuitRetentionPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many disconnected circuits are kept at most (framework: 100).</summary>
    public int DisconnectedCircuitMaxRetained { get; set; } = 500;

    /// <summary>How long a call from .NET to the browser's JavaScript may wait (framework: 1 minute).</summary>
    public TimeSpan JSInteropDefaultCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Render batches sent to a browser and not yet acknowledged before rendering waits (framework: 10).</summary>
    public int MaxBufferedUnacknowledgedRenderBatches { get; set; } = 5;

    /// <summary>A browser silent this long is considered gone (SignalR, framework: 30 seconds).</summary>
    public TimeSpan ClientTimeoutInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the server pings an idle browser (SignalR, framework: 15 seconds).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The largest message a browser may send, in bytes (SignalR, framework: 32 KB). 512 KB: a circuit starts with the
    /// state its prerendering persisted (a dashboard page of 50 candidates is well above 32 KB), sent back by the browser.
    /// </summary>
    public long MaximumReceiveMessageSize { get; set; } = 512 * 1024;

    public static CircuitSettings Read(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<CircuitSettings>() ?? new CircuitSettings();

    public void Apply(CircuitOptions options)
    {
        options.DisconnectedCircuitRetentionPeriod = DisconnectedCircuitRetentionPeriod;
        options.DisconnectedCircuitMaxRetained = DisconnectedCircuitMaxRetained;
        options.JSInteropDefaultCallTimeout = JSInteropDefaultCallTimeout;
        options.MaxBufferedUnacknowledgedRenderBatches = MaxBufferedUnacknowledgedRenderBatches;
    }

    public void Apply(HubOptions options)
    {
        options.ClientTimeoutInterval = ClientTimeoutInterval;
        options.KeepAliveInterval = KeepAliveInterval;
        options.MaximumReceiveMessageSize = MaximumReceiveMessageSize;
    }
}
