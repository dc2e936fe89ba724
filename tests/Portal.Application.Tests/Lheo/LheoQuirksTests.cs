using Microsoft.EntityFrameworkCore;
using Portal.Application.Features.Lheo;
using Portal.Infrastructure.Lheo;
using Portal.Testing;
using static Portal.Application.Tests.Lheo.LheoFiles;

namespace Portal.Application.Tests.Lheo;

/// <summary>The quirks of real files (SOURCES.md) are tolerated, in 2.2 and 2.3 alike.</summary>
public sealed class LheoQuirksTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private async Task<ImportLheo.Result> ImportAsync(string xml)
    {
        await using var file = Text(xml);
        return await Importer(_database).HandleAsSystemAsync(new ImportLheo(file), cancellationToken: Ct);
    }

    private async Task<(Domain.Offer.FicheAction Fiche, List<Domain.Offer.TrainingSession> Sessions)> ImportedAsync()
    {
        await using var db = _database.CreateDbContext();
        var fiche = await db.FicheActions.AsNoTracking().SingleAsync(f => f.ExternalReference == "A-1", Ct);
        return (fiche, await db.Sessions.AsNoTracking().Where(s => s.FicheActionId == fiche.Id).ToListAsync(Ct));
    }

    [Theory]
    [InlineData(LheoXmlFormat.Namespace22)]
    [InlineData(LheoXmlFormat.Namespace23)]
    public async Task Import_BothVersions_AreAccepted(string ns)
    {
        var result = await ImportAsync(Minimal(ns: ns));

        (result.FichesCreated, result.SessionsCreated).ShouldBe((1, 1));
        var (fiche, sessions) = await ImportedAsync();
        fiche.Title.ShouldBe("Agent de propreté et d'hygiène");
        fiche.HoursInCentre.ShouldBe(400);
        sessions.Single().Start.ShouldBe(new DateOnly(2027, 1, 4));
    }

    [Fact]
    public async Task Import_UnknownStart00000000_SkipsTheSessionWithAWarning_ButKeepsTheFiche()
    {
        var result = await ImportAsync(Minimal(debut: "00000000"));

        result.FichesCreated.ShouldBe(1);
        result.SessionsCreated.ShouldBe(0);
        result.Warnings.ShouldBe(["Ligne 24 : session « S-1 » sans date de début connue (00000000) : non importée."]);
        (await ImportedAsync()).Sessions.ShouldBeEmpty();
    }

    [Fact]
    public async Task Import_UnknownEnd99999999_GivesAOneYearSession()
    {
        await ImportAsync(Minimal(debut: "20270104", fin: "99999999"));

        var session = (await ImportedAsync()).Sessions.Single();
        session.End.ShouldBe(new DateOnly(2028, 1, 3));
    }

    [Fact]
    public async Task Import_MonthDatesAAAAMM00_StartOnTheFirstAndEndOnTheLastDayOfTheMonth()
    {
        await ImportAsync(Minimal(debut: "20270200", fin: "20270600"));

        var session = (await ImportedAsync()).Sessions.Single();
        (session.Start, session.End).ShouldBe((new DateOnly(2027, 2, 1), new DateOnly(2027, 6, 30)));
        session.RegistrationDeadline.ShouldBe(new DateOnly(2027, 1, 31));
    }

    [Fact]
    public async Task Import_Insee00000_IsNotAPlace()
    {
        await ImportAsync(Minimal(insee: "00000"));

        var (fiche, sessions) = await ImportedAsync();
        fiche.TrainingPlaces.ShouldBeEmpty();
        sessions.Single().PlaceCommuneInsee.ShouldBe("");
    }

    [Fact]
    public async Task Import_EscapedHtml_BecomesPlainText()
    {
        await ImportAsync(Minimal(objectives: "&lt;p&gt;Devenir &lt;b&gt;agent&lt;/b&gt; &amp;amp; gagner en autonomie&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Nettoyer&lt;/li&gt;&lt;li&gt;Accueillir&lt;/li&gt;&lt;/ul&gt;"));

        (await ImportedAsync()).Fiche.Objectives.ShouldBe("Devenir agent & gagner en autonomie\n- Nettoyer\n- Accueillir");
    }

    [Fact]
    public async Task Import_DashPlaceholder_IsEmpty_AndRealTextIsKept()
    {
        await ImportAsync(Minimal(conditions: "Être inscrit à France Travail"));

        var fiche = (await ImportedAsync()).Fiche;
        fiche.Content.ShouldBe("");
        fiche.ExpectedResults.ShouldBe("");
        fiche.AdmissionConditions.ShouldBe("Être inscrit à France Travail");
    }

    [Theory]
    [InlineData("FR")]
    [InlineData("fr")]
    public async Task Import_LanguageInEitherCase_IsAccepted(string langue)
    {
        var result = await ImportAsync(Minimal(langue: langue));

        result.FichesCreated.ShouldBe(1);
    }

    [Theory]
    [InlineData("<br/>", "")]
    [InlineData("  -  ", "")]
    [InlineData("a&amp;nbsp;b", "a b")]
    [InlineData("<P>un</P><p>deux</p>", "un\ndeux")]
    [InlineData("l&apos;&eacute;t&eacute;", "l'été")]
    public void PlainText_RemovesMarkupAndPlaceholders(string raw, string expected) =>
        LheoXmlFormat.PlainText(System.Net.WebUtility.HtmlDecode(raw)).ShouldBe(expected);
}
