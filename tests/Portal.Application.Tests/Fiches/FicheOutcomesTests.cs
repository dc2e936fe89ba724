using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Catalogue;
using Portal.Application.Features.Fiches;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Infrastructure.Live;
using Portal.Testing;

namespace Portal.Application.Tests.Fiches;

/// <summary>
/// P1, P2 (issue #13): the OF writes the débouchés and suites de parcours of its fiche; the public fiche and the
/// prescriber's choice of session carry them with the jobs, the admission conditions and the selection modalities.
/// </summary>
public sealed class FicheOutcomesTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);

    private const string Prospects = "Agent de propreté en entreprise, en collectivité ou à l'hôpital ; 40 offres par an sur le bassin.";
    private const string Paths = "Poursuite vers le titre d'agent machiniste ou le CQP chef d'équipe.";

    private SaveFiche.Handler Save => new(fixture.Database, _clock, new LiveNotifier(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance));

    [Fact]
    public async Task SaveFiche_KeepsTheDebouchesAndSuitesDeParcours_AndTheEditorReadsThemBack_P1()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);

        var saved = await Save.HandleAsync(FicheCommands.Complete(title: "Fiche P1") with { JobProspects = $"  {Prospects} ", FollowOnPaths = Paths }, julie, Ct);

        saved.Errors.ShouldBeEmpty();
        var edit = await new GetFicheForEdit.Handler(fixture.Database).HandleAsync(new GetFicheForEdit(saved.FicheId!.Value), julie, Ct);
        edit.Fields.JobProspects.ShouldBe(Prospects);
        edit.Fields.FollowOnPaths.ShouldBe(Paths);
    }

    [Fact]
    public async Task SaveFiche_TooLongDebouches_IsRefusedWithAFrenchMessage_AndNothingIsSaved_O2()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);

        var result = await Save.HandleAsync(FicheCommands.Complete(title: "Fiche trop longue") with { JobProspects = new string('a', 4001), FollowOnPaths = new string('b', 4001) }, julie, Ct);

        result.Errors[nameof(SaveFiche.JobProspects)].ShouldBe("Débouchés : 4000 caractères au plus.");
        result.Errors[nameof(SaveFiche.FollowOnPaths)].ShouldBe("Suites de parcours : 4000 caractères au plus.");
        await using var db = fixture.Database.CreateDbContext();
        (await db.FicheActions.AnyAsync(f => f.Title == "Fiche trop longue", Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task SaveFiche_TooLongContactFields_AreRefusedFieldByField_AndNothingIsSaved_Issue15()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);

        var result = await Save.HandleAsync(FicheCommands.Complete(title: "Fiche contact trop long") with
        {
            ContactPhone = new string('0', 31), ContactName = new string('n', 201), ContactEmail = new string('e', 250) + "@x.fr",
        }, julie, Ct);

        result.Errors[nameof(SaveFiche.ContactPhone)].ShouldBe("Téléphone du contact : 30 caractères au plus.");
        result.Errors[nameof(SaveFiche.ContactName)].ShouldBe("Nom du contact : 200 caractères au plus.");
        result.Errors[nameof(SaveFiche.ContactEmail)].ShouldBe("E-mail du contact : 254 caractères au plus.");
        await using var db = fixture.Database.CreateDbContext();
        (await db.FicheActions.AnyAsync(f => f.Title == "Fiche contact trop long", Ct)).ShouldBeFalse();
    }

    /// <summary>A published session of Julie's on a validated fiche with débouchés and suites de parcours.</summary>
    private async Task<(Guid FicheId, Guid SessionId)> PublishedWithOutcomesAsync(string title)
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var fiche = new Domain.Offer.FicheAction(julie.OrganisationId, title, Domain.Offer.EntryMode.Grouped, OfferBuilder.LongAgo);
        fiche.Describe("Obtenir le titre professionnel.", "Techniques de nettoyage.", "Savoirs de base.", "Demandeur d'emploi inscrit ; prescription obligatoire.",
            "Information collective puis entretien individuel.", ["Motivation pour le métier"], ["K2204"], 400, 140);
        fiche.DescribeOutcomes(Prospects, Paths);
        fiche.Submit(OfferBuilder.LongAgo.AddDays(1));
        fiche.Validate(OfferBuilder.LongAgo.AddDays(2));
        var session = new Domain.Offer.TrainingSession(fiche, new DateOnly(2027, 2, 1), new DateOnly(2027, 6, 1), new DateOnly(2027, 1, 20), 12, "33063");
        session.Publish(DemoDatabase.SeededAt);
        await using var db = fixture.Database.CreateDbContext();
        db.FicheActions.Add(fiche);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(Ct);
        return (fiche.Id, session.Id);
    }

    [Fact]
    public async Task PrescribableSession_CarriesJobsDebouchesSuitesAdmissionAndSelection_ForThePrescriber_P1_P2()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var (_, sessionId) = await PublishedWithOutcomesAsync("Agent de propreté Prescribable");

        var options = await new GetPrescribableSessions.Handler(fixture.Database).HandleAsync(new GetPrescribableSessions("propreté prescribable"), camille, Ct);

        var option = options.ShouldHaveSingleItem();
        option.SessionId.ShouldBe(sessionId);
        option.Jobs.ShouldBe(["Nettoyage de locaux (K2204)"]);
        option.JobProspects.ShouldBe(Prospects);
        option.FollowOnPaths.ShouldBe(Paths);
        option.AdmissionConditions.ShouldBe("Demandeur d'emploi inscrit ; prescription obligatoire.");
        option.SelectionModalities.ShouldBe("Information collective puis entretien individuel.");
    }

    [Fact]
    public async Task PublicFiche_CarriesTheDebouchesAndSuitesDeParcours_P1()
    {
        var (ficheId, _) = await PublishedWithOutcomesAsync("Agent de propreté Catalogue");

        var details = await new GetCatalogueFiche.Handler(fixture.Database, _clock).HandleAsync(new GetCatalogueFiche(ficheId), Ct);

        details.ShouldNotBeNull();
        details.JobProspects.ShouldBe(Prospects);
        details.FollowOnPaths.ShouldBe(Paths);
    }
}
