using Portal.Domain.Common;
using Portal.Domain.Offer;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

public sealed class FicheActionTests
{
    private static readonly string[] AllMandatoryFields =
    [
        "objectifs", "contenu", "prérequis", "conditions d'admission", "modalités de sélection",
        "critères de sélection", "métiers visés (codes ROME)", "durée",
    ];

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_WithBlankTitle_IsRefused_O2(string title)
    {
        var ex = Should.Throw<DomainException>(() => new FicheAction(TrainingBodyId, title, EntryMode.Grouped, T0));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldContain("intitulé");
    }

    [Fact]
    public void Create_StartsAsUnpublishedDraft_WithTrimmedTitle()
    {
        var fiche = new FicheAction(TrainingBodyId, "  Agent de propreté  ", EntryMode.Permanent, T0);

        fiche.Status.ShouldBe(FicheStatus.Draft);
        fiche.IsPublished.ShouldBeFalse();
        fiche.Title.ShouldBe("Agent de propreté");
        fiche.EntryMode.ShouldBe(EntryMode.Permanent);
        fiche.OrganisationId.ShouldBe(TrainingBodyId);
        fiche.CreatedAt.ShouldBe(T0);
        fiche.Version.ShouldBe(0);
    }

    [Fact]
    public void Submit_EmptyFiche_IsRefused_NamingEveryMandatoryField_O2()
    {
        var fiche = DraftFiche();

        var ex = Should.Throw<DomainException>(() => fiche.Submit(T0));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldStartWith("Champs obligatoires manquants");
        foreach (var field in AllMandatoryFields) ex.Message.ShouldContain(field);
        fiche.Status.ShouldBe(FicheStatus.Draft);
        fiche.SubmittedAt.ShouldBeNull();
    }

    [Theory]
    [InlineData("objectives", "objectifs")]
    [InlineData("content", "contenu")]
    [InlineData("prerequisites", "prérequis")]
    [InlineData("admission", "conditions d'admission")]
    [InlineData("modalities", "modalités de sélection")]
    [InlineData("criteria", "critères de sélection")]
    [InlineData("rome", "métiers visés (codes ROME)")]
    [InlineData("hours", "durée")]
    public void Submit_WithOneMandatoryFieldBlank_IsRefused_NamingOnlyThatField_O2(string blank, string expectedName)
    {
        var fiche = DraftFiche();
        fiche.Describe(
            objectives: blank == "objectives" ? "  " : "Objectifs",
            content: blank == "content" ? "" : "Contenu",
            prerequisites: blank == "prerequisites" ? " " : "Prérequis",
            admissionConditions: blank == "admission" ? "" : "Conditions",
            selectionModalities: blank == "modalities" ? "" : "Entretien",
            selectionCriteria: blank == "criteria" ? ["", "  "] : ["Motivation"],
            romeCodes: blank == "rome" ? [" "] : ["K2204"],
            hoursInCentre: blank == "hours" ? 0 : 100,
            hoursInCompany: 0);

        fiche.MissingMandatoryFields().ShouldBe([expectedName]);
        var ex = Should.Throw<DomainException>(() => fiche.Submit(T0));
        ex.Message.ShouldBe($"Champs obligatoires manquants : {expectedName}.");
        ex.Rule.ShouldBe("O2");
    }

