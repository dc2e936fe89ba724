using Microsoft.AspNetCore.Components.Authorization;
using Portal.Application.Security;

namespace Portal.Web;

/// <summary>The current user in components, from AuthenticationStateProvider (never HttpContext).</summary>
public sealed class CurrentUserAccessor(AuthenticationStateProvider provider)
{
    public async Task<CurrentUser?> GetAsync()
    {
        var state = await provider.GetAuthenticationStateAsync();
        return CurrentUser.FromPrincipal(state.User);
    }
}
