using Portal.Domain.Common;
using Portal.Domain.Offer;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

/// <summary>O2 and S12: versions of a fiche action, the Région's comparison of versions, edits and search text.</summary>
public sealed class FicheActionWorkflowTests
{
    private static void DescribeDetailsCompletely(FicheAction fiche, string place = "33063") => fiche.DescribeDetails(
        expectedResults: "Titre professionnel de niveau 3",
        targetPublic: "Demandeurs d'emploi",
        accessibility: "Locaux accessibles",
        certificationLevel: "Niveau 3 (CAP, BEP)",
        contactName: "Accueil formation",
        contactEmail: "contact@of.exemple.fr",
        contactPhone: "05 00 00 00 00",
        trainingPlaces: [place]);

    private static FicheAction ReturnedFiche(string comment = "Préciser les critères")
    {
        var fiche = DescribedFiche();
        DescribeDetailsCompletely(fiche);
        fiche.Submit(T0.AddDays(1));
        fiche.Return(comment, T0.AddDays(2));
        return fiche;
    }

    [Fact]
    public void Submit_AppendsAVersion_WithTheSnapshotOfTheSubmittedFields_O2()
    {
        var fiche = DescribedFiche();
        DescribeDetailsCompletely(fiche);

        fiche.Submit(T0.AddDays(1));

        var version = fiche.Versions.ShouldHaveSingleItem();
        version.Number.ShouldBe(1);
        version.SubmittedAt.ShouldBe(T0.AddDays(1));
        version.FicheActionId.ShouldBe(fiche.Id);
        version.Snapshot.Title.ShouldBe("Titre professionnel Agent de restauration");
        version.Snapshot.Objectives.ShouldBe("Obtenir le titre professionnel");
        version.Snapshot.RomeCodes.ShouldBe("G1602, G1603");
        version.Snapshot.EntryMode.ShouldBe("Entrées groupées");
        version.Snapshot.Duration.ShouldBe("420 h en centre, 140 h en entreprise");
        version.Snapshot.Certification.ShouldBe("RNCP34325 · Niveau 3 (CAP, BEP)");
        version.Snapshot.Contact.ShouldBe("Accueil formation · contact@of.exemple.fr · 05 00 00 00 00");
        version.Snapshot.TrainingPlaces.ShouldBe("33063");
    }

    [Fact]
    public void Snapshot_KeepsEachSelectionCriterionOnItsOwnLine_S12()
    {
        var fiche = SubmittedFiche();

        fiche.SelectionCriteria.ShouldBe(["Motivation pour le métier", "Aptitude physique"]);
        fiche.Versions.Single().Snapshot.SelectionCriteria.Split('\n').ShouldBe(["Motivation pour le métier", "Aptitude physique"]);
    }

    [Fact]
    public void Describe_KeepsTheCriteriaAsSeparateItems_InTheirOrder_DroppingBlankOnes_S12()
    {
        var fiche = DraftFiche();

        fiche.Describe("o", "c", "p", "a", "m", ["  Niveau 3e ", "", "Permis B", "   ", "Motivation"], ["k2204"], 10, 0);

        fiche.SelectionCriteria.ShouldBe(["Niveau 3e", "Permis B", "Motivation"]);
    }

    [Fact]
    public void ReturnedFiche_CanBeEditedAndResubmitted_AsVersion2_AndVersion1IsUnchanged_O2()
    {
        var fiche = ReturnedFiche();

        fiche.Rename("Titre professionnel Cuisinier", EntryMode.Permanent);
        fiche.Describe("Obtenir le titre professionnel", "Techniques de production, hygiène, service", "Savoir lire, écrire et compter",
            "Demandeur d'emploi inscrit", "Information collective puis entretien individuel",
            ["Motivation pour le métier", "Aptitude physique", "Expérience en cuisine souhaitée"], ["G1602", "G1603"], 420, 140, "RNCP34325");
        fiche.MarkEdited(T0.AddDays(3));
        fiche.Submit(T0.AddDays(4));

        fiche.Status.ShouldBe(FicheStatus.Submitted);
        fiche.Version.ShouldBe(2);
        fiche.Versions.Select(v => v.Number).ShouldBe([1, 2]);
        fiche.Versions[0].Snapshot.Title.ShouldBe("Titre professionnel Agent de restauration");
        fiche.Versions[1].Snapshot.Title.ShouldBe("Titre professionnel Cuisinier");
        fiche.Versions[1].SubmittedAt.ShouldBe(T0.AddDays(4));
        fiche.UpdatedAt.ShouldBe(T0.AddDays(4));
    }