    [Fact]
    public void Describe_WithOnlyHoursInCompany_HasADuration_O2()
    {
        var fiche = DraftFiche();
        fiche.Describe("o", "c", "p", "a", "m", ["crit"], ["K2204"], hoursInCentre: 0, hoursInCompany: 35);

        fiche.MissingMandatoryFields().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    public void Describe_WithNegativeHours_IsRefused_O2(int centre, int company)
    {
        var fiche = DraftFiche();

        var ex = Should.Throw<DomainException>(() =>
            fiche.Describe("o", "c", "p", "a", "m", ["crit"], ["K2204"], centre, company));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldContain("négatives");
        fiche.Objectives.ShouldBe("");
    }

    [Fact]
    public void Describe_TrimsText_DropsBlankCriteria_AndNormalisesRomeCodes()
    {
        var fiche = DraftFiche();

        fiche.Describe(" Objectifs ", " Contenu ", " Prérequis ", " Conditions ", " Entretien ",
            [" Motivation ", "", "  ", "Mobilité"], [" g1602", "G1602 ", "k2204", ""], 10, 20, "RNCP1");

        fiche.Objectives.ShouldBe("Objectifs");
        fiche.Content.ShouldBe("Contenu");
        fiche.Prerequisites.ShouldBe("Prérequis");
        fiche.AdmissionConditions.ShouldBe("Conditions");
        fiche.SelectionModalities.ShouldBe("Entretien");
        fiche.SelectionCriteria.ShouldBe(["Motivation", "Mobilité"]);
        fiche.RomeCodes.ShouldBe(["G1602", "K2204"]);
        fiche.HoursInCentre.ShouldBe(10);
        fiche.HoursInCompany.ShouldBe(20);
        fiche.CertificationRncp.ShouldBe("RNCP1");
    }

    [Fact]
    public void Submit_CompleteDraft_BecomesSubmitted_StampsTime_AndBumpsVersion_O2()
    {
        var clock = ClockAt(T0);
        var fiche = DescribedFiche();
        clock.Advance(TimeSpan.FromHours(3));

        fiche.Submit(clock.GetUtcNow());

        fiche.Status.ShouldBe(FicheStatus.Submitted);
        fiche.SubmittedAt.ShouldBe(T0.AddHours(3));
        fiche.Version.ShouldBe(1);
        fiche.IsPublished.ShouldBeFalse();
    }

    [Fact]
    public void Validate_SubmittedFiche_PublishesIt_O2()
    {
        var clock = ClockAt(T0.AddDays(5));
        var fiche = SubmittedFiche();

        fiche.Validate(clock.GetUtcNow());

        fiche.Status.ShouldBe(FicheStatus.Validated);
        fiche.IsPublished.ShouldBeTrue();
        fiche.ValidatedAt.ShouldBe(T0.AddDays(5));
    }

    [Fact]
    public void Validate_Draft_IsRefused_O2()
    {
        var fiche = DescribedFiche();

        var ex = Should.Throw<DomainException>(() => fiche.Validate(T0));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldContain("« Brouillon »");
        fiche.IsPublished.ShouldBeFalse();
        fiche.ValidatedAt.ShouldBeNull();
    }

    [Fact]
    public void Validate_ReturnedFiche_IsRefused_O2()
    {
        var fiche = SubmittedFiche();
        fiche.Return("Préciser les critères");

        var ex = Should.Throw<DomainException>(() => fiche.Validate(T0));

        ex.Message.ShouldContain("« Renvoyée »");
        fiche.Status.ShouldBe(FicheStatus.Returned);
    }

    [Fact]
    public void Validate_AlreadyValidated_IsRefused_O2()
    {
        var fiche = ValidatedFiche();

        var ex = Should.Throw<DomainException>(() => fiche.Validate(T0.AddDays(9)));

        ex.Message.ShouldContain("« Validée »");
        fiche.ValidatedAt.ShouldBe(T0.AddDays(2));
    }

    [Fact]
    public void Submit_AlreadySubmitted_IsRefused_O2()
    {
        var fiche = SubmittedFiche();

        var ex = Should.Throw<DomainException>(() => fiche.Submit(T0.AddDays(3)));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldContain("« Soumise » ne peut pas être soumise");
        fiche.Version.ShouldBe(1);
    }

    [Fact]
    public void Submit_Validated_IsRefused_O2()
    {
        var fiche = ValidatedFiche();

        var ex = Should.Throw<DomainException>(() => fiche.Submit(T0.AddDays(3)));

        ex.Message.ShouldContain("« Validée »");
        fiche.Status.ShouldBe(FicheStatus.Validated);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Return_WithoutComment_IsRefused_O2(string comment)
    {
        var fiche = SubmittedFiche();

        var ex = Should.Throw<DomainException>(() => fiche.Return(comment));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldContain("commentaire");
        fiche.Status.ShouldBe(FicheStatus.Submitted);
    }

    [Fact]
    public void Return_Draft_IsRefused_O2()
    {
        var fiche = DescribedFiche();

        var ex = Should.Throw<DomainException>(() => fiche.Return("Incomplet"));

        ex.Message.ShouldContain("« Brouillon »");
        fiche.RegionComment.ShouldBeNull();
    }

    [Fact]
    public void Return_Validated_IsRefused_O2()
    {
        var fiche = ValidatedFiche();

        Should.Throw<DomainException>(() => fiche.Return("Trop tard")).Message.ShouldContain("« Validée »");
        fiche.IsPublished.ShouldBeTrue();
    }

    [Fact]
    public void Return_ThenEditAndResubmit_ThenValidate_ClearsTheRegionComment_O2()
    {
        var clock = ClockAt(T0);
        var fiche = SubmittedFiche();

        fiche.Return("  Les critères de sélection sont trop vagues  ");
        fiche.Status.ShouldBe(FicheStatus.Returned);
        fiche.RegionComment.ShouldBe("Les critères de sélection sont trop vagues");

        fiche.Describe("o", "c", "p", "a", "m", ["Niveau 3e validé"], ["G1602"], 400, 100);
        clock.Advance(TimeSpan.FromDays(10));
        fiche.Submit(clock.GetUtcNow());
        fiche.Status.ShouldBe(FicheStatus.Submitted);
        fiche.Version.ShouldBe(2);
        fiche.SubmittedAt.ShouldBe(T0.AddDays(10));

        fiche.Validate(clock.GetUtcNow());
        fiche.RegionComment.ShouldBeNull();
        fiche.SelectionCriteria.ShouldBe(["Niveau 3e validé"]);
    }

    [Fact]
    public void Describe_WhileSubmitted_IsRefused_O2()
    {
        var fiche = SubmittedFiche();

        var ex = Should.Throw<DomainException>(() => fiche.Describe("x", "x", "x", "x", "x", ["x"], ["X"], 1, 1));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldContain("« Soumise » ne peut plus être modifiée");
        fiche.Objectives.ShouldBe("Obtenir le titre professionnel");
    }

    [Fact]
    public void Describe_WhenValidated_IsRefused_O2()
    {
        var fiche = ValidatedFiche();

        var ex = Should.Throw<DomainException>(() => fiche.Describe("x", "x", "x", "x", "x", ["x"], ["X"], 1, 1));

        ex.Message.ShouldContain("« Validée » ne peut plus être modifiée");
    }
}
