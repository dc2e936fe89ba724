using Portal.Domain.Common;
using Portal.Domain.Offer;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

/// <summary>P1 (issue #13): the fiche action carries its débouchés and suites de parcours, edited like its other fields (O2).</summary>
public sealed class FicheActionOutcomesTests
{
    [Fact]
    public void DescribeOutcomes_KeepsTheDebouchesAndTheSuitesDeParcours_Trimmed_P1()
    {
        var fiche = DescribedFiche();

        fiche.DescribeOutcomes("  Commis de cuisine, cuisinier en collectivité.  ", " Poursuite en BP Cuisinier. ");

        fiche.JobProspects.ShouldBe("Commis de cuisine, cuisinier en collectivité.");
        fiche.FollowOnPaths.ShouldBe("Poursuite en BP Cuisinier.");
    }

    [Fact]
    public void DescribeOutcomes_OfASubmittedFiche_IsRefusedInFrench_O2()
    {
        var fiche = SubmittedFiche();

        var ex = Should.Throw<DomainException>(() => fiche.DescribeOutcomes("Cuisinier", "BP"));

        ex.Rule.ShouldBe("O2");
        ex.Message.ShouldBe("Une fiche « Soumise » ne peut plus être modifiée.");
        fiche.JobProspects.ShouldBe("");
    }

    [Fact]
    public void Snapshot_KeepsTheOutcomes_AndTheComparisonOfVersionsNamesThemInFrench_P1_O2()
    {
        var fiche = DescribedFiche();
        fiche.Submit(T0.AddDays(1));
        fiche.Return("Préciser les débouchés", T0.AddDays(2));
        fiche.DescribeOutcomes("Cuisinier en restauration collective.", "Poursuite en BP Cuisinier.");
        fiche.Submit(T0.AddDays(3));

        var diff = fiche.Versions[1].Snapshot.DiffFrom(fiche.Versions[0].Snapshot);

        fiche.Versions[1].Snapshot.JobProspects.ShouldBe("Cuisinier en restauration collective.");
        diff.ShouldBe([
            ("Débouchés", "", "Cuisinier en restauration collective."),
            ("Suites de parcours", "", "Poursuite en BP Cuisinier."),
        ]);
    }
}
