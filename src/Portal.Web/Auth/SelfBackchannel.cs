using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Portal.Web.Auth;

/// <summary>
/// ADR 0023: with the built-in OIDC provider behind a gateway (several servers, <c>Oidc:Authority</c> = the gateway's public
/// address), the OIDC handler's calls to the provider (metadata, keys, token) go to this very server instead of through
/// the gateway: the provider's keys are in each server's memory, and a call the gateway sent to the other server could
/// not redeem this server's code nor give its signing keys. The request keeps the public <c>Host</c>, so the provider
/// answers with the same issuer and addresses as the browser sees. Calls to any other address pass unchanged.
/// </summary>
public sealed class SelfBackchannel(Uri authority, IServer server) : DelegatingHandler(new HttpClientHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && Uri.Compare(uri, authority, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            && Self() is { } self && Uri.Compare(self, authority, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            request.Headers.Host = uri.Authority;
            // A gateway terminating TLS: the public scheme, believed when the loopback is in Proxy:KnownProxies.
            request.Headers.Remove("X-Forwarded-Proto");
            request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", uri.Scheme);
            request.RequestUri = new UriBuilder(uri) { Scheme = self.Scheme, Host = self.Host, Port = self.Port }.Uri;
        }
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>This server's first http address on the loopback or any interface (null before Kestrel listens).</summary>
    private Uri? Self()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
        if (address is null) return null;
        address = address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
        return Uri.TryCreate(address, UriKind.Absolute, out var self) ? self : null;
    }
}
