using Microsoft.EntityFrameworkCore;
using Portal.Application.Features.Home;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Testing;

namespace Portal.Application.Tests.Home;

/// <summary>"Mes candidats": a prescriber's own candidates; a référent may widen to the organisation (A2); never another organisation.</summary>
public sealed class GetPrescriberDashboardTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GetPrescriberDashboard.Handler Handler => new(fixture.Database, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DemoDatabase.SeededAt));

    private async Task<List<Guid>> CandidatesAsync(Func<Portal.Domain.Candidates.Candidate, bool> filter)
    {
        await using var db = fixture.Database.CreateDbContext();
        var all = await db.AllCandidates.AsNoTracking().ToListAsync();
        return [.. all.Where(filter).Select(c => c.Id)];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dashboard_OfAPrescriber_ShowsOnlyTheCandidatesTheyFollow_EvenWhenAskingForTheWholeOrganisation(bool wholeOrganisation)
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var followed = await CandidatesAsync(c => c.ReferentUserId == camille.UserId);

        var result = await Handler.HandleAsync(new GetPrescriberDashboard(wholeOrganisation), camille, Ct);

        result.Rows.Select(r => r.CandidateId).ShouldBe(followed, ignoreOrder: true);
        result.Total.ShouldBe(followed.Count);
    }

    [Fact]
    public async Task Dashboard_OfAReferent_WholeOrganisation_ShowsEveryCandidateOfTheOrganisation_A2()
    {
        var sophie = await fixture.UserAsync(TestUsers.Sophie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var organisation = await CandidatesAsync(c => c.OrganisationId == sophie.OrganisationId);

        var result = await Handler.HandleAsync(new GetPrescriberDashboard(WholeOrganisation: true), sophie, Ct);

        result.Rows.Select(r => r.CandidateId).ShouldBe(organisation, ignoreOrder: true);
        result.Total.ShouldBe(organisation.Count);
        // Including the candidates a colleague follows.
        result.Rows.ShouldContain(r => r.ReferentName == camille.DisplayName);
    }

    [Fact]
    public async Task Dashboard_OfAReferent_NotWholeOrganisation_ShowsTheCandidatesTheyFollow()
    {
        var sophie = await fixture.UserAsync(TestUsers.Sophie);
        var followed = await CandidatesAsync(c => c.ReferentUserId == sophie.UserId);

        var result = await Handler.HandleAsync(new GetPrescriberDashboard(WholeOrganisation: false), sophie, Ct);

        result.Rows.Select(r => r.CandidateId).ShouldBe(followed, ignoreOrder: true);
        result.Rows.ShouldAllBe(r => r.ReferentName == sophie.DisplayName);
    }

    [Theory]
    [InlineData(TestUsers.Sophie)]
    [InlineData(TestUsers.Karim)]
    [InlineData(TestUsers.Lucas)]
    [InlineData(TestUsers.Ines)]
    public async Task Dashboard_NeverReturnsACandidateOrAChoiceOfAnotherOrganisation(string local)
    {
        var user = await fixture.UserAsync(local);
        await using var db = fixture.Database.CreateDbContext();
        var foreignCandidates = await db.AllCandidates.Where(c => c.OrganisationId != user.OrganisationId).Select(c => c.Id).ToListAsync(Ct);
        var foreignPrescriptions = await db.AllPrescriptions.Where(p => p.PrescriberOrganisationId != user.OrganisationId).Select(p => p.Id).ToListAsync(Ct);
        foreignCandidates.ShouldNotBeEmpty();

        var result = await Handler.HandleAsync(new GetPrescriberDashboard(WholeOrganisation: true), user, Ct);

        result.Rows.ShouldNotBeEmpty();
        result.Rows.Select(r => r.CandidateId).ShouldBeSubsetOf(await CandidatesAsync(c => c.OrganisationId == user.OrganisationId));
        result.Rows.Select(r => r.CandidateId).Intersect(foreignCandidates).ShouldBeEmpty();
        result.Rows.SelectMany(r => r.Choices).Select(c => c.PrescriptionId).Intersect(foreignPrescriptions).ShouldBeEmpty();
    }

    [Fact]
    public async Task Dashboard_SearchingTheNameOfAnotherOrganisationsCandidate_FindsNothing()
    {
        var sophie = await fixture.UserAsync(TestUsers.Sophie);
        await using var db = fixture.Database.CreateDbContext();
        var ownNames = await db.AllCandidates.Where(c => c.OrganisationId == sophie.OrganisationId).Select(c => c.LastName).ToListAsync(Ct);
        var foreignName = (await db.AllCandidates.Where(c => c.OrganisationId != sophie.OrganisationId).Select(c => c.LastName).ToListAsync(Ct))
            .First(n => !ownNames.Any(o => o.Contains(n, StringComparison.OrdinalIgnoreCase)));

        var result = await Handler.HandleAsync(new GetPrescriberDashboard(WholeOrganisation: true, Search: foreignName), sophie, Ct);

        result.Rows.ShouldBeEmpty();
        result.Total.ShouldBe(0);
    }

    [Fact]
    public async Task Dashboard_Search_FiltersWithinTheScope()
    {
        var sophie = await fixture.UserAsync(TestUsers.Sophie);
        await using var db = fixture.Database.CreateDbContext();
        var target = await db.AllCandidates.Where(c => c.OrganisationId == sophie.OrganisationId).OrderBy(c => c.LastName).FirstAsync(Ct);
        var expected = await CandidatesAsync(c => c.OrganisationId == sophie.OrganisationId
            && (c.LastName.Contains(target.LastName, StringComparison.OrdinalIgnoreCase) || c.FirstName.Contains(target.LastName, StringComparison.OrdinalIgnoreCase)));

        var result = await Handler.HandleAsync(new GetPrescriberDashboard(WholeOrganisation: true, Search: $"  {target.LastName} "), sophie, Ct);

        result.Rows.Select(r => r.CandidateId).ShouldBe(expected, ignoreOrder: true);
        result.Rows.ShouldContain(r => r.CandidateId == target.Id);
    }

    [Fact]
    public async Task Dashboard_Rows_CarryEachCandidatesChoices_WithTheSessionsOpenPlaces_P6_O8()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        await using var db = fixture.Database.CreateDbContext();
        var expected = await db.AllPrescriptions
            .Where(p => db.AllCandidates.Any(c => c.Id == p.CandidateId && c.ReferentUserId == camille.UserId))
            .Join(db.Sessions, p => p.SessionId, s => s.Id, (p, s) => new { p.Id, p.CandidateId, s.OpenPlaces, s.Capacity })
            .ToListAsync(Ct);

        var result = await Handler.HandleAsync(new GetPrescriberDashboard(WholeOrganisation: false), camille, Ct);

        var choices = result.Rows.SelectMany(r => r.Choices.Select(c => new { c.PrescriptionId, r.CandidateId, c.OpenPlaces, c.Capacity })).ToList();
        choices.Select(c => (c.PrescriptionId, c.CandidateId, c.OpenPlaces, c.Capacity))
            .ShouldBe(expected.Select(e => (e.Id, e.CandidateId, e.OpenPlaces, e.Capacity)), ignoreOrder: true);
    }

    [Fact]
    public async Task Dashboard_Take_LimitsTheRows_ButNotTheTotal()
    {
        var sophie = await fixture.UserAsync(TestUsers.Sophie);

        var result = await Handler.HandleAsync(new GetPrescriberDashboard(WholeOrganisation: true, Take: 3), sophie, Ct);

        result.Rows.Count.ShouldBe(3);
        result.Total.ShouldBeGreaterThan(3);
        result.Rows.Select(r => r.LastName).ShouldBeInOrder(SortDirection.Ascending, StringComparer.Ordinal);
    }

    [Theory]
    [InlineData(TestUsers.Julie)]
    [InlineData(TestUsers.Claire)]
    [InlineData(TestUsers.Nicolas)]
    [InlineData(TestUsers.Aurelie)]
    public async Task Dashboard_IsRefusedOutsideThePrescriberSide(string local)
    {
        var user = await fixture.UserAsync(local);

        await Should.ThrowAsync<AccessDeniedException>(() => Handler.HandleAsync(new GetPrescriberDashboard(WholeOrganisation: true), user, Ct));
    }

    /// <summary>
    /// Issue #12: the dashboard's first page goes from the prerendering to the circuit as JSON; the computed properties
    /// (the latest change, a copy of a choice; the actions, a copy of the list) are left out and come back the same.
    /// </summary>
    [Fact]
    public void Row_AsJson_LeavesOutItsComputedProperties_AndReadsBackTheSame()
    {
        var changed = new DateTimeOffset(2027, 3, 10, 9, 0, 0, TimeSpan.Zero);
        var choice = new GetPrescriberDashboard.Choice(Guid.NewGuid(), 1, Portal.Domain.Prescriptions.PrescriptionStatus.Selected, Guid.NewGuid(), "Cariste",
            "Formapro Gironde", new DateOnly(2027, 4, 1), 3, 12, Portal.Domain.Offer.SessionStatus.Open, changed);
        var row = new GetPrescriberDashboard.Row(Guid.NewGuid(), "Durand", "Léa", "Bordeaux", "Camille Durand", [choice], ["Décision reçue : Retenue (Cariste)"]);

        var json = System.Text.Json.JsonSerializer.Serialize(row);
        foreach (var computed in new[] { "LastEvent", "NeedsAction", "ActiveChoices", "FormalName" })
            json.ShouldNotContain($"\"{computed}\"");
        var back = System.Text.Json.JsonSerializer.Deserialize<GetPrescriberDashboard.Row>(json)!;
        back.LastEvent.ShouldBe(choice);
        back.NeedsAction.ShouldBe(["Décision reçue : Retenue (Cariste)"]);
        back.ActiveChoices.ShouldBe(1);
        back.FormalName.ShouldBe("DURAND Léa");
    }
}
