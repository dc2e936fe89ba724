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

    [Fact]
    public void Habilitate_AnApprovedPrescriber_LetsItPrescribe_A1()
    {
        var org = Organisation(K.OtherApprovedPrescriber);

        org.Habilitate();

        org.Habilitation.ShouldBe(HabilitationStatus.Habilitated);
        org.CanPrescribe.ShouldBeTrue();
    }

    [Theory]
    [InlineData(K.TrainingBody)]
    [InlineData(K.CarifOref)]
    [InlineData(K.Mfe)]
    public void Habilitate_ANonPrescriber_IsRefused_A1(K kind)
    {
        var org = Organisation(kind);

        var ex = Should.Throw<DomainException>(org.Habilitate);

        ex.Rule.ShouldBe("A1");
        ex.Message.ShouldContain("structure prescriptrice");
    }

    [Fact]
    public void SuspendHabilitation_StopsPrescription_UntilHabilitatedAgain_A1()
    {
        var org = Organisation(K.MissionLocale);

        org.SuspendHabilitation();
        org.Habilitation.ShouldBe(HabilitationStatus.Suspended);
        org.CanPrescribe.ShouldBeFalse();

        org.Habilitate();
        org.CanPrescribe.ShouldBeTrue();
    }

    [Fact]
    public void SuspendHabilitation_OfAPendingRequest_IsRefused_A1()
    {
        var org = Organisation(K.OtherApprovedPrescriber);

        Should.Throw<DomainException>(org.SuspendHabilitation).Rule.ShouldBe("A1");
        org.Habilitation.ShouldBe(HabilitationStatus.Pending);
    }

    [Fact]
    public void SuspendHabilitation_Twice_IsRefused_A1()
    {
        var org = Organisation(K.CapEmploi);
        org.SuspendHabilitation();

        Should.Throw<DomainException>(org.SuspendHabilitation).Message.ShouldContain("habilitation active");
    }

    [Fact]
    public void RevokedHabilitation_CannotBeRestored_A1()
    {
        var org = Organisation(K.FranceTravail);
        org.RevokeHabilitation();
        org.CanPrescribe.ShouldBeFalse();

        var ex = Should.Throw<DomainException>(org.Habilitate);

        ex.Rule.ShouldBe("A1");
        ex.Message.ShouldContain("retirée");
        org.Habilitation.ShouldBe(HabilitationStatus.Revoked);
    }
}

public sealed class OrganisationHabilitationScopeTests
{
    [Theory]
    [InlineData(Portal.Domain.Organisations.OrganisationKind.TrainingBody)]
    [InlineData(Portal.Domain.Organisations.OrganisationKind.CarifOref)]
    [InlineData(Portal.Domain.Organisations.OrganisationKind.Mfe)]
    public void SuspendOrRevoke_ANonPrescriber_IsRefused_A1(Portal.Domain.Organisations.OrganisationKind kind)
    {
        var org = new Portal.Domain.Organisations.Organisation("Structure", kind, Guid.NewGuid());

        Should.Throw<Portal.Domain.Common.DomainException>(org.SuspendHabilitation).Rule.ShouldBe("A1");
        Should.Throw<Portal.Domain.Common.DomainException>(org.RevokeHabilitation).Rule.ShouldBe("A1");
        org.Habilitation.ShouldBe(Portal.Domain.Organisations.HabilitationStatus.Habilitated);
    }
}
