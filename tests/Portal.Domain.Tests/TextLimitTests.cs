using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

/// <summary>Issue #15 (5): every text a fiche, a session, a reason or a user holds is bounded, with a French message naming the field.</summary>
public sealed class TextLimitTests
{
    [Fact]
    public void FicheTitle_At300_IsKept_At301_IsRefused_O2()
    {
        new FicheAction(TrainingBodyId, new string('t', 300), EntryMode.Grouped, T0).Title.Length.ShouldBe(300);

        var refused = Should.Throw<DomainException>(() => new FicheAction(TrainingBodyId, new string('t', 301), EntryMode.Grouped, T0));
        refused.Message.ShouldBe("L'intitulé de la fiche action ne peut pas dépasser 300 caractères.");
    }

    [Fact]
    public void FicheContent_At4000_IsKept_At4001_IsRefused_AndNothingChanges()
    {
        var fiche = new FicheAction(TrainingBodyId, "Agent de propreté", EntryMode.Grouped, T0);
        fiche.Describe("Objectifs", new string('c', 4000), "Aucun", "Entretien", "Test", ["Motivation"], ["K2204"], 100, 20);
        fiche.Content.Length.ShouldBe(4000);

        var refused = Should.Throw<DomainException>(() =>
            fiche.Describe("Autres objectifs", new string('c', 4001), "Aucun", "Entretien", "Test", ["Motivation"], ["K2204"], 100, 20));
        refused.Message.ShouldBe("Le contenu ne peut pas dépasser 4000 caractères.");
        fiche.Objectives.ShouldBe("Objectifs");
        fiche.Content.Length.ShouldBe(4000);
    }

    [Fact]
    public void FicheContactPhone_Of31Characters_IsRefused()
    {
        var fiche = new FicheAction(TrainingBodyId, "Agent de propreté", EntryMode.Grouped, T0);

        var refused = Should.Throw<DomainException>(() =>
            fiche.DescribeDetails("", "", "", null, "Mme Durand", "contact@of.fr", new string('0', 31), []));
        refused.Message.ShouldBe("Le téléphone du contact ne peut pas dépasser 30 caractères.");
        fiche.ContactName.ShouldBe("");
    }

    [Fact]
    public void OtherReasonPrecision_Of1001Characters_IsRefused_S7()
    {
        var prescription = NewPrescription();

        var refused = Should.Throw<DomainException>(() => prescription.NotSelect(
            [NonSelectionReason.OtherReason(new string('r', 1001))], "Pour le candidat", "Pour le prescripteur", OfUserId, T0.AddDays(1)));
        refused.Message.ShouldBe("La précision du motif ne peut pas dépasser 1000 caractères.");
        prescription.Status.ShouldBe(PrescriptionStatus.Submitted);
    }

    [Fact]
    public void CancellationMotive_Of2001Characters_IsRefused_AndTheStatusStays()
    {
        var prescription = NewPrescription();

        var refused = Should.Throw<DomainException>(() => prescription.Cancel(PrescriberUserId, T0.AddDays(1), new string('m', 2001)));
        refused.Message.ShouldBe("Le motif ne peut pas dépasser 2000 caractères.");
        prescription.Status.ShouldBe(PrescriptionStatus.Submitted);
    }

    [Fact]
    public void SessionCancellationReason_Of2001Characters_IsRefused()
    {
        var session = OpenSession();

        var refused = Should.Throw<DomainException>(() => session.Cancel(new string('r', 2001)));
        refused.Message.ShouldBe("Le motif d'annulation ne peut pas dépasser 2000 caractères.");
        session.Status.ShouldNotBe(SessionStatus.Cancelled);
    }

    [Fact]
    public void UserNamesFromTheIdentityProvider_AreCutAt200_NotRefused()
    {
        var user = new AppUser("agent@region.fr", new string('g', 250), "  Durand  ");

        user.GivenName.Length.ShouldBe(200);
        user.FamilyName.ShouldBe("Durand");
    }
}
