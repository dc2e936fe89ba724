using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Fiches;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Infrastructure.Live;
using Portal.Testing;

namespace Portal.Application.Tests.Fiches;

/// <summary>O2, S12: the OF writes and submits its fiches; the Région validates or returns them, comparing versions.</summary>
public sealed class FicheWorkflowTests : IClassFixture<DemoDatabase>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DemoDatabase _fixture;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);
    private readonly RecordingNotifier<FicheStatusChanged> _recording = new();

    public FicheWorkflowTests(DemoDatabase fixture)
    {
        _fixture = fixture;
    }

    public void Dispose() => _recording.Dispose();

    private LiveNotifier Notifier => _recording.Notifier;

    private ConcurrentQueue<FicheStatusChanged> Published => _recording.Published;

    private TestDatabase Database => _fixture.Database;

    private SaveFiche.Handler Save => new(Database, _clock, Notifier);
    private SubmitFiche.Handler Submit => new(Database, _clock, Notifier);
    private ValidateFiche.Handler Validate => new(Database, _clock, Notifier);
    private ReturnFiche.Handler Return => new(Database, _clock, Notifier);
    private GetMyFiches.Handler MyFiches => new(Database);
    private GetFicheForEdit.Handler ForEdit => new(Database);
    private GetFichesToValidate.Handler ToValidate => new(Database);
    private GetFicheReview.Handler Review => new(Database);

    private Task<CurrentUser> Julie => _fixture.UserAsync(TestUsers.Julie);
    private Task<CurrentUser> Thomas => _fixture.UserAsync(TestUsers.Thomas);
    private Task<CurrentUser> Claire => _fixture.UserAsync(TestUsers.Claire);

    private async Task<Guid> NewDraftAsync(SaveFiche? command = null)
    {
        var result = await Save.HandleAsync(command ?? FicheCommands.Complete(title: $"Fiche {Guid.NewGuid():N}"), await Julie, Ct);
        result.Errors.ShouldBeEmpty();
        return result.FicheId!.Value;
    }

    private async Task<FicheAction> StoredAsync(Guid id)
    {
        await using var db = Database.CreateDbContext();
        return await db.FicheActions.AsNoTracking().Include(f => f.Versions).SingleAsync(f => f.Id == id, Ct);
    }

    // ---- Saving (O2, S12) ----

    [Fact]
    public async Task SaveFiche_NewByTheOrganisme_IsADraftWithEveryField_O2()
    {
        var julie = await Julie;
        _clock.Advance(TimeSpan.FromHours(2));

        var result = await Save.HandleAsync(FicheCommands.Complete() with { RomeCodes = [" k2204 "], CertificationRncp = "rncp34325" }, julie, Ct);

        result.Succeeded.ShouldBeTrue();
        var fiche = await StoredAsync(result.FicheId!.Value);
        fiche.OrganisationId.ShouldBe(julie.OrganisationId);
        fiche.Status.ShouldBe(FicheStatus.Draft);
        fiche.Title.ShouldBe("Agent de propreté et d'hygiène");
        fiche.Prerequisites.ShouldBe("Savoirs de base.");
        fiche.RomeCodes.ShouldBe(["K2204"]);
        fiche.CertificationRncp.ShouldBe("RNCP34325");
        fiche.CertificationLevel.ShouldBe("Niveau 3 (CAP, BEP)");
        fiche.HoursInCompany.ShouldBe(140);
        fiche.ContactEmail.ShouldBe("accueil@of.exemple.fr");
        fiche.TrainingPlaces.ShouldBe(["33063"]);
        fiche.UpdatedAt.ShouldBe(DemoDatabase.SeededAt.AddHours(2));
        fiche.Versions.ShouldBeEmpty();
        Published.ShouldBeEmpty();
    }

    [Fact]
    public async Task SaveFiche_KeepsEachSelectionCriterionAsASeparateItem_S12()
    {
        var id = await NewDraftAsync(FicheCommands.Complete() with { SelectionCriteria = ["Permis B", " ", "Port de charges"] });

        (await StoredAsync(id)).SelectionCriteria.ShouldBe(["Permis B", "Port de charges"]);
        (await ForEdit.HandleAsync(new GetFicheForEdit(id), await Julie, Ct)).Fields.SelectionCriteria.ShouldBe(["Permis B", "Port de charges"]);
    }

    [Fact]
    public async Task SaveFiche_WithARepeatedCriterion_IsRefusedInFrench_S12()
    {
        var result = await Save.HandleAsync(FicheCommands.Complete() with { SelectionCriteria = ["Permis B", "permis b"] }, await Julie, Ct);

        result.Errors.ShouldBe(new Dictionary<string, string> { ["SelectionCriteria"] = "Chaque critère de sélection n'apparaît qu'une fois (S12)." });
    }

    [Fact]
    public async Task SaveFiche_UnknownRomeCodeAndCommune_AreRefusedWithFrenchFieldErrors_AndNothingIsSaved_O2()
    {
        var title = $"Fiche refusée {Guid.NewGuid():N}";

        var result = await Save.HandleAsync(FicheCommands.Complete(title: title) with { RomeCodes = ["K2204", "Z9999"], TrainingPlaces = ["33063", "99999"] },
            await Julie, Ct);

        result.Succeeded.ShouldBeFalse();
        result.Errors["RomeCodes"].ShouldBe("Code ROME inconnu du référentiel : Z9999.");
        result.Errors["TrainingPlaces"].ShouldBe("Commune inconnue du référentiel (code INSEE) : 99999.");
        await using var db = Database.CreateDbContext();
        (await db.FicheActions.AnyAsync(f => f.Title == title, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task SaveFiche_MalformedFields_AreRefusedWithFrenchMessagesPerField_O2()
    {
        var command = FicheCommands.Complete() with
        {
            Title = "  ", RomeCodes = ["12345"], CertificationRncp = "34325", ContactEmail = "accueil.of.fr", HoursInCompany = -4, TrainingPlaces = ["Bordeaux"],
        };

        var result = await Save.HandleAsync(command, await Julie, Ct);

        result.Errors.Keys.Order().ShouldBe(["CertificationRncp", "ContactEmail", "HoursInCompany", "RomeCodes", "Title", "TrainingPlaces"]);
        result.Errors["Title"].ShouldBe("L'intitulé est obligatoire.");
        result.Errors["RomeCodes"].ShouldBe("Code ROME mal formé : 12345 (une lettre et quatre chiffres, par exemple K2204).");
        result.Errors["CertificationRncp"].ShouldBe("Le code RNCP s'écrit « RNCP » suivi de 3 à 6 chiffres, par exemple RNCP34325.");
        result.Errors["ContactEmail"].ShouldBe("L'adresse e-mail du contact est invalide (par exemple contact@organisme.fr).");
        result.Errors["HoursInCompany"].ShouldBe("La durée en entreprise est comprise entre 0 et 5000 heures.");
        result.Errors["TrainingPlaces"].ShouldBe("Code commune INSEE mal formé : BORDEAUX (cinq caractères, par exemple 33063).");
    }

    [Fact]
    public async Task SaveFiche_IncompleteDraft_IsSaved_ButSavingAndSubmittingNamesEachMissingMandatoryField_O2()
    {
        var julie = await Julie;
        (await Save.HandleAsync(FicheCommands.Empty(), julie, Ct)).Succeeded.ShouldBeTrue();

        var refused = await Save.HandleAsync(FicheCommands.Empty(title: "Fiche à soumettre trop tôt", submit: true), julie, Ct);

        refused.Errors.Keys.Order().ShouldBe(["AdmissionConditions", "Content", "HoursInCentre", "Objectives", "Prerequisites", "RomeCodes",
            "SelectionCriteria", "SelectionModalities"]);
        refused.Errors["Objectives"].ShouldBe("Les objectifs sont obligatoires pour soumettre la fiche.");
        refused.Errors["SelectionCriteria"].ShouldBe("Ajoutez au moins un critère de sélection pour soumettre la fiche (S12).");
        await using var db = Database.CreateDbContext();
        (await db.FicheActions.AnyAsync(f => f.Title == "Fiche à soumettre trop tôt", Ct)).ShouldBeFalse();
        Published.ShouldBeEmpty();
    }

    [Fact]
    public async Task SaveFiche_WithSubmit_SavesAndSubmitsVersion1_AndPublishesTheChange_O2()
    {
        var julie = await Julie;

        var result = await Save.HandleAsync(FicheCommands.Complete(submit: true), julie, Ct);

        var fiche = await StoredAsync(result.FicheId!.Value);
        fiche.Status.ShouldBe(FicheStatus.Submitted);
        fiche.Versions.ShouldHaveSingleItem().Number.ShouldBe(1);
        Published.ShouldBe([new FicheStatusChanged(fiche.Id, julie.OrganisationId, FicheStatus.Submitted, 1)]);
    }

    [Fact]
    public async Task SaveFiche_OfASubmittedFiche_IsRefused_O2()
    {
        var id = await NewDraftAsync();
        await Submit.HandleAsync(new SubmitFiche(id), await Julie, Ct);

        var ex = await Should.ThrowAsync<DomainException>(() => Save.HandleAsync(FicheCommands.Complete(id, "Autre titre"), Julie.Result, Ct));

        ex.Message.ShouldBe("Une fiche « Soumise » ne peut plus être modifiée.");
        (await StoredAsync(id)).Title.ShouldNotBe("Autre titre");
    }

    [Fact]
    public async Task SaveFiche_OfAnotherOrganismesFiche_IsNotFound_AndChangesNothing()
    {
        var id = await NewDraftAsync();

        await Should.ThrowAsync<NotFoundException>(() => Save.HandleAsync(FicheCommands.Complete(id, "Piratée"), Thomas.Result, Ct));

        (await StoredAsync(id)).Title.ShouldNotBe("Piratée");
    }

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Sophie)]
    [InlineData(TestUsers.Claire)]
    [InlineData(TestUsers.Admin)]
    public async Task OrganismeUseCases_ByAnyoneButAnOrganisme_AreRefused(string local)
    {
        var user = await _fixture.UserAsync(local);
        var id = await NewDraftAsync();

        await Should.ThrowAsync<AccessDeniedException>(() => Save.HandleAsync(FicheCommands.Complete(id), user, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Submit.HandleAsync(new SubmitFiche(id), user, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => ForEdit.HandleAsync(new GetFicheForEdit(id), user, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => MyFiches.HandleAsync(new GetMyFiches(), user, Ct));
        (await StoredAsync(id)).Status.ShouldBe(FicheStatus.Draft);
    }

    // ---- Reading and submitting (O2) ----

    [Fact]
    public async Task GetMyFiches_ListsOnlyTheOrganismesFiches_WithStatusVersionCommentAndSessions_O2()
    {
        var julie = await Julie;

        var rows = (await MyFiches.HandleAsync(new GetMyFiches(Take: GetMyFiches.MaxTake), julie, Ct)).Rows;

        await using var db = Database.CreateDbContext();
        var own = await db.FicheActions.Where(f => f.OrganisationId == julie.OrganisationId).Select(f => f.Id).ToListAsync(Ct);
        rows.Select(r => r.Id).Order().ShouldBe(own.Order());
        var returned = rows.First(r => r.Title == "Remise à niveau vers les métiers de la logistique");
        returned.Status.ShouldBe(FicheStatus.Returned);
        returned.RegionComment.ShouldBe("Préciser les critères de sélection et la durée en entreprise.");
        returned.Version.ShouldBe(1);
        returned.CanEdit.ShouldBeTrue();
        var caces = rows.Single(r => r.Title.StartsWith("Préparation au titre de cariste", StringComparison.Ordinal));
        caces.Status.ShouldBe(FicheStatus.Validated);
        caces.Sessions.ShouldBe(await db.Sessions.CountAsync(s => s.FicheActionId == caces.Id, Ct));
        caces.Sessions.ShouldBeGreaterThan(0);
        rows[0].Status.ShouldBe(FicheStatus.Returned);
    }

    [Fact]
    public async Task GetFicheForEdit_OwnFiche_ReturnsTheFieldsWithReferenceLabels_O2()
    {
        var id = await NewDraftAsync(FicheCommands.Complete() with { RomeCodes = ["K2204"], TrainingPlaces = ["33281", "33063"] });

        var details = await ForEdit.HandleAsync(new GetFicheForEdit(id), await Julie, Ct);

        details.CanEdit.ShouldBeTrue();
        details.Fields.Title.ShouldBe("Agent de propreté et d'hygiène");
        details.RomeCodes.ShouldBe([new ReferenceItem("K2204", "Nettoyage de locaux")]);
        details.TrainingPlaces.ShouldBe([new ReferenceItem("33281", "Mérignac"), new ReferenceItem("33063", "Bordeaux")]);
        details.MissingMandatoryFields.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetFicheForEdit_AnotherOrganismesFiche_IsNotFound()
    {
        var id = await NewDraftAsync();

        await Should.ThrowAsync<NotFoundException>(() => ForEdit.HandleAsync(new GetFicheForEdit(id), Thomas.Result, Ct));
    }

    [Fact]
    public async Task SubmitFiche_Incomplete_IsRefusedNamingTheMissingFieldsInFrench_O2()
    {
        var julie = await Julie;
        var id = (await Save.HandleAsync(FicheCommands.Complete() with { Objectives = "", SelectionCriteria = [] }, julie, Ct)).FicheId!.Value;

        var ex = await Should.ThrowAsync<DomainException>(() => Submit.HandleAsync(new SubmitFiche(id), julie, Ct));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldBe("Champs obligatoires manquants : objectifs, critères de sélection.");
        (await StoredAsync(id)).Status.ShouldBe(FicheStatus.Draft);
        Published.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubmitFiche_AnotherOrganismesFiche_IsNotFound()
    {
        var id = await NewDraftAsync();

        await Should.ThrowAsync<NotFoundException>(() => Submit.HandleAsync(new SubmitFiche(id), Thomas.Result, Ct));

        (await StoredAsync(id)).Status.ShouldBe(FicheStatus.Draft);
    }

    // ---- The Région (O2) ----

    [Theory]
    [InlineData(TestUsers.Julie)]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Nicolas)]
    [InlineData(TestUsers.Aurelie)]
    public async Task RegionUseCases_ByAnyoneButTheRegion_AreRefused(string local)
    {
        var user = await _fixture.UserAsync(local);
        var id = await NewDraftAsync();
        await Submit.HandleAsync(new SubmitFiche(id), await Julie, Ct);

        await Should.ThrowAsync<AccessDeniedException>(() => ToValidate.HandleAsync(new GetFichesToValidate(), user, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Review.HandleAsync(new GetFicheReview(id), user, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Validate.HandleAsync(new ValidateFiche(id), user, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Return.HandleAsync(new ReturnFiche(id, "Non"), user, Ct));
        (await StoredAsync(id)).Status.ShouldBe(FicheStatus.Submitted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task ReturnFiche_WithoutComment_IsRefused_AndTheFicheStaysSubmitted_O2(string comment)
    {
        var id = await NewDraftAsync();
        await Submit.HandleAsync(new SubmitFiche(id), await Julie, Ct);

        var ex = await Should.ThrowAsync<DomainException>(() => Return.HandleAsync(new ReturnFiche(id, comment), Claire.Result, Ct));

        ex.Message.ShouldBe("Le renvoi d'une fiche exige un commentaire de la Région.");
        (await StoredAsync(id)).Status.ShouldBe(FicheStatus.Submitted);
    }

    [Fact]
    public async Task ValidateFiche_ADraft_IsRefused_O2()
    {
        var id = await NewDraftAsync();

        var ex = await Should.ThrowAsync<DomainException>(() => Validate.HandleAsync(new ValidateFiche(id), Claire.Result, Ct));

        ex.Message.ShouldBe("Seule une fiche soumise peut être validée (elle est « Brouillon »).");
    }

    [Fact]
    public async Task Review_UnknownFiche_IsNotFound() =>
        await Should.ThrowAsync<NotFoundException>(() => Review.HandleAsync(new GetFicheReview(Guid.NewGuid()), Claire.Result, Ct));

    [Fact]
    public async Task WholeFlow_DraftSubmittedReturnedResubmittedValidated_WithVersionsAndDiff_O2()
    {
        var julie = await Julie;
        var claire = await Claire;

        // Draft, then submitted: version 1.
        var id = await NewDraftAsync(FicheCommands.Complete(title: "Agent de propreté (parcours)"));
        _clock.Advance(TimeSpan.FromHours(1));
        await Submit.HandleAsync(new SubmitFiche(id), julie, Ct);

        var waiting = (await ToValidate.HandleAsync(new GetFichesToValidate(Take: GetFichesToValidate.MaxTake), claire, Ct)).Rows.Single(r => r.Id == id);
        waiting.OrganisationName.ShouldBe(julie.OrganisationName);
        waiting.Version.ShouldBe(1);
        waiting.SubmittedAt.ShouldBe(DemoDatabase.SeededAt.AddHours(1));
        var first = await Review.HandleAsync(new GetFicheReview(id), claire, Ct);
        first.Version.ShouldBe(1);
        first.PreviousVersion.ShouldBeNull();
        first.Changes.ShouldBeEmpty();
        first.CanDecide.ShouldBeTrue();
        first.RomeCodes.ShouldBe([new ReferenceItem("K2204", "Nettoyage de locaux")]);

        // Returned with a comment.
        _clock.Advance(TimeSpan.FromDays(1));
        await Return.HandleAsync(new ReturnFiche(id, "Préciser la durée en entreprise."), claire, Ct);
        var mine = (await MyFiches.HandleAsync(new GetMyFiches(Take: GetMyFiches.MaxTake), julie, Ct)).Rows.Single(r => r.Id == id);
        mine.Status.ShouldBe(FicheStatus.Returned);
        mine.RegionComment.ShouldBe("Préciser la durée en entreprise.");
        mine.UpdatedAt.ShouldBe(DemoDatabase.SeededAt.AddHours(1).AddDays(1));
        (await ToValidate.HandleAsync(new GetFichesToValidate(Take: GetFichesToValidate.MaxTake), claire, Ct)).Rows.ShouldNotContain(r => r.Id == id);

        // Fixed and resubmitted: version 2.
        _clock.Advance(TimeSpan.FromDays(1));
        var fixedFiche = FicheCommands.Complete(id, "Agent de propreté (parcours)", submit: true) with
        {
            HoursInCompany = 210, SelectionCriteria = ["Motivation pour le métier", "Aptitude physique", "Disponibilité en horaires décalés"],
        };
        (await Save.HandleAsync(fixedFiche, julie, Ct)).Succeeded.ShouldBeTrue();

        var second = await Review.HandleAsync(new GetFicheReview(id), claire, Ct);
        second.Version.ShouldBe(2);
        second.PreviousVersion.ShouldBe(1);
        second.Changes.Select(c => c.Field).ShouldBe(["Critères de sélection", "Durée"]);
        second.Changes[1].ShouldBe(new GetFicheReview.Change("Durée", "400 h en centre, 140 h en entreprise", "400 h en centre, 210 h en entreprise"));
        second.SelectionCriteria.Count.ShouldBe(3);
        second.RegionComment.ShouldBe("Préciser la durée en entreprise.");

        // Validated: published, comment cleared.
        await Validate.HandleAsync(new ValidateFiche(id), claire, Ct);
        var stored = await StoredAsync(id);
        stored.Status.ShouldBe(FicheStatus.Validated);
        stored.IsPublished.ShouldBeTrue();
        stored.RegionComment.ShouldBeNull();
        stored.Versions.Select(v => v.Number).Order().ShouldBe([1, 2]);
        (await Review.HandleAsync(new GetFicheReview(id), claire, Ct)).CanDecide.ShouldBeFalse();
        Published.Select(e => (e.FicheId, e.Status, e.Version)).ShouldBe(
        [
            (id, FicheStatus.Submitted, 1), (id, FicheStatus.Returned, 1), (id, FicheStatus.Submitted, 2), (id, FicheStatus.Validated, 2),
        ]);
        (await Should.ThrowAsync<DomainException>(() => Return.HandleAsync(new ReturnFiche(id, "Trop tard"), claire, Ct)))
            .Message.ShouldBe("Seule une fiche soumise peut être renvoyée (elle est « Validée »).");
    }

    [Fact]
    public async Task GetFichesToValidate_ListsEverySubmittedFiche_AndCountMatches_O2()
    {
        var claire = await Claire;

        var rows = (await ToValidate.HandleAsync(new GetFichesToValidate(Take: GetFichesToValidate.MaxTake), claire, Ct)).Rows;

        await using var db = Database.CreateDbContext();
        var submitted = await db.FicheActions.Where(f => f.Status == FicheStatus.Submitted).Select(f => f.Id).ToListAsync(Ct);
        rows.Select(r => r.Id).Order().ShouldBe(submitted.Order());
        rows.ShouldContain(r => r.Title == "Agent de restauration collective" && r.OrganisationName == (Thomas.Result).OrganisationName);
        (await ToValidate.CountAsync(claire, Ct)).ShouldBe(submitted.Count);
    }

    // ---- Reference lists ----

    [Theory]
    [InlineData("merignac", "33281")]
    [InlineData("33700", "33281")]
    [InlineData("PAU", "64445")]
    public async Task SearchCommunes_ByNameWithoutAccentsOrPostalCode_FindsTheCommune(string text, string insee)
    {
        using var references = new SearchFicheReferences.Handler(Database, Notifier);
        var found = await references.CommunesAsync(new SearchFicheReferences(text), Ct);

        found.Select(c => c.Code).ShouldContain(insee);
    }

    [Theory]
    [InlineData("nettoyage", "K2204")]
    [InlineData("k2204", "K2204")]
    [InlineData("developpement informatique", "M1805")]
    public async Task SearchRomeCodes_ByWordsOrCode_FindsTheJob(string text, string code)
    {
        using var references = new SearchFicheReferences.Handler(Database, Notifier);
        var found = await references.RomeCodesAsync(new SearchFicheReferences(text), Ct);

        found.Select(c => c.Code).ShouldContain(code);
        found.Count.ShouldBeLessThanOrEqualTo(20);
    }
}