    [Fact]
    public void DiffFrom_ListsExactlyTheChangedFields_WithFrenchLabels_O2()
    {
        var fiche = ReturnedFiche();
        fiche.Rename("Titre professionnel Cuisinier", EntryMode.Grouped);
        fiche.Describe("Obtenir le titre professionnel", "Techniques de production, hygiène, service", "Savoir lire, écrire et compter",
            "Demandeur d'emploi inscrit", "Information collective puis entretien individuel",
            ["Motivation pour le métier", "Permis B"], ["G1602", "G1603"], 420, 210, "RNCP34325");
        fiche.Submit(T0.AddDays(4));

        var diff = fiche.Versions[1].Snapshot.DiffFrom(fiche.Versions[0].Snapshot);

        diff.Select(d => d.Field).ShouldBe(["Intitulé", "Critères de sélection", "Durée"]);
        diff[0].Before.ShouldBe("Titre professionnel Agent de restauration");
        diff[0].After.ShouldBe("Titre professionnel Cuisinier");
        diff[1].Before.ShouldBe("Motivation pour le métier\nAptitude physique");
        diff[1].After.ShouldBe("Motivation pour le métier\nPermis B");
        diff[2].Before.ShouldBe("420 h en centre, 140 h en entreprise");
        diff[2].After.ShouldBe("420 h en centre, 210 h en entreprise");
    }

    [Fact]
    public void DiffFrom_ACriterionReworded_IsListedUnderSelectionCriteria_S12()
    {
        var before = new FicheSnapshot { SelectionCriteria = "Motivation\nAptitude physique" };
        var after = before with { SelectionCriteria = "Motivation\nAptitude physique au port de charges" };

        after.DiffFrom(before).ShouldBe([("Critères de sélection", "Motivation\nAptitude physique", "Motivation\nAptitude physique au port de charges")]);
    }

