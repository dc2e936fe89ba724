using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Catalogue;
using Portal.Application.Tests.Support;
using Portal.Domain.Offer;
using Portal.Testing;

namespace Portal.Application.Tests.Catalogue;

/// <summary>A fiche's public page: validated fiches only (O2), selection criteria one by one (S12), visible sessions (O4, O8).</summary>
public sealed class GetCatalogueFicheTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GetCatalogueFiche.Handler Handler => new(fixture.Database, new FakeTimeProvider(DemoDatabase.SeededAt));

    private async Task<Guid> FicheIdAsync(string title)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.FicheActions.Where(f => f.Title == title).Select(f => f.Id).SingleAsync(Ct);
    }

    [Theory]
    [InlineData("Technicien d'assistance informatique")]               // draft
    [InlineData("Agent de restauration collective")]                   // submitted
    [InlineData("Remise à niveau vers les métiers de la logistique")]  // returned
    public async Task Fiche_NotValidated_IsNotFound_O2(string title)
    {
        var id = await FicheIdAsync(title);

        (await Handler.HandleAsync(new GetCatalogueFiche(id), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Fiche_Unknown_IsNotFound()
    {
        (await Handler.HandleAsync(new GetCatalogueFiche(Guid.NewGuid()), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Fiche_Validated_ShowsItsContentCriteriaOneByOneAndItsVisibleSessions_S12_O4()
    {
        var id = await FicheIdAsync("Préparation au titre de cariste d'entrepôt (CACES R489)");

        var fiche = (await Handler.HandleAsync(new GetCatalogueFiche(id), Ct)).ShouldNotBeNull();

        fiche.TrainingBodyName.ShouldBe("Formapro Gironde");
        fiche.Objectives.ShouldNotBeNullOrWhiteSpace();
        fiche.Prerequisites.ShouldContain("Savoir lire et compter");
        fiche.SelectionCriteria.ShouldBe(["Maîtrise des savoirs de base (lecture, calcul)", "Aptitude médicale au port de charges", "Projet professionnel dans la logistique validé"]);
        fiche.Jobs.ShouldBe([new GetCatalogueFiche.Job("N1101", "Conduite d'engins de déplacement des charges")]);
        fiche.TrainingPlaces.ShouldBe(["Mérignac"]);
        fiche.Accessibility.ShouldNotBeNullOrWhiteSpace();
        fiche.ContactEmail.ShouldContain("@");
        // Two sessions exist; the one starting in 150 days is still planned (O4).
        var session = fiche.Sessions.ShouldHaveSingleItem();
        session.Status.ShouldBe(SessionStatus.Open);
        session.CommuneName.ShouldBe("Mérignac");
        session.OpenPlaces.ShouldBe(10); // O8: 12 places, 2 held by the candidates the demo selected on it
        session.RegistrationDeadline.ShouldBe(session.Start.AddDays(-7));
        session.TakesRegistrations(fiche.Today).ShouldBeTrue();
        var meeting = session.InfoMeetings.ShouldHaveSingleItem();
        meeting.Kind.ShouldBe(InfoSessionKind.Collective);
        meeting.Place.ShouldContain("Mérignac");
    }
}
