using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Portal.Web.Auth;

/// <summary>
/// Where the portal is reachable: `Oidc:Authority` when the dev provider is used with an explicit
/// address, otherwise the addresses Kestrel listens on (so `dotnet run` and tests on a free port work).
/// </summary>
public sealed class PortalOrigin(IServer server, OidcSettings settings)
{
    public IReadOnlyList<string> All()
    {
        var origins = new List<string>();
        if (settings.Authority is { Length: > 0 } authority && settings.DevProvider) origins.Add(authority.TrimEnd('/'));
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal));
            origins.Add($"{uri.Scheme}://{uri.Authority}");
            if (uri.Host is "localhost") origins.Add($"{uri.Scheme}://127.0.0.1:{uri.Port}");
            if (uri.Host is "127.0.0.1") origins.Add($"{uri.Scheme}://localhost:{uri.Port}");
        }
        if (origins.Count == 0) origins.Add("https://localhost");
        return [.. origins.Distinct()];
    }

    /// <summary>The authority the OIDC handler talks to when the built-in provider is on.</summary>
    public string DevAuthority() => All()[0];
}
