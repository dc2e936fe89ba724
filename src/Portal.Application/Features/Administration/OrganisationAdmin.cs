using Portal.Application.Security;
using Portal.Domain.Organisations;

namespace Portal.Application.Features.Administration;

/// <summary>Who manages organisations: the administrator all of them; the Région the prescribers' habilitation (A1) and the MFE coverage (S10).</summary>
public static class OrganisationAdmin
{
    public static bool CanSeeOrganisations(this CurrentUser user) => user.Is(Role.Admin) || user.Is(Role.Region);

    public static void EnsureAdmin(CurrentUser user)
    {
        if (!user.Is(Role.Admin)) throw new AccessDeniedException("Seul l'administrateur du portail gère les organisations.");
    }

    public static void EnsureAdminOrRegion(CurrentUser user, string message)
    {
        if (!user.CanSeeOrganisations()) throw new AccessDeniedException(message);
    }

    public const string ConcurrentChange =
        "Cette organisation vient d'être modifiée par quelqu'un d'autre : rechargez la page et recommencez.";
}
