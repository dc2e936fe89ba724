using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Features.Catalogue;
using Portal.Web.Tests.Infrastructure;
using Portal.Testing;

namespace Portal.Web.Tests.Features.Catalogue;

/// <summary>A fiche's public page, anonymous (O2, O4, O8, S12), on the shared demo database.</summary>
public sealed class CatalogueFichePageTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    private async Task<Guid> FicheIdAsync(string title)
    {
        await using var db = Database.CreateDbContext();
        return await db.FicheActions.Where(f => f.Title == title).Select(f => f.Id).SingleAsync(Cancellation);
    }

    [Fact]
    public async Task FichePage_Validated_ShowsContentCriteriaOneByOneAndItsSessions_S12_O8()
    {
        var id = await FicheIdAsync("Préparation au titre de cariste d'entrepôt (CACES R489)");

        var cut = Render<CatalogueFichePage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => cut.Find("h1").Shown().ShouldBe("Préparation au titre de cariste d'entrepôt (CACES R489)"));

        string[] expectedH2 = ["Objectifs", "Prérequis", "Comment se passe la sélection",
            "Accessibilité aux personnes en situation de handicap", "Sessions", "Contact"];
        expectedH2.ShouldBeSubsetOf(cut.FindAll("h2").Select(h => h.Shown()).ToList());
        cut.FindAll("[data-testid='selection-criteria'] li").Select(li => li.Shown())
            .ShouldBe(["Maîtrise des savoirs de base (lecture, calcul)", "Aptitude médicale au port de charges", "Projet professionnel dans la logistique validé"]);
        var session = cut.Find("[data-session-id]");   // one: the later session is still planned (O4)
        cut.FindAll("[data-session-id]").Count.ShouldBe(1);
        session.QuerySelector("h3")!.Shown().ShouldEndWith("à Mérignac");
        // O8: 12 places, 2 held by the candidates the demo selected on it: 10 open.
        session.QuerySelector("[data-testid='open-places']")!.Shown().ShouldBe("10 places ouvertes sur 12");
        session.Shown().ShouldContain("Inscriptions jusqu'au");
        session.Shown().ShouldMatch(@"Information collective le \d{2}/\d{2}/\d{4} à 09h00 : Formapro Gironde");
        cut.Markup.ShouldContain("Conduite d'engins de déplacement des charges (code ROME N1101)");
        Text.EnumNamesIn(string.Concat(cut.Nodes.Select(n => n.TextContent))).ShouldBeEmpty();
    }
}
