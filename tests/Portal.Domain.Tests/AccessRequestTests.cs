using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.Organisations;

namespace Portal.Domain.Tests;

/// <summary>Issue #14 (2): an access request's life, a membership's role change and end, the audit line's bounds.</summary>
public sealed class AccessRequestTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static Organisation MissionLocale() => new("Mission Locale des Graves", OrganisationKind.MissionLocale, Guid.NewGuid());

    [Fact]
    public void ARequest_IsPending_ThenDecidedOnce_Issue14_2()
    {
        var request = new AccessRequest(Guid.NewGuid(), MissionLocale(), Role.ReferentFormation, "   ", At);
        request.Status.ShouldBe(AccessRequestStatus.Pending);
        request.Message.ShouldBeNull();

        request.Accept(At.AddHours(1), Guid.NewGuid(), "Sophie Bernard");

        (request.Status, request.DecidedAt, request.DecidedByName, request.Version).ShouldBe((AccessRequestStatus.Accepted, At.AddHours(1), "Sophie Bernard", 1));
        Should.Throw<DomainException>(() => request.Refuse("Trop tard", At, Guid.NewGuid(), "X")).Message.ShouldBe("Cette demande d'accès a déjà été traitée.");
    }

    [Fact]
    public void ARefusal_NeedsAReason_WithinItsLimit_Issue14_2()
    {
        var request = new AccessRequest(Guid.NewGuid(), MissionLocale(), Role.Prescripteur, null, At);

        Should.Throw<DomainException>(() => request.Refuse(null, At, Guid.NewGuid(), "X")).Message.ShouldBe("Indiquez le motif du refus : la personne le lira.");
        Should.Throw<DomainException>(() => request.Refuse(new string('m', 501), At, Guid.NewGuid(), "X")).Message.ShouldBe("Le motif du refus ne peut pas dépasser 500 caractères.");
        request.Refuse("  Inconnu de la structure  ", At, Guid.NewGuid(), "X");
        request.RefusalReason.ShouldBe("Inconnu de la structure");
    }

    [Theory]
    [InlineData(Role.OrganismeFormation)]
    [InlineData(Role.Admin)]
    [InlineData(Role.Mfe)]
    public void ARoleTheKindDoesNotAllow_OrTheAdministrators_CannotBeAsked_Issue14_2(Role role)
    {
        Should.Throw<DomainException>(() => new AccessRequest(Guid.NewGuid(), MissionLocale(), role, null, At)).Message
            .ShouldBe("Le rôle demandé n'est pas possible dans une organisation de type « Mission Locale ».");
    }

    [Fact]
    public void AMembership_ChangesRole_WithinTheKind_AndEnds_Issue14_2()
    {
        var org = MissionLocale();
        var user = new AppUser("lea@essai.fr", "Léa", "Martin");
        var membership = user.Join(org, Role.Prescripteur);

        Should.Throw<DomainException>(() => user.ChangeRole(membership.Id, org, Role.Carif)).Message
            .ShouldBe("Le rôle « CARIF-OREF » n'est pas possible dans une organisation de type « Mission Locale ».");
        Should.Throw<DomainException>(() => user.ChangeRole(membership.Id, org, Role.Prescripteur)).Message.ShouldBe("La personne a déjà ce rôle.");
        user.ChangeRole(membership.Id, org, Role.ReferentFormation);
        membership.Role.ShouldBe(Role.ReferentFormation);

        user.Leave(membership.Id).ShouldBeSameAs(membership);
        user.Memberships.ShouldBeEmpty();
        Should.Throw<DomainException>(() => user.Leave(membership.Id)).Message.ShouldBe("Ce rattachement n'existe plus.");
    }

    [Fact]
    public void ADeactivatedUser_IsReactivated_Issue14_2()
    {
        var user = new AppUser("lea@essai.fr", "Léa", "Martin");
        user.Deactivate();
        user.IsActive.ShouldBeFalse();

        user.Reactivate();

        user.IsActive.ShouldBeTrue();
    }

    [Fact]
    public void AnAuditLine_CutsLongStates_NeverRefusesThem_Issue14_2()
    {
        var line = new AuditEntry(At, Guid.NewGuid(), "Alex", AuditAction.OrganisationEdited, null, new string('c', 400), new string('a', 2500), "court");

        line.Target.Length.ShouldBe(300);
        line.Target.ShouldEndWith("…");
        line.Before!.Length.ShouldBe(2000);
        line.After.ShouldBe("court");
        AuditAction.MembershipEnded.Label().ShouldBe("Rattachement terminé");
    }
}
