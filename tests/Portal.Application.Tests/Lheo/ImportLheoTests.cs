using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.Lheo;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Testing;
using static Portal.Application.Tests.Lheo.LheoFiles;

namespace Portal.Application.Tests.Lheo;

/// <summary>
/// LHEO import of the two real samples: draft fiches (the Région validates them, O2) and planned sessions of the
/// OF named by its SIRET, created when unknown; a re-import never duplicates. Each test has its own database.
/// </summary>
public sealed class ImportLheoTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private async Task<ImportLheo.Result> ImportAsync(string sample)
    {
        await using var file = Sample(sample);
        return await Importer(_database).HandleAsSystemAsync(new ImportLheo(file), cancellationToken: Ct);
    }

    private async Task<FicheAction> FicheAsync(string externalReference)
    {
        await using var db = _database.CreateDbContext();
        return await db.FicheActions.AsNoTracking().SingleAsync(f => f.ExternalReference == externalReference, Ct);
    }

    private async Task<TrainingSession> SessionOfAsync(Guid ficheId)
    {
        await using var db = _database.CreateDbContext();
        return await db.Sessions.AsNoTracking().SingleAsync(s => s.FicheActionId == ficheId, Ct);
    }

    private async Task<Organisation> OrganisationAsync(string siret)
    {
        await using var db = _database.CreateDbContext();
        return await db.Organisations.AsNoTracking().SingleAsync(o => o.Siret == siret, Ct);
    }

    [Fact]
    public async Task Import_OnisepSample_CreatesADraftFiche_WithTheFieldsMappedAsPlainText_O2()
    {
        var result = await ImportAsync(Onisep);

        result.FichesCreated.ShouldBe(1);
        var fiche = await FicheAsync("9436_18706");
        fiche.Status.ShouldBe(FicheStatus.Draft);
        fiche.Title.ShouldBe("BTS négociation et relation client");
        fiche.Objectives.ShouldStartWith("A la fois vendeur, manager et commercial");
        fiche.Objectives.ShouldNotContain("<p>");
        fiche.Content.ShouldContain("\n- Gestion de clientèles");
        fiche.Content.ShouldNotContain("<li>");
        fiche.ExpectedResults.ShouldStartWith("Les objectifs :\nCe BTS forme des managers de la vente");
        fiche.CertificationRncp.ShouldBe("474");
        fiche.CertificationLevel.ShouldBe("Niveau III (BTS, DUT)");
        fiche.RomeCodes.ShouldBe(["D1402", "D1403", "D1408"]);
        fiche.TrainingPlaces.ShouldBe(["29233"]);
        fiche.EntryMode.ShouldBe(EntryMode.Grouped);
        // "-" fills the mandatory conditions: nothing to show, the OF completes its draft.
        fiche.Prerequisites.ShouldBe("");
        fiche.AdmissionConditions.ShouldBe("");
        // No contact in the formation: the organisation's.
        fiche.ContactEmail.ShouldBe("ce.0290076a@ac-rennes.fr");
        fiche.ContactPhone.ShouldBe("02 98 96 48 00");
        fiche.SearchText.ShouldContain("negociation");
    }

    [Fact]
    public async Task Import_OnisepSample_CreatesAPlannedSession_WithItsDatesAndPlace_O4()
    {
        await ImportAsync(Onisep);

        var fiche = await FicheAsync("9436_18706");
        var session = await SessionOfAsync(fiche.Id);
        session.Status.ShouldBe(SessionStatus.Planned);
        session.ExternalReference.ShouldBe("9436_18706");
        session.Start.ShouldBe(new DateOnly(2015, 9, 1));
        session.End.ShouldBe(new DateOnly(2017, 8, 31));
        session.RegistrationDeadline.ShouldBe(new DateOnly(2015, 8, 31));
        session.Capacity.ShouldBe(ImportLheo.DefaultCapacity);
        session.OpenPlaces.ShouldBe(ImportLheo.DefaultCapacity);
        session.PlaceCommuneInsee.ShouldBe("29233");
        session.OrganisationId.ShouldBe(fiche.OrganisationId);
    }

    [Fact]
    public async Task Import_DaeuSample_CreatesTheUnknownTrainingBodyBySiret_WithItsAddress()
    {
        var result = await ImportAsync(Daeu);

        result.OrganisationsCreated.ShouldBe(1);
        var organisation = await OrganisationAsync(DaeuSiret);
        organisation.Kind.ShouldBe(OrganisationKind.TrainingBody);
        organisation.Name.ShouldBe("Université de Toulouse Jean Jaurès Service de la Formation Continue");
        organisation.Address.ShouldBe("5 allées Antonio Machado\n31500 Toulouse");
        // Haute-Garonne (31) is not a territory of the portal: the first département territory (Gironde, 33).
        await using var db = _database.CreateDbContext();
        (await db.Territories.SingleAsync(t => t.Id == organisation.TerritoryId, Ct)).Code.ShouldBe("33");
        (await FicheAsync("15_927411")).OrganisationId.ShouldBe(organisation.Id);
    }

    [Fact]
    public async Task Import_OnisepSample_UsesTheNomOrganisme_WhenTheRaisonSocialeIsAPlaceholder()
    {
        await ImportAsync(Onisep);

        var organisation = await OrganisationAsync(OnisepSiret);
        organisation.Name.ShouldBe("Lycée Kerneuzec");
        organisation.Address.ShouldBe("Kerneuzec\n29391 QUIMPERLÉ");
    }

    [Fact]
    public async Task Import_NewTrainingBody_GetsTheTerritoryOfItsPostcodesDepartement()
    {
        await using var file = Text(Minimal(siret: "12345678900012"));

        await Importer(_database).HandleAsSystemAsync(new ImportLheo(file), cancellationToken: Ct);

        var organisation = await OrganisationAsync("12345678900012");
        organisation.Name.ShouldBe("Organisme du test");
        await using var db = _database.CreateDbContext();
        (await db.Territories.SingleAsync(t => t.Id == organisation.TerritoryId, Ct)).Code.ShouldBe("64");
    }

    [Fact]
    public async Task Import_DaeuSample_MapsContactsHoursAndTheEscapedBreaks()
    {
        await ImportAsync(Daeu);

        var fiche = await FicheAsync("15_927411");
        fiche.Title.ShouldBe("Diplôme d'accès aux études universitaires, option a, cours en présentiel");
        fiche.Objectives.Split('\n').ShouldBe([
            "* être titulaire d'un diplôme national équivalent au Baccalauréat",
            "- accéder à l'enseignement supérieur",
            "- présenter des concours de la fonction publique de catégorie B",
            "- faire une remise à niveau des connaissances"]);
        fiche.Content.ShouldBe("");
        fiche.ExpectedResults.ShouldBe("DAEU A");
        fiche.ContactEmail.ShouldBe("daeu@univ-tlse2.fr");
        fiche.ContactPhone.ShouldBe("0561504718");
        fiche.HoursInCentre.ShouldBe(250);
        fiche.CertificationRncp.ShouldBe("28217");
        fiche.CertificationLevel.ShouldBe("Niveau IV (baccalauréat)");
        fiche.Prerequisites.ShouldStartWith("Inscription entre avril et juin : dossier à constituer\navoir interrompu");
        fiche.TrainingPlaces.ShouldBe(["31555"]);
        var session = await SessionOfAsync(fiche.Id);
        (session.Start, session.End).ShouldBe((new DateOnly(2018, 10, 1), new DateOnly(2019, 5, 24)));
        session.ExternalReference.ShouldBe("927411");
    }

    [Fact]
    public async Task Import_TheSameFileTwice_UpdatesTheDraft_AndDuplicatesNothing()
    {
        var first = await ImportAsync(Daeu);
        var afterFirst = await SnapshotAsync(_database);

        var second = await ImportAsync(Daeu);

        (first.FichesCreated, first.SessionsCreated, first.OrganisationsCreated).ShouldBe((1, 1, 1));
        (second.FichesCreated, second.FichesUpdated, second.SessionsCreated, second.SessionsUnchanged, second.OrganisationsCreated).ShouldBe((0, 1, 0, 1, 0));
        (await SnapshotAsync(_database)).ShouldBe(afterFirst);
        second.Summary.ShouldBe("Import LHEO terminé : 0 fiche(s) action créée(s), 1 mise(s) à jour, 0 inchangée(s) ; 0 session(s) créée(s), 1 déjà présente(s) ; 0 organisme(s) de formation créé(s).");
    }

    [Fact]
    public async Task Import_TheSameActionTwiceInOneFile_CreatesOneFicheAndOneSession()
    {
        var xml = Minimal();
        var formation = xml[xml.IndexOf("<formation ", StringComparison.Ordinal)..(xml.IndexOf("</formation>", StringComparison.Ordinal) + "</formation>".Length)];
        await using var file = Text(xml.Replace("</formation>", "</formation>\n" + formation, StringComparison.Ordinal));

        var result = await Importer(_database).HandleAsSystemAsync(new ImportLheo(file), cancellationToken: Ct);

        (result.FichesCreated, result.FichesUpdated, result.SessionsCreated, result.SessionsUnchanged).ShouldBe((1, 1, 1, 1));
        await using var db = _database.CreateDbContext();
        (await db.FicheActions.CountAsync(f => f.ExternalReference == "A-1", Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task Reimport_OfAFicheSubmittedToTheRegion_LeavesItUnchanged_O2()
    {
        await ImportAsync(Daeu);
        await using (var db = _database.CreateDbContext())
        {
            var fiche = await db.FicheActions.SingleAsync(f => f.ExternalReference == "15_927411", Ct);
            fiche.Rename("DAEU A revu par l'organisme", EntryMode.Grouped);
            fiche.Describe("Objectifs", "Contenu", "Prérequis", "Conditions", "Entretien", ["Motivation"], ["K2111"], 250, 0);
            fiche.Submit(TestDatabase.DefaultNow);
            await db.SaveChangesAsync(Ct);
        }

        var result = await ImportAsync(Daeu);

        result.FichesUnchanged.ShouldBe(1);
        var stored = await FicheAsync("15_927411");
        stored.Title.ShouldBe("DAEU A revu par l'organisme");
        stored.Status.ShouldBe(FicheStatus.Submitted);
    }

    [Fact]
    public async Task Import_ByATrainingBody_OfItsOwnSiret_CreatesItsDraftFiche()
    {
        var julie = await TestUsers.ForAsync(_database, TestUsers.Julie);
        await using var file = Text(Minimal(siret: FormaproSiret));

        var result = await Importer(_database).HandleAsync(new ImportLheo(file), julie, cancellationToken: Ct);

        result.FichesCreated.ShouldBe(1);
        result.OrganisationsCreated.ShouldBe(0);
        (await FicheAsync("A-1")).OrganisationId.ShouldBe(julie.OrganisationId);
    }

    [Fact]
    public async Task Import_ByATrainingBody_OfAnotherSiret_IsRefusedInFrench_AndChangesNothing()
    {
        var julie = await TestUsers.ForAsync(_database, TestUsers.Julie);
        var before = await SnapshotAsync(_database);
        await using var file = Sample(Daeu);

        var ex = await Should.ThrowAsync<AccessDeniedException>(() => Importer(_database).HandleAsync(new ImportLheo(file), julie, cancellationToken: Ct));

        ex.Message.ShouldStartWith("Ligne 4 : l'offre est celle du SIRET 19311383400389, pas celui de votre organisme (52345678900011).");
        (await SnapshotAsync(_database)).ShouldBe(before);
    }

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Claire)]
    public async Task Import_ByAUserWhoIsNeitherAdminNorTrainingBody_IsRefused(string local)
    {
        var user = await TestUsers.ForAsync(_database, local);
        var before = await SnapshotAsync(_database);
        await using var file = Sample(Daeu);

        await Should.ThrowAsync<AccessDeniedException>(() => Importer(_database).HandleAsync(new ImportLheo(file), user, cancellationToken: Ct));

        (await SnapshotAsync(_database)).ShouldBe(before);
    }

    [Fact]
    public async Task Import_ByAnAdmin_OfAnySiret_IsAccepted()
    {
        var admin = await TestUsers.ForAsync(_database, TestUsers.Admin);
        await using var file = Sample(Onisep);

        var result = await Importer(_database).HandleAsync(new ImportLheo(file), admin, cancellationToken: Ct);

        result.FichesCreated.ShouldBe(1);
    }

    [Fact]
    public async Task Import_SiretOfAnOrganisationThatIsNotATrainingBody_IsRefused_AndChangesNothing()
    {
        var before = await SnapshotAsync(_database);
        await using var file = Text(Minimal(siret: "41234567800015")); // Mission Locale Technowest

        var ex = await Should.ThrowAsync<LheoFormatException>(() => Importer(_database).HandleAsSystemAsync(new ImportLheo(file), cancellationToken: Ct));

        ex.Message.ShouldContain("n'est pas un organisme de formation");
        (await SnapshotAsync(_database)).ShouldBe(before);
    }

    [Fact]
    public async Task Import_ReportsItsStepsInFrench()
    {
        var steps = new List<string>();
        await using var file = Sample(Onisep);

        await Importer(_database).HandleAsSystemAsync(new ImportLheo(file), new SyncProgress(steps.Add), Ct);

        steps.ShouldBe([
            "Lecture et validation du fichier…",
            "Fichier LHEO 2.2 valide : 1 formation(s).",
            "Formation 1/1 préparée : BTS négociation et relation client",
            "Enregistrement…"]);
    }

    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