    [Fact]
    public void DiffFrom_TheSameFields_IsEmpty_O2()
    {
        var fiche = ReturnedFiche();
        fiche.Submit(T0.AddDays(4));

        fiche.Versions[1].Snapshot.DiffFrom(fiche.Versions[0].Snapshot).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Entrées/sorties permanentes", "Mode d'entrée")]
    [InlineData("Public", "Public visé")]
    [InlineData("Accès", "Accessibilité")]
    [InlineData("Lieux", "Lieux de formation")]
    [InlineData("Contact", "Contact")]
    [InlineData("Résultats", "Résultats attendus")]
    [InlineData("Certification", "Certification")]
    [InlineData("ROME", "Métiers visés (ROME)")]
    public void DiffFrom_EachDetailField_IsLabelledInFrench_O2(string changed, string expectedLabel)
    {
        var before = new FicheSnapshot();
        var after = changed switch
        {
            "Entrées/sorties permanentes" => before with { EntryMode = changed },
            "Public" => before with { TargetPublic = changed },
            "Accès" => before with { Accessibility = changed },
            "Lieux" => before with { TrainingPlaces = changed },
            "Contact" => before with { Contact = changed },
            "Résultats" => before with { ExpectedResults = changed },
            "Certification" => before with { Certification = changed },
            _ => before with { RomeCodes = changed },
        };

        after.DiffFrom(before).ShouldBe([(expectedLabel, "", changed)]);
    }

    [Fact]
    public void DiffFrom_NoPreviousVersion_ListsEveryFilledField_O2()
    {
        var fiche = SubmittedFiche();

        var diff = fiche.Versions[0].Snapshot.DiffFrom(null);

        diff.ShouldAllBe(d => d.Before == "");
        diff.Select(d => d.Field).ShouldContain("Objectifs");
        diff.Select(d => d.Field).ShouldNotContain("Accessibilité"); // never filled in this fiche
    }

    [Fact]
    public void Return_WithComment_KeepsItForTheOrganisme_AndStampsTheUpdate_O2()
    {
        var fiche = ReturnedFiche("  Durée en entreprise à préciser  ");

        fiche.Status.ShouldBe(FicheStatus.Returned);
        fiche.RegionComment.ShouldBe("Durée en entreprise à préciser");
        fiche.UpdatedAt.ShouldBe(T0.AddDays(2));
        fiche.Versions.ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Return_WithoutComment_IsRefused_AndTheFicheStaysSubmitted_O2(string comment)
    {
        var fiche = SubmittedFiche();

        var ex = Should.Throw<DomainException>(() => fiche.Return(comment, T0.AddDays(2)));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldBe("Le renvoi d'une fiche exige un commentaire de la Région.");
        fiche.Status.ShouldBe(FicheStatus.Submitted);
        fiche.UpdatedAt.ShouldBe(T0.AddDays(1));
    }

    public static TheoryData<string> Edits => ["Rename", "Describe", "DescribeDetails", "MarkEdited"];

    private static void Edit(FicheAction fiche, string edit)
    {
        switch (edit)
        {
            case "Rename": fiche.Rename("Autre titre", EntryMode.Permanent); break;
            case "Describe": DescribeCompletely(fiche); break;
            case "DescribeDetails": DescribeDetailsCompletely(fiche, "64445"); break;
            default: fiche.MarkEdited(T0.AddDays(9)); break;
        }
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void SubmittedFiche_CannotBeEdited_O2(string edit)
    {
        var fiche = SubmittedFiche();

        var ex = Should.Throw<DomainException>(() => Edit(fiche, edit));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldBe("Une fiche « Soumise » ne peut plus être modifiée.");
        fiche.Title.ShouldBe("Titre professionnel Agent de restauration");
        fiche.UpdatedAt.ShouldBe(T0.AddDays(1));
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void ValidatedFiche_CannotBeEdited_O2(string edit)
    {
        var fiche = ValidatedFiche();

        var ex = Should.Throw<DomainException>(() => Edit(fiche, edit));

        ex.Message.ShouldBe("Une fiche « Validée » ne peut plus être modifiée.");
        fiche.EntryMode.ShouldBe(EntryMode.Grouped);
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void ReturnedFiche_CanBeEdited_O2(string edit)
    {
        var fiche = ReturnedFiche();

        Edit(fiche, edit);

        fiche.Status.ShouldBe(FicheStatus.Returned);
    }

    [Fact]
    public void MarkEdited_OnADraft_StampsTheLastUpdate_O2()
    {
        var fiche = DraftFiche();

        fiche.MarkEdited(T0.AddHours(3));

        fiche.UpdatedAt.ShouldBe(T0.AddHours(3));
        fiche.CreatedAt.ShouldBe(T0);
    }

    [Fact]
    public void DescribeDetails_TrimsText_DropsBlankAndRepeatedPlaces_AndBlankLevelIsNone_O2()
    {
        var fiche = DraftFiche();

        fiche.DescribeDetails(" Résultats ", " Public ", " Accès ", "   ", " Mme Dupont ", " contact@of.fr ", " 05 56 ", ["33063", " ", " 33063 ", "64445"]);

        fiche.ExpectedResults.ShouldBe("Résultats");
        fiche.TargetPublic.ShouldBe("Public");
        fiche.Accessibility.ShouldBe("Accès");
        fiche.CertificationLevel.ShouldBeNull();
        fiche.ContactName.ShouldBe("Mme Dupont");
        fiche.ContactEmail.ShouldBe("contact@of.fr");
        fiche.ContactPhone.ShouldBe("05 56");
        fiche.TrainingPlaces.ShouldBe(["33063", "64445"]);
    }

    [Fact]
    public void DescribeDetails_WithAnEmailWithoutAt_IsRefused_AndChangesNothing_O2()
    {
        var fiche = DraftFiche();

        var ex = Should.Throw<DomainException>(() =>
            fiche.DescribeDetails("r", "p", "a", null, "n", "contact.of.fr", "05", ["33063"]));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldBe("L'adresse e-mail du contact est invalide.");
        fiche.TrainingPlaces.ShouldBeEmpty();
        fiche.ExpectedResults.ShouldBe("");
    }

    [Fact]
    public void DescribeDetails_WithoutEmail_IsAccepted_O2()
    {
        var fiche = DraftFiche();

        fiche.DescribeDetails("r", "p", "a", "Niveau 4", "n", "", "05", []);

        fiche.ContactEmail.ShouldBe("");
        fiche.CertificationLevel.ShouldBe("Niveau 4");
    }

    [Theory]
    [InlineData("Électricien d'Équipement", "electricien d equipement")]
    [InlineData("CACES® R489 — Cariste", "caces r489 cariste")]
    [InlineData("  L'ÂGE   d'or !!  ", "l age d or")]
    [InlineData("Aide-soignant(e), Pâtissier/ère", "aide soignant e patissier ere")]
    [InlineData("Œuvre ça", "œuvre ca")]
    [InlineData("   ", "")]
    [InlineData(null, "")]
    public void TextSearch_Normalize_DropsAccentsCaseAndPunctuation(string? text, string expected) =>
        TextSearch.Normalize(text).ShouldBe(expected);

    [Fact]
    public void SearchText_FollowsTheTitleTheObjectivesAndTheJobs()
    {
        var fiche = DraftFiche();
        fiche.Rename("Préparateur de commandes", EntryMode.Grouped);
        fiche.Describe("Conduire un chariot élévateur", "c", "p", "a", "m", ["x"], ["n1103"], 10, 0);

        fiche.SearchText.ShouldBe("preparateur de commandes conduire un chariot elevateur c n1103");
    }
}
