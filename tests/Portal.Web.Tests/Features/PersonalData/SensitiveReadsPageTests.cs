using Bunit;
using Portal.Application.Abstractions;
using Portal.Testing;
using Portal.Web.Features.PersonalData;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.PersonalData;

/// <summary>Issue #14 (4): the RQTH reads journal screen, for the administrator and a référent formation.</summary>
public sealed class SensitiveReadsPageTests : PortalTestContext
{
    // 10:15 UTC on 27 November 2026 is 11:15 in Paris (UTC+1).
    private static readonly DateTimeOffset ReadAt = new(2026, 11, 27, 10, 15, 0, TimeSpan.Zero);

    private async Task<(Guid Technowest, Guid Pau)> TwoReadsAsync()
    {
        var camille = await UserAsync(TestUsers.Camille);
        var lucas = await UserAsync(TestUsers.Lucas);
        var julie = await UserAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var technowest = db.AllCandidates.Where(c => c.OrganisationId == camille.OrganisationId).OrderBy(c => c.LastName).Select(c => c.Id).First();
        var pau = db.AllCandidates.Where(c => c.OrganisationId == lucas.OrganisationId).OrderBy(c => c.LastName).Select(c => c.Id).First();
        db.AllSensitiveReads.Add(new SensitiveReadLog { UserId = julie.UserId, CandidateId = technowest, Field = "RQTH", At = ReadAt });
        db.AllSensitiveReads.Add(new SensitiveReadLog { UserId = lucas.UserId, CandidateId = pau, Field = "RQTH", At = ReadAt.AddHours(-1) });
        await db.SaveChangesAsync(Cancellation);
        return (technowest, pau);
    }

    [Fact]
    public async Task TheAdministrator_SeesEveryRead_WithWhoAndWhenInParisTime()
    {
        var (technowest, pau) = await TwoReadsAsync();
        await AuthorizeAsAsync(TestUsers.Admin);

        var cut = Render<SensitiveReadsPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='read-candidate']").Count.ShouldBe(2));

        cut.Find("h1").TextContent.ShouldBe("Journal des consultations RQTH");
        var first = cut.FindAll("tbody tr")[0];
        first.TextContent.ShouldContain("27/11/2026 11:15");
        first.TextContent.ShouldContain("Julie Moreau");
        cut.FindAll("[data-testid='read-candidate']").Select(a => a.GetAttribute("href"))
            .ShouldBe([$"/candidats/{technowest}", $"/candidats/{pau}"]);
        cut.FindAll("[data-testid='export-csv']").Count.ShouldBe(1);
    }

    [Fact]
    public async Task AReferent_SeesTheReadsOfItsCandidatesOnly()
    {
        var (technowest, pau) = await TwoReadsAsync();
        await AuthorizeAsAsync(TestUsers.Sophie);

        var cut = Render<SensitiveReadsPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='read-candidate']").Count.ShouldBe(1));

        var links = cut.FindAll("[data-testid='read-candidate']").Select(a => a.GetAttribute("href")).ToList();
        links.ShouldBe([$"/candidats/{technowest}"]);
        links.ShouldNotContain($"/candidats/{pau}");
    }

    [Fact]
    public async Task ASearchWithNoMatch_SaysSoInFrench()
    {
        await TwoReadsAsync();
        await AuthorizeAsAsync(TestUsers.Admin);
        var cut = Render<SensitiveReadsPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='read-candidate']").Count.ShouldBe(2));

        cut.Find("input[data-testid='reads-search']").Change("Personne de ce nom");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => cut.Find("[data-testid='reads-empty']").TextContent.ShouldBe("Aucune consultation de la RQTH pour ces critères."));
        cut.FindAll("[data-testid='read-candidate']").ShouldBeEmpty();
    }
}
