using Microsoft.EntityFrameworkCore;
using Portal.Application.Security;
using Portal.Domain.Organisations;
using Portal.Infrastructure.Seed;

namespace Portal.Testing;

/// <summary>Builds the <see cref="CurrentUser"/> of a demo account, as ResolveUser would after login.</summary>
public static class TestUsers
{
    public const string Camille = "camille.durand";      // prescripteur, Mission Locale Technowest (33)
    public const string Lucas = "lucas.martin";          // prescripteur, France Travail Pau Université (64)
    public const string Ines = "ines.petit";             // prescripteur, Cap Emploi Gironde (33)
    public const string Sophie = "sophie.bernard";       // référent formation, Mission Locale Technowest (33)
    public const string Karim = "karim.haddad";          // référent formation, France Travail Pau Université (64)
    public const string Julie = "julie.moreau";          // OF, Formapro Gironde (33)
    public const string Thomas = "thomas.laurent";       // OF, Béarn Formation Pro (64)
    public const string Claire = "claire.lefevre";       // Région
    public const string Nicolas = "nicolas.roux";        // CARIF-OREF
    public const string Aurelie = "aurelie.fournier";    // MFE du Médoc (33)
    public const string Pierre = "pierre.girard";        // MFE du Béarn (64)
    public const string Admin = "admin";                 // administrateur

    public static async Task<CurrentUser> ForAsync(TestDatabase database, string local)
    {
        await using var db = database.CreateDbContext();
        var email = DemoData.Email(local);
        var user = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Email == email);
        var orgId = user.Memberships.OrderBy(m => m.Role).First().OrganisationId;
        var org = await db.Organisations.SingleAsync(o => o.Id == orgId);
        return new CurrentUser(user.Id, user.DisplayName, org.Id, org.Name, org.Kind, org.TerritoryId,
            user.Memberships.Where(m => m.OrganisationId == orgId).Select(m => m.Role).ToHashSet());
    }
}
