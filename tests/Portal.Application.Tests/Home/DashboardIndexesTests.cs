using Portal.Testing;

namespace Portal.Application.Tests.Home;

/// <summary>
/// Issue #12 (4): "Mes candidats" counts the prescriber's candidates within the access scope (their organisation) on every
/// page. SQLite must count them from the index alone: with the organisation read from each candidate's row, the count of
/// 1,296 candidates took 4 ms of the dashboard's 8.5 ms of SQL at 1M prescriptions.
/// </summary>
public sealed class DashboardIndexesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("SELECT COUNT(*) FROM \"Candidates\" AS c WHERE c.\"OrganisationId\" = 'o' AND c.\"ReferentUserId\" = 'u'")]
    [InlineData("SELECT COUNT(*) FROM \"Candidates\" AS c WHERE c.\"OrganisationId\" = 'o' AND c.\"ReferentUserId\" = 'u' AND (lower(c.\"LastName\") LIKE '%du%' OR lower(c.\"FirstName\") LIKE '%du%')")]
    public async Task PrescribersCandidates_AreCountedFromTheIndexAlone_Issue12_4(string count)
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);

        var plan = await database.QueryPlanAsync(count, Ct);

        plan.ShouldBe(["SEARCH c USING COVERING INDEX IX_Candidates_ReferentUserId_OrganisationId_LastName_FirstName (ReferentUserId=? AND OrganisationId=?)"]);
    }
}
