using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Common;
using Portal.Testing;
using Portal.Web.Features.Candidates;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Candidates;

/// <summary>One candidate, within the user's scope, on the shared demo database (reads only add RQTH read logs).</summary>
public sealed class CandidatePageTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    private IRenderedComponent<CandidatePage> RenderLoaded(Guid id)
    {
        var cut = Render<CandidatePage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.FindAll(".mud-progress-linear").ShouldBeEmpty());
        return cut;
    }

    [Fact]
    public async Task CandidatePage_OwnCandidate_ShowsNameAndChoicesWithFrenchStatuses()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        await using var db = Database.CreateDbContext();
        var candidate = await db.AllCandidates.Where(c => c.ReferentUserId == camille.UserId)
            .OrderByDescending(c => db.AllPrescriptions.Count(p => p.CandidateId == c.Id)).FirstAsync(Cancellation);
        var choices = await db.AllPrescriptions.Where(p => p.CandidateId == candidate.Id).OrderBy(p => p.Rank)
            .Select(p => new { p.Rank, p.Status }).ToListAsync(Cancellation);

        var cut = RenderLoaded(candidate.Id);

        cut.Find("h1").Shown().ShouldBe($"{candidate.FirstName} {candidate.LastName.ToUpperInvariant()}");
        choices.Count.ShouldBeGreaterThan(1);
        cut.FindAll(".mud-chip").Select(c => c.Shown()).ShouldBe(choices.Select(c => c.Status.Label()));
        cut.FindAll("strong").Select(s => s.Shown()).ShouldBe(choices.Select(c => $"{c.Rank}."));
        Text.EnumNamesIn(cut.Markup).ShouldBeEmpty();
    }

    [Fact]
    public async Task CandidatePage_AnotherOrganisationsCandidate_IsCandidatIntrouvable()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        await using var db = Database.CreateDbContext();
        var other = await db.AllCandidates.FirstAsync(c => c.OrganisationId != camille.OrganisationId, Cancellation);

        var cut = RenderLoaded(other.Id);

        cut.Find("h1").Shown().ShouldBe("Candidat introuvable");
        cut.Markup.ShouldNotContain(other.LastName.ToUpperInvariant());
        cut.Markup.ShouldNotContain(other.CommuneInsee);
    }

    [Fact]
    public async Task CandidatePage_UnknownId_IsCandidatIntrouvable()
    {
        await AuthorizeAsAsync(TestUsers.Camille);

        var cut = RenderLoaded(Guid.NewGuid());

        cut.Find("h1").Shown().ShouldBe("Candidat introuvable");
        cut.Find(".mud-alert").Shown().ShouldBe("Ce candidat n'existe pas ou n'est pas suivi par votre organisation.");
    }

    [Fact]
    public async Task CandidatePage_Anonymous_IsCandidatIntrouvable()
    {
        await using var db = Database.CreateDbContext();
        var any = await db.AllCandidates.FirstAsync(Cancellation);

        var cut = RenderLoaded(any.Id);

        cut.Find("h1").Shown().ShouldBe("Candidat introuvable");
    }

    [Fact]
    public async Task CandidatePage_TrainingBody_SeesOnlyThePrescriptionsOnItsOwnSessions()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        // A candidate with choices at Julie's OF and elsewhere.
        var candidateId = await db.AllCandidates
            .Where(c => db.AllPrescriptions.Any(p => p.CandidateId == c.Id && p.TrainingBodyId == julie.OrganisationId)
                     && db.AllPrescriptions.Any(p => p.CandidateId == c.Id && p.TrainingBodyId != julie.OrganisationId))
            .Select(c => c.Id).FirstAsync(Cancellation);
        var hers = await db.AllPrescriptions.Where(p => p.CandidateId == candidateId && p.TrainingBodyId == julie.OrganisationId)
            .OrderBy(p => p.Rank).Select(p => p.Rank).ToListAsync(Cancellation);

        var cut = RenderLoaded(candidateId);

        cut.FindAll("strong").Select(s => s.Shown()).ShouldBe(hers.Select(r => $"{r}."));
    }

    [Fact]
    public async Task CandidatePage_TrainingBody_CandidateNotPrescribedOnItsSessions_IsCandidatIntrouvable()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var other = await db.AllCandidates.Where(c => !db.AllPrescriptions.Any(p => p.CandidateId == c.Id && p.TrainingBodyId == julie.OrganisationId))
            .FirstAsync(Cancellation);

        var cut = RenderLoaded(other.Id);

        cut.Find("h1").Shown().ShouldBe("Candidat introuvable");
    }

    [Fact]
    public async Task CandidatePage_ReadingTheRqth_IsLoggedAtTheInjectedClocksTime()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(17));
        await using var db = Database.CreateDbContext();
        var candidate = await db.AllCandidates.FirstAsync(c => c.ReferentUserId == camille.UserId, Cancellation);

        RenderLoaded(candidate.Id);

        var reads = await db.AllSensitiveReads.Where(r => r.UserId == camille.UserId && r.CandidateId == candidate.Id).ToListAsync(Cancellation);
        reads.ShouldContain(r => r.Field == "RQTH" && r.At == Clock.GetUtcNow());
    }

    [Fact]
    public async Task CandidatePage_Under26_FollowsTheInjectedClock()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        await using var db = Database.CreateDbContext();
        // Bastien Moulin is 23 on the day the demo data is seeded.
        var bastien = await db.AllCandidates.SingleAsync(c => c.ReferentUserId == camille.UserId && c.LastName == "Moulin", Cancellation);

        RenderLoaded(bastien.Id).Find("td").Shown().ShouldEndWith("(moins de 26 ans)");

        Clock.Advance(TimeSpan.FromDays(3 * 366));
        await DisposeComponentsAsync();
        RenderLoaded(bastien.Id).Find("td").Shown().ShouldNotContain("moins de 26 ans");
    }
}
