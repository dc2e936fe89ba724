using Portal.Domain.Common;
using Portal.Domain.Organisations;
using static Portal.Domain.Tests.Builders;
using K = Portal.Domain.Organisations.OrganisationKind;

namespace Portal.Domain.Tests;

public sealed class OrganisationTests
{
    /// <summary>Who may hold which role, from the charter's actors (A1–A6).</summary>
    private static readonly HashSet<(K Kind, Role Role)> Allowed =
    [
        (K.MissionLocale, Role.Prescripteur), (K.FranceTravail, Role.Prescripteur), (K.CapEmploi, Role.Prescripteur),
        (K.OtherApprovedPrescriber, Role.Prescripteur), (K.Region, Role.Prescripteur),
        (K.MissionLocale, Role.ReferentFormation), (K.FranceTravail, Role.ReferentFormation),
        (K.CapEmploi, Role.ReferentFormation), (K.OtherApprovedPrescriber, Role.ReferentFormation),
        (K.TrainingBody, Role.OrganismeFormation),
        (K.Region, Role.Region),
        (K.CarifOref, Role.Carif),
        (K.Mfe, Role.Mfe),
        (K.Region, Role.Admin), (K.CarifOref, Role.Admin),
    ];

    public static TheoryData<K, Role, bool> KindRoleMatrix()
    {
        var data = new TheoryData<K, Role, bool>();
        foreach (var kind in Enum.GetValues<K>())
            foreach (var role in Enum.GetValues<Role>())
                data.Add(kind, role, Allowed.Contains((kind, role)));
        return data;
    }

    [Theory]
    [MemberData(nameof(KindRoleMatrix))]
    public void Allows_GivesEachRoleOnlyToItsKindsOfOrganisation_A1(K kind, Role role, bool expected)
    {
        kind.Allows(role).ShouldBe(expected);
    }

    [Fact]
    public void Allows_AnUndefinedRole_IsRefused()
    {
        K.Region.Allows((Role)99).ShouldBeFalse();
    }

