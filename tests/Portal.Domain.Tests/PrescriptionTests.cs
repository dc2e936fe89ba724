using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using static Portal.Domain.Tests.Builders;

namespace Portal.Domain.Tests;

public sealed class PrescriptionTests
{
    private static readonly string[] AllMandatoryFields =
    [
        "acquis et parcours antérieur", "validation du projet", "accord du candidat", "conditions matérielles",
        "faisabilité", "statut travailleur handicapé (RQTH)",
    ];

    // ---- Creation ----

    [Fact]
    public void Create_WithAValidForm_IsSubmitted_AndKeepsItsParties()
    {
        var clock = new FakeTimeProvider(T0);
        var candidateId = Guid.CreateVersion7();
        var sessionId = Guid.CreateVersion7();
        var form = ValidForm();

        var p = new Prescription(candidateId, sessionId, TrainingBodyId, PrescriberOrganisationId, PrescriberUserId, 2,
            form, clock.GetUtcNow());

        p.Status.ShouldBe(PrescriptionStatus.Submitted);
        p.IsActive.ShouldBeTrue();
        p.CandidateId.ShouldBe(candidateId);
        p.SessionId.ShouldBe(sessionId);
        p.TrainingBodyId.ShouldBe(TrainingBodyId);
        p.PrescriberOrganisationId.ShouldBe(PrescriberOrganisationId);
        p.PrescriberUserId.ShouldBe(PrescriberUserId);
        p.Rank.ShouldBe(2);
        p.Form.ShouldBe(form);
        p.CreatedAt.ShouldBe(T0);
        p.StatusChangedAt.ShouldBe(T0);
        p.ConvokedAt.ShouldBeNull();
        p.DecisionReasons.ShouldBeNull();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Create_WithRankOneToThree_IsAccepted_P6(int rank)
    {
        NewPrescription(rank: rank).Rank.ShouldBe(rank);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Create_WithRankOutsideOneToThree_IsRefused_P6(int rank)
    {
        var ex = Should.Throw<DomainException>(() => NewPrescription(rank: rank));

        ex.Rule.ShouldBe("P6");
        ex.Message.ShouldBe("Le rang du choix doit être 1, 2 ou 3.");
    }

    [Fact]
    public void Create_WithAnEmptyForm_IsRefused_NamingEveryMandatoryField_P7()
    {
        var ex = Should.Throw<DomainException>(() => NewPrescription(form: new PrescriptionForm()));

        ex.Rule.ShouldBe("P7");
        ex.Message.ShouldStartWith("Champs obligatoires manquants : ");
        foreach (var field in AllMandatoryFields) ex.Message.ShouldContain(field);
    }

    [Fact]
    public void Create_WithASectionLongerThan4000Characters_IsRefusedInFrench_At4000ItIsKept_P7()
    {
        var tooLong = ValidForm() with { Motivations = new string('m', 4001) };
        var ex = Should.Throw<DomainException>(() => NewPrescription(form: tooLong));
        ex.Rule.ShouldBe("P7");
        ex.Message.ShouldBe("La rubrique « attentes et motivations » ne peut pas dépasser 4000 caractères.");

        var longest = ValidForm() with { Barriers = new string('b', 4000) };
        NewPrescription(form: longest).Form.Barriers.Length.ShouldBe(4000);
    }

    [Theory]
    [InlineData("PriorPath", "acquis et parcours antérieur")]
    [InlineData("ProjectValidation", "validation du projet")]
    [InlineData("CandidateAgreement", "accord du candidat")]
    [InlineData("MaterialConditions", "conditions matérielles")]
    [InlineData("Feasibility", "faisabilité")]
    [InlineData("RqthDeclared", "statut travailleur handicapé (RQTH)")]
    public void Create_WithOneMandatoryFieldMissing_IsRefused_NamingOnlyThatField_P7(string field, string expectedName)
    {
        var form = Without(ValidForm(), field);

        form.MissingMandatoryFields().ShouldBe([expectedName]);
        var ex = Should.Throw<DomainException>(() => NewPrescription(form: form));
        ex.Rule.ShouldBe("P7");
        ex.Message.ShouldBe($"Champs obligatoires manquants : {expectedName}.");
    }

    [Theory]
    [InlineData("PriorPath")]
    [InlineData("ProjectValidation")]
    [InlineData("MaterialConditions")]
    [InlineData("Feasibility")]
    public void Create_WithAWhitespaceOnlyTextField_CountsItAsMissing_P7(string field)
    {
        var form = field switch
        {
            "PriorPath" => ValidForm() with { PriorPath = "   " },
            "ProjectValidation" => ValidForm() with { ProjectValidation = "\t" },
            "MaterialConditions" => ValidForm() with { MaterialConditions = " \n " },
            _ => ValidForm() with { Feasibility = "  " },
        };

        Should.Throw<DomainException>(() => NewPrescription(form: form)).Rule.ShouldBe("P7");
    }

    [Fact]
    public void Create_WithTwoFieldsMissing_ListsBoth_P7()
    {
        var form = ValidForm() with { CandidateAgreement = false, RqthDeclared = null };

        var ex = Should.Throw<DomainException>(() => NewPrescription(form: form));

        ex.Message.ShouldBe("Champs obligatoires manquants : accord du candidat, statut travailleur handicapé (RQTH).");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Create_WithRqthAnsweredEitherWay_IsAccepted_P7(bool rqth)
    {
        var p = NewPrescription(form: ValidForm() with { RqthDeclared = rqth });

        p.Form.RqthDeclared.ShouldBe(rqth);
    }

    [Fact]
    public void Create_WithoutTheOptionalFields_IsAccepted_P7()
    {
        var form = ValidForm() with { Motivations = "", Barriers = "", CriteriaReviewed = false };

        form.MissingMandatoryFields().ShouldBeEmpty();
        NewPrescription(form: form).Status.ShouldBe(PrescriptionStatus.Submitted);
    }

    [Fact]
    public void FormInvalid_BuildsTheSameMessageAsTheRefusal_P7()
    {
        var form = new PrescriptionForm { PriorPath = "x", ProjectValidation = "x", MaterialConditions = "x", Feasibility = "x" };

        var built = PrescriptionForm.Invalid(form.MissingMandatoryFields());
        var thrown = Should.Throw<DomainException>(() => NewPrescription(form: form));

        built.Rule.ShouldBe("P7");
        built.Message.ShouldBe(thrown.Message);
        built.Message.ShouldContain("accord du candidat");
    }

    // ---- S5, S6: attendance ----

    [Theory]
    [InlineData(PrescriptionStatus.Attended)]
    [InlineData(PrescriptionStatus.AbsentUnjustified)]
    public void RecordAttendance_WithoutJustification_IsRecorded(PrescriptionStatus attendance)
    {
        var p = PrescriptionIn(PrescriptionStatus.Convoked);

        p.RecordAttendance(attendance, OfUserId, T0.AddDays(8));

        p.Status.ShouldBe(attendance);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void RecordAttendance_JustifiedAbsence_WithoutJustification_IsRefused_S5(string? justification)
    {
        var p = PrescriptionIn(PrescriptionStatus.Convoked);

        var ex = Should.Throw<DomainException>(() =>
            p.RecordAttendance(PrescriptionStatus.AbsentJustified, OfUserId, T0, justification));

        ex.Rule.ShouldBe("S5");
        p.Status.ShouldBe(PrescriptionStatus.Convoked);
    }

    [Fact]
    public void RecordAttendance_JustifiedAbsence_KeepsTheJustificationInHistory_S5()
    {
        var p = PrescriptionIn(PrescriptionStatus.Convoked);

        p.RecordAttendance(PrescriptionStatus.AbsentJustified, OfUserId, T0, "Hospitalisation, prévenu la veille");

        p.Status.ShouldBe(PrescriptionStatus.AbsentJustified);
        p.History[^1].Reason.ShouldBe("Hospitalisation, prévenu la veille");
    }

    [Theory]
    [InlineData(PrescriptionStatus.Selected)]
    [InlineData(PrescriptionStatus.Convoked)]
    [InlineData(PrescriptionStatus.Entered)]
    public void RecordAttendance_WithAStatusThatIsNotAnAttendance_IsRefused_S6(PrescriptionStatus notAttendance)
    {
        var p = PrescriptionIn(PrescriptionStatus.Convoked);

        var ex = Should.Throw<DomainException>(() => p.RecordAttendance(notAttendance, OfUserId, T0, "x"));

        ex.Rule.ShouldBe("S6");
        p.Status.ShouldBe(PrescriptionStatus.Convoked);
    }

    [Fact]
    public void UnjustifiedAbsence_CanLaterBeJustified_S5()
    {
        var p = PrescriptionIn(PrescriptionStatus.AbsentUnjustified);

        p.RecordAttendance(PrescriptionStatus.AbsentJustified, PrescriberUserId, T0.AddDays(1), "Certificat médical transmis");

        p.Status.ShouldBe(PrescriptionStatus.AbsentJustified);
    }

    // ---- S7: motivated non-selection ----

    [Fact]
    public void NotSelect_WithoutReason_IsRefused_S7()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        var ex = Should.Throw<DomainException>(() => p.NotSelect([], "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, T0));

        ex.Rule.ShouldBe("S7");
        ex.Message.ShouldContain("motivée");
        p.Status.ShouldBe(PrescriptionStatus.Attended);
        p.DecisionReasons.ShouldBeNull();
    }

    [Theory]
    [InlineData(NonSelectionReasonKind.PrerequisitesNotMet)]
    [InlineData(NonSelectionReasonKind.Other)]
    public void NotSelect_WithAReasonThatNeedsADetail_ButNone_IsRefused_S7(NonSelectionReasonKind kind)
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        Should.Throw<DomainException>(() => p.NotSelect([new NonSelectionReason(kind, "   ")], "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, T0)).Rule.ShouldBe("S7");
        p.Status.ShouldBe(PrescriptionStatus.Attended);
    }

    [Fact]
    public void NotSelect_WithReasonsOfTheList_StoresTheirCodesAndKinds_AndWritesTheirLabels_S7_ADR0026()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        p.NotSelect([new NonSelectionReason(NonSelectionReasonKind.Unavailable, null, "MOBILITE") { Label = "Lieu de formation inaccessible sans véhicule" },
                new NonSelectionReason(NonSelectionReasonKind.Other, "Prise en charge refusée", "FINANCEUR") { Label = "Refus du financeur" }],
            "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, T0);

        p.NonSelectionReasons.Select(r => (r.Kind, r.Code, r.Detail)).ShouldBe([
            (NonSelectionReasonKind.Unavailable, "MOBILITE", (string?)null), (NonSelectionReasonKind.Other, "FINANCEUR", "Prise en charge refusée")]);
        p.DecisionReasons.ShouldBe("Lieu de formation inaccessible sans véhicule ; Refus du financeur : Prise en charge refusée");
    }

    [Fact]
    public void NotSelect_AReasonOfKindOtherWithoutItsWords_IsRefusedNamingItsLabel_S7()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        var ex = Should.Throw<DomainException>(() => p.NotSelect([new NonSelectionReason(NonSelectionReasonKind.Other, " ", "FINANCEUR") { Label = "Refus du financeur" }],
            "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, T0));

        (ex.Rule, ex.Message).ShouldBe(("S7", "Le motif « Refus du financeur » doit être précisé."));
    }

    [Fact]
    public void NotSelect_WithACodeLongerThanTheList_IsRefused()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        Should.Throw<DomainException>(() => p.NotSelect([new NonSelectionReason(NonSelectionReasonKind.SessionFull, null, new string('C', 21))],
            "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, T0)).Message.ShouldBe("Le code du motif ne peut pas dépasser 20 caractères.");
    }

    [Fact]
    public void AReasonOfTheList_NeedsACodeAndALabel_OfBoundedLength_ADR0026()
    {
        Should.Throw<DomainException>(() => new NonSelectionReasonEntry("AUTRE", new string('x', 201), NonSelectionReasonKind.Other, true, 1))
            .Message.ShouldBe("Le libellé du motif ne peut pas dépasser 200 caractères.");
        Should.Throw<DomainException>(() => new NonSelectionReasonEntry("AUTRE", " ", NonSelectionReasonKind.Other, true, 1))
            .Message.ShouldBe("Le libellé du motif est obligatoire.");
        Should.Throw<DomainException>(() => new NonSelectionReasonEntry("", "Autre motif", NonSelectionReasonKind.Other, true, 1))
            .Message.ShouldBe("Le code du motif est obligatoire.");
        var entry = new NonSelectionReasonEntry("AUTRE", "  Autre motif ", NonSelectionReasonKind.Other, true, 1);
        entry.Label.ShouldBe("Autre motif");
    }

    [Fact]
    public void NotSelect_WithAnUnknownReasonKind_IsRefused_S7()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        Should.Throw<DomainException>(() => p.NotSelect([new NonSelectionReason((NonSelectionReasonKind)99)], "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, T0)).Rule.ShouldBe("S7");
    }

    [Fact]
    public void NotSelect_WithReasons_RecordsThemInFrench_ForPrescriberAndCandidate_S7()
    {
        var p = PrescriptionIn(PrescriptionStatus.Attended);

        p.NotSelect([NonSelectionReason.Prerequisite("  Niveau en calcul "), new NonSelectionReason(NonSelectionReasonKind.Unavailable)], "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, T0.AddDays(1));

        p.Status.ShouldBe(PrescriptionStatus.NotSelected);
        p.DecisionReasons.ShouldBe("Prérequis non atteints : Niveau en calcul ; Candidat indisponible aux dates de la session");
        p.NonSelectionReasons.Select(r => r.Kind).ShouldBe([NonSelectionReasonKind.PrerequisitesNotMet, NonSelectionReasonKind.Unavailable]);
        p.History[^1].Reason.ShouldBe(p.DecisionReasons);
        p.IsActive.ShouldBeFalse();
    }

    // ---- S5: a justified absence is not on its own a reason for refusal ----

    [Fact]
    public void NotSelect_AfterJustifiedAbsence_WithTheAbsenceAsOnlyReason_IsRefused_S5()
    {
        var p = PrescriptionIn(PrescriptionStatus.AbsentJustified);

        var ex = Should.Throw<DomainException>(() => p.NotSelect([new NonSelectionReason(NonSelectionReasonKind.AbsentFromInfoSession)], "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, T0));

        ex.Rule.ShouldBe("S5");
        ex.Message.ShouldContain("à elle seule");
        p.Status.ShouldBe(PrescriptionStatus.AbsentJustified);
        p.DecisionReasons.ShouldBeNull();
    }

    [Fact]
    public void NotSelect_AfterJustifiedAbsenceThenWaitlist_WithTheAbsenceAsOnlyReason_IsStillRefused_S5()
    {
        var p = PrescriptionIn(PrescriptionStatus.AbsentJustified);
        p.Waitlist(OfUserId, T0);

        Should.Throw<DomainException>(() => p.NotSelect([new NonSelectionReason(NonSelectionReasonKind.AbsentFromInfoSession, "Absente le 12/01")], "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, T0))
            .Rule.ShouldBe("S5");
        p.Status.ShouldBe(PrescriptionStatus.Waitlisted);
    }

    [Fact]
    public void NotSelect_AfterJustifiedAbsence_WithAPrerequisiteWordedWithAbsence_IsRecorded_S5()
    {
        var p = PrescriptionIn(PrescriptionStatus.AbsentJustified);

        p.NotSelect([NonSelectionReason.Prerequisite("Absence de prérequis en calcul")], "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, T0);

        p.Status.ShouldBe(PrescriptionStatus.NotSelected);
    }

    [Fact]
    public void NotSelect_AfterJustifiedAbsence_WithAnotherExplicitReason_IsRecorded_S5()
    {
        var p = PrescriptionIn(PrescriptionStatus.AbsentJustified);

        p.NotSelect([new NonSelectionReason(NonSelectionReasonKind.AbsentFromInfoSession), NonSelectionReason.Prerequisite("Prérequis en français")], "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, T0);

        p.Status.ShouldBe(PrescriptionStatus.NotSelected);
        p.DecisionReasons.ShouldBe("Absence à l'information collective ; Prérequis non atteints : Prérequis en français");
    }

    [Fact]
    public void NotSelect_AfterUnjustifiedAbsence_MayGiveTheAbsenceAsReason_S5()
    {
        var p = PrescriptionIn(PrescriptionStatus.AbsentUnjustified);

        p.NotSelect([new NonSelectionReason(NonSelectionReasonKind.AbsentFromInfoSession)], "Explication pour le candidat.", "Explication pour le prescripteur.", OfUserId, T0);

        p.Status.ShouldBe(PrescriptionStatus.NotSelected);
    }

    // ---- Other guarded actions ----

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Cancel_WithoutReason_IsRefused(string reason)
    {
        var p = PrescriptionIn(PrescriptionStatus.Submitted);

        Should.Throw<DomainException>(() => p.Cancel(PrescriberUserId, T0, reason)).Message.ShouldContain("motif");
        p.Status.ShouldBe(PrescriptionStatus.Submitted);
    }

    [Fact]
    public void Withdraw_WithoutReason_RecordsTheDefaultReason()
    {
        var p = PrescriptionIn(PrescriptionStatus.Convoked);

        p.Withdraw(PrescriberUserId, T0);

        p.Status.ShouldBe(PrescriptionStatus.Withdrawn);
        p.History[^1].Reason.ShouldBe("Désistement du candidat");
    }

    [Fact]
    public void Withdraw_WithAReason_RecordsIt()
    {
        var p = PrescriptionIn(PrescriptionStatus.Convoked);

        p.Withdraw(PrescriberUserId, T0, "A trouvé un emploi");

        p.History[^1].Reason.ShouldBe("A trouvé un emploi");
    }

    [Fact]
    public void Convoke_RecordsTheConvocationTime_S3()
    {
        var clock = new FakeTimeProvider(T0);
        var p = NewPrescription(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(2));

        p.Convoke(MeetingFor(p, clock.GetUtcNow()), OfUserId, clock.GetUtcNow());

        p.Status.ShouldBe(PrescriptionStatus.Convoked);
        p.ConvokedAt.ShouldBe(T0.AddDays(2));
        p.StatusChangedAt.ShouldBe(T0.AddDays(2));
        p.CreatedAt.ShouldBe(T0);
    }

    [Fact]
    public void Convoke_AgainAfterAJustifiedAbsence_MovesTheConvocationTime_S5()
    {
        var clock = new FakeTimeProvider(T0);
        var p = PrescriptionIn(PrescriptionStatus.AbsentJustified, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(10));

        p.Convoke(MeetingFor(p, clock.GetUtcNow()), OfUserId, clock.GetUtcNow());

        p.Status.ShouldBe(PrescriptionStatus.Convoked);
        p.ConvokedAt.ShouldBe(T0.AddDays(10));
    }

    private static PrescriptionForm Without(PrescriptionForm form, string field) => field switch
    {
        "PriorPath" => form with { PriorPath = "" },
        "ProjectValidation" => form with { ProjectValidation = "" },
        "CandidateAgreement" => form with { CandidateAgreement = false },
        "MaterialConditions" => form with { MaterialConditions = "" },
        "Feasibility" => form with { Feasibility = "" },
        "RqthDeclared" => form with { RqthDeclared = null },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}
