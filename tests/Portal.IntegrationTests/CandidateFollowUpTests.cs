using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Candidates;

namespace Portal.IntegrationTests;

/// <summary>A7, S7: the candidate's page over HTTP, without login: 200 with their follow-up, the same French 404 page for a dead link.</summary>
[Collection(PortalCollection.Name)]
public sealed class CandidateFollowUpTests(PortalFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A link for Nadia Chevalier (demo data), created now; <paramref name="revoked"/> revokes it at once.</summary>
    private async Task<string> LinkAsync(bool revoked = false)
    {
        var clock = factory.Services.GetRequiredService<TimeProvider>();
        return await factory.QueryAsync(async db =>
        {
            var nadia = await db.AllCandidates.Where(c => c.FirstName == "Nadia" && c.LastName == "Chevalier").Select(c => new { c.Id, c.ReferentUserId }).SingleAsync(Ct);
            var link = CandidateLink.Create(nadia.Id, nadia.ReferentUserId, clock.GetUtcNow(), TimeSpan.FromDays(30), out var token);
            if (revoked) link.Revoke(clock.GetUtcNow());
            db.AllCandidateLinks.Add(link);
            await db.SaveChangesAsync(Ct);
            return token;
        });
    }

    private async Task<(HttpStatusCode Status, string Text)> GetAsync(string url)
    {
        var response = await factory.CreateBrowser().GetAsync(url, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, WebUtility.HtmlDecode(body));
    }

    [Fact]
    public async Task FollowUp_ValidLink_AnonymousGet_ShowsTheCandidatesPage_A7()
    {
        var token = await LinkAsync();

        var (status, html) = await GetAsync($"/mon-suivi/{token}");

        status.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("Bonjour Nadia");
        html.ShouldContain("Vous n'êtes pas retenu pour cette formation.");
        html.ShouldContain("Prérequis non atteints : Projet professionnel dans la logistique validé");
        html.ShouldNotContain("Chevalier");
        html.ShouldContain("<meta name=\"referrer\" content=\"no-referrer\"");
    }

    [Fact]
    public async Task FollowUp_RevokedOrUnknownLink_Answers404_WithTheSameFrenchPage_A7()
    {
        var revoked = await LinkAsync(revoked: true);

        foreach (var url in new[] { $"/mon-suivi/{revoked}", "/mon-suivi/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })
        {
            var (status, html) = await GetAsync(url);
            status.ShouldBe(HttpStatusCode.NotFound, url);
            html.ShouldContain("Lien invalide ou expiré");
            html.ShouldNotContain("Nadia");
        }
    }
}
