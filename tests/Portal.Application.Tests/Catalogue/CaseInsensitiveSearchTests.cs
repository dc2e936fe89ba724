using Portal.Application.Features.Administration;
using Portal.Application.Features.Catalogue;
using Portal.Testing;

namespace Portal.Application.Tests.Catalogue;

/// <summary>
/// The searches find a name whatever its case, on both providers (ADR 0021): SQLite's LIKE ignores the case of ASCII
/// letters, PostgreSQL's does not, so the searches compare lower-cased text.
/// </summary>
public class CaseInsensitiveSearchTests : IAsyncLifetime
{
    /// <summary>SQLite here, PostgreSQL in <see cref="CaseInsensitiveSearchTestsOnPostgreSql"/>.</summary>
    protected virtual Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.Sqlite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync(Provider);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData("bordeaux")]
    [InlineData("BORDEAUX")]
    [InlineData("Bordeaux")]
    public async Task ACommune_IsFound_WhateverTheCaseTyped(string typed)
    {
        var found = await new SuggestCommunes.Handler(_db).HandleAsync(new SuggestCommunes(typed), Ct);

        found.Select(c => c.InseeCode).ShouldContain("33063");
    }

    [Theory]
    [InlineData("maçonnerie")]
    [InlineData("MAÇONNERIE")]
    public async Task AJob_IsFound_WhateverTheCaseTyped(string typed)
    {
        var found = await new SuggestJobs.Handler(_db).HandleAsync(new SuggestJobs(typed), Ct);

        found.ShouldContain("F1703 – Maçonnerie");
    }

    [Fact]
    public async Task AnOrganisation_IsFound_InLowerCase()
    {
        var admin = await TestUsers.ForAsync(_db, TestUsers.Admin);

        var found = await new SearchOrganisations.Handler(_db).HandleAsync(new SearchOrganisations("formapro"), admin, Ct);

        found.Rows.Select(r => r.Name).ShouldContain("Formapro Gironde");
    }
}

public sealed class CaseInsensitiveSearchTestsOnPostgreSql : CaseInsensitiveSearchTests
{
    protected override Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql;
}