    [Theory]
    [InlineData(K.MissionLocale, true)]
    [InlineData(K.FranceTravail, true)]
    [InlineData(K.CapEmploi, true)]
    [InlineData(K.OtherApprovedPrescriber, true)]
    [InlineData(K.Region, true)]
    [InlineData(K.TrainingBody, false)]
    [InlineData(K.CarifOref, false)]
    [InlineData(K.Mfe, false)]
    public void IsPrescriber_CoversTheCharterPrescribers_A1(K kind, bool expected)
    {
        kind.IsPrescriber().ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Create_WithoutName_IsRefused(string name)
    {
        Should.Throw<DomainException>(() => new Organisation(name, K.MissionLocale, TerritoryId))
            .Message.ShouldContain("nom");
    }

    [Theory]
    [InlineData("1234567890123")]
    [InlineData("123456789012345")]
    [InlineData("1234567890123A")]
    [InlineData("1234 678901234")]
    [InlineData("")]
    public void Create_WithAMalformedSiret_IsRefused(string siret)
    {
        Should.Throw<DomainException>(() => new Organisation("GRETA Sud Aquitaine", K.TrainingBody, TerritoryId, siret))
            .Message.ShouldContain("14 chiffres");
    }

    [Fact]
    public void Create_KeepsItsData_AndTrimsTheName()
    {
        var org = new Organisation("  GRETA Sud Aquitaine ", K.TrainingBody, TerritoryId, "19640045400016");

        org.Name.ShouldBe("GRETA Sud Aquitaine");
        org.Kind.ShouldBe(K.TrainingBody);
        org.TerritoryId.ShouldBe(TerritoryId);
        org.Siret.ShouldBe("19640045400016");
    }

    [Theory]
    [InlineData(K.MissionLocale)]
    [InlineData(K.FranceTravail)]
    [InlineData(K.CapEmploi)]
    [InlineData(K.Region)]
    public void Create_PublicPrescriber_IsHabilitatedAndCanPrescribe_A1(K kind)
    {
        var org = Organisation(kind);

        org.Habilitation.ShouldBe(HabilitationStatus.Habilitated);
        org.CanPrescribe.ShouldBeTrue();
    }

    [Fact]
    public void Create_OtherPrescriber_WaitsForApproval_AndCannotPrescribe_A1()
    {
        var org = Organisation(K.OtherApprovedPrescriber);

        org.Habilitation.ShouldBe(HabilitationStatus.Pending);
        org.CanPrescribe.ShouldBeFalse();
    }

    [Theory]
    [InlineData(K.TrainingBody)]
    [InlineData(K.CarifOref)]
    [InlineData(K.Mfe)]
    public void NonPrescriber_CannotPrescribe_A1(K kind)
    {
        Organisation(kind).CanPrescribe.ShouldBeFalse();
    }

    private static readonly DateTimeOffset At = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid AdminId = Guid.Parse("0197a000-0000-7000-8000-0000000000ad");

    private static OrganisationHistory Change(Organisation org, HabilitationStatus to, string reason = "Décision de la commission",
        DateOnly? date = null, string? reference = null) =>
        org.ChangeHabilitation(to, reason, At, AdminId, "Alice Admin", date, reference);

    [Fact]
    public void Habilitate_APendingPrescriber_WithDateAndReference_LetsItPrescribe_AndWritesTheHistoryLine_A1()
    {
        var org = Organisation(K.OtherApprovedPrescriber);

        var line = Change(org, HabilitationStatus.Habilitated, "Agrément accordé", new DateOnly(2026, 11, 30), "ARR-2026-114");

        org.Habilitation.ShouldBe(HabilitationStatus.Habilitated);
        org.CanPrescribe.ShouldBeTrue();
        org.HabilitatedOn.ShouldBe(new DateOnly(2026, 11, 30));
        org.HabilitationReference.ShouldBe("ARR-2026-114");
        line.Kind.ShouldBe(OrganisationHistoryKind.Habilitation);
        line.OrganisationId.ShouldBe(org.Id);
        line.At.ShouldBe(At);
        line.ByUserId.ShouldBe(AdminId);
        line.ByName.ShouldBe("Alice Admin");
        line.From.ShouldBe("Habilitation en attente");
        line.To.ShouldBe("Habilitée (décision ARR-2026-114 du 30/11/2026)");
        line.Reason.ShouldBe("Agrément accordé");
    }

    [Theory]
    [InlineData(null, "ARR-1", "date")]
    [InlineData("2026-11-30", null, "référence")]
    [InlineData("2026-11-30", "  ", "référence")]
    public void Habilitate_APendingPrescriber_WithoutTheDecision_IsRefused_A1(string? date, string? reference, string missing)
    {
        var org = Organisation(K.OtherApprovedPrescriber);

        var ex = Should.Throw<DomainException>(() => Change(org, HabilitationStatus.Habilitated, "Agrément",
            date is null ? null : DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), reference));

        ex.Rule.ShouldBe("A1");
        ex.Message.ShouldContain(missing);
        org.Habilitation.ShouldBe(HabilitationStatus.Pending);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void ChangeHabilitation_WithoutReason_IsRefused_A1(string? reason)
    {
        var org = Organisation(K.MissionLocale);

        Should.Throw<DomainException>(() => org.ChangeHabilitation(HabilitationStatus.Suspended, reason, At, AdminId, "Alice Admin"))
            .Message.ShouldContain("motif");
        org.Habilitation.ShouldBe(HabilitationStatus.Habilitated);
    }

    [Fact]
    public void Suspend_StopsPrescription_UntilHabilitatedAgain_WithoutANewDecision_A1()
    {
        var org = Organisation(K.MissionLocale);

        var suspended = Change(org, HabilitationStatus.Suspended, "Contrôle en cours");
        org.Habilitation.ShouldBe(HabilitationStatus.Suspended);
        org.CanPrescribe.ShouldBeFalse();
        suspended.From.ShouldBe("Habilitée");
        suspended.To.ShouldBe("Habilitation suspendue");

        var restored = Change(org, HabilitationStatus.Habilitated, "Contrôle levé");
        org.CanPrescribe.ShouldBeTrue();
        restored.From.ShouldBe("Habilitation suspendue");
        restored.To.ShouldBe("Habilitée");
    }

    /// <summary>Every (from, to) pair and whether the lifecycle allows it, as the brief draws it (A1).</summary>
    public static TheoryData<HabilitationStatus, HabilitationStatus, bool> Transitions()
    {
        var allowed = new HashSet<(HabilitationStatus, HabilitationStatus)>
        {
            (HabilitationStatus.Pending, HabilitationStatus.Habilitated),
            (HabilitationStatus.Pending, HabilitationStatus.Revoked),
            (HabilitationStatus.Habilitated, HabilitationStatus.Suspended),
            (HabilitationStatus.Habilitated, HabilitationStatus.Revoked),
            (HabilitationStatus.Suspended, HabilitationStatus.Habilitated),
            (HabilitationStatus.Suspended, HabilitationStatus.Revoked),
        };
        var data = new TheoryData<HabilitationStatus, HabilitationStatus, bool>();
        foreach (var from in Enum.GetValues<HabilitationStatus>())
            foreach (var to in Enum.GetValues<HabilitationStatus>())
                data.Add(from, to, allowed.Contains((from, to)));
        return data;
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void HabilitationLifecycle_AllowsOnlyTheChartersTransitions_A1(HabilitationStatus from, HabilitationStatus to, bool expected)
    {
        HabilitationLifecycle.Allows(from, to).ShouldBe(expected);
    }

    [Fact]
    public void Suspend_APendingRequest_IsRefused_A1()
    {
        var org = Organisation(K.OtherApprovedPrescriber);

        var ex = Should.Throw<DomainException>(() => Change(org, HabilitationStatus.Suspended));

        ex.Rule.ShouldBe("A1");
        ex.Message.ShouldBe("Une habilitation « Habilitation en attente » ne peut pas passer à « Habilitation suspendue ».");
        org.Habilitation.ShouldBe(HabilitationStatus.Pending);
    }

    [Fact]
    public void Suspend_Twice_IsRefused_A1()
    {
        var org = Organisation(K.CapEmploi);
        Change(org, HabilitationStatus.Suspended);

        Should.Throw<DomainException>(() => Change(org, HabilitationStatus.Suspended)).Message.ShouldContain("déjà");
    }

    [Theory]
    [InlineData(HabilitationStatus.Habilitated)]
    [InlineData(HabilitationStatus.Suspended)]
    [InlineData(HabilitationStatus.Pending)]
    public void RevokedHabilitation_IsFinal_A1(HabilitationStatus to)
    {
        var org = Organisation(K.FranceTravail);
        Change(org, HabilitationStatus.Revoked, "Fin de convention");
        org.CanPrescribe.ShouldBeFalse();

        var ex = Should.Throw<DomainException>(() => Change(org, to, "Réouverture", new DateOnly(2026, 12, 1), "X"));

        ex.Rule.ShouldBe("A1");
        ex.Message.ShouldContain("retirée");
        org.Habilitation.ShouldBe(HabilitationStatus.Revoked);
    }

    [Fact]
    public void ChangeHabilitation_BumpsTheVersion_ForConcurrentAdministrators_A1()
    {
        var org = Organisation(K.MissionLocale);

        Change(org, HabilitationStatus.Suspended);
        Change(org, HabilitationStatus.Habilitated);

        org.Version.ShouldBe(2);
    }

    [Theory]
    [InlineData(K.TrainingBody)]
    [InlineData(K.CarifOref)]
    [InlineData(K.Mfe)]
    public void ChangeHabilitation_OfANonPrescriber_IsRefused_A1(K kind)
    {
        var org = Organisation(kind);

        foreach (var to in Enum.GetValues<HabilitationStatus>())
            Should.Throw<DomainException>(() => Change(org, to, "Motif", new DateOnly(2026, 12, 1), "X")).Rule.ShouldBe("A1");
        org.Habilitation.ShouldBe(HabilitationStatus.Habilitated);
    }

    [Fact]
    public void NameDelegate_RecordsWhoWasNamed_AndCanBeRemoved_A2()
    {
        var org = Organisation(K.MissionLocale);
        var sophie = Guid.Parse("0197a000-0000-7000-8000-0000000000d1");

        var named = org.NameDelegate(sophie, null, "Sophie Bernard", At, AdminId, "Alice Admin");
        org.DelegateUserId.ShouldBe(sophie);
        named.Kind.ShouldBe(OrganisationHistoryKind.Delegate);
        named.From.ShouldBe("Aucun");
        named.To.ShouldBe("Sophie Bernard");

        var removed = org.NameDelegate(null, "Sophie Bernard", null, At, AdminId, "Alice Admin");
        org.DelegateUserId.ShouldBeNull();
        removed.From.ShouldBe("Sophie Bernard");
        removed.To.ShouldBe("Aucun");
    }

    [Theory]
    [InlineData(K.TrainingBody)]
    [InlineData(K.Mfe)]
    [InlineData(K.Region)]
    public void NameDelegate_OutsideAPrescriberOrganisation_IsRefused_A2(K kind)
    {
        var org = Organisation(kind);

        Should.Throw<DomainException>(() => org.NameDelegate(Guid.NewGuid(), null, "X", At, AdminId, "Alice Admin")).Rule.ShouldBe("A2");
        org.DelegateUserId.ShouldBeNull();
    }

    [Fact]
    public void Edit_ChecksTheSiretKey_AndKeepsTheIdentity()
    {
        var org = Organisation(K.OtherApprovedPrescriber);

        org.Edit("  Association Avenir Emploi ", "732 829 320 00074", " 12 rue des Lilas, 33000 Bordeaux ", "33063");

        org.Name.ShouldBe("Association Avenir Emploi");
        org.Siret.ShouldBe("73282932000074");
        org.Address.ShouldBe("12 rue des Lilas, 33000 Bordeaux");
        org.CommuneInsee.ShouldBe("33063");
        Should.Throw<DomainException>(() => org.Edit("Association Avenir Emploi", "73282932000075", null, null))
            .Message.ShouldContain("clé de contrôle");
        org.Siret.ShouldBe("73282932000074");
    }

    [Fact]
    public void Edit_KeepsAStoredSiret_EvenWithAWrongKey_ButChecksAChangedOne()
    {
        // 77568899100012 (a seeded SIRET), from the right: 2 + (1→2) + 0 + 0 + 0 + (1→2) + 9 + (9→18→9) + 8 + (8→16→7) + 6 + (5→10→1) + 7 + (7→14→5) = 58: wrong key.
        var org = new Organisation("Cap Emploi Gironde", K.CapEmploi, TerritoryId, "77568899100012");

        org.Edit("Cap Emploi Gironde", "775 688 991 00012", "1 quai de Bacalan, 33300 Bordeaux", null);

        org.Siret.ShouldBe("77568899100012");
        org.Address.ShouldBe("1 quai de Bacalan, 33300 Bordeaux");
        Should.Throw<DomainException>(() => org.Edit("Cap Emploi Gironde", "77568899100013", null, null)).Message.ShouldContain("clé de contrôle");
    }
}

/// <summary>The SIRET's Luhn key, each expected value worked out by hand in the comment.</summary>
public sealed class SiretTests
{
    // 7 3 2 8 2 9 3 2 0 0 0 0 7 4, from the right, every second digit doubled (9 taken off past 9):
    // 4 + (7→14→5) + 0 + 0 + 0 + 0 + 2 + (3→6) + 9 + (2→4) + 8 + (2→4) + 3 + (7→14→5) = 50, a multiple of 10: valid.
    [InlineData("73282932000074", true)]
    // Same, last digit 5: 51, not a multiple of 10.
    [InlineData("73282932000075", false)]
    // Last two digits swapped: 7 + (4→8) + 0 + 0 + 0 + 0 + 2 + 6 + 9 + 4 + 8 + 4 + 3 + 5 = 56.
    [InlineData("73282932000047", false)]
    // La Poste's head office 356 000 000 00048: 8 + (4→8) + 0×9 + (6→12→3) + 5 + (3→6) = 30: valid by Luhn.
    [InlineData("35600000000048", true)]
    // A La Poste establishment 356 000 000 00015: Luhn gives 5 + (1→2) + 3 + 5 + 6 = 21 (no), but its digits add up to
    // 3 + 5 + 6 + 1 + 5 = 20, a multiple of 5: valid under La Poste's exception.
    [InlineData("35600000000015", true)]
    // The same trick outside La Poste (357…): digits 3 + 5 + 7 + 1 + 5 = 21, Luhn 5 + 2 + (7→14→5) + 5 + 6 = 23: invalid.
    [InlineData("35700000000015", false)]
    [InlineData("7328293200007", false)]
    [InlineData("732829320000740", false)]
    [InlineData("7328293200007A", false)]
    [InlineData(null, false)]
    [Theory]
    public void IsValid_ChecksTheLuhnKey(string? siret, bool expected)
    {
        Siret.IsValid(siret).ShouldBe(expected);
    }

    [Fact]
    public void Check_RemovesSpaces_AndSaysInFrenchWhatIsWrong()
    {
        Siret.Check(" 732 829 320 00074 ").ShouldBe("73282932000074");
        Siret.Check("  ").ShouldBeNull();
        Should.Throw<DomainException>(() => Siret.Check(null, required: true)).Message.ShouldBe("Le SIRET est obligatoire.");
        Should.Throw<DomainException>(() => Siret.Check("7328293200007")).Message.ShouldBe("Le SIRET doit comporter 14 chiffres.");
        Should.Throw<DomainException>(() => Siret.Check("73282932000075")).Message
            .ShouldBe("Le SIRET 73282932000075 n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez les chiffres saisis.");
    }
}
