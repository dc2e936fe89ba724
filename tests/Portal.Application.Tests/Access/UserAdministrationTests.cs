using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Export;
using Portal.Application.Features.Access;
using Portal.Application.Features.Identity;
using Portal.Application.Security;
using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.Identity;
using Portal.Domain.Organisations;
using Portal.Testing;

namespace Portal.Application.Tests.Access;

/// <summary>
/// Issue #14 (2), ADR 0024: users and memberships. The administrator sees and manages all; a référent their organisation's
/// members only (asserted both ways, ids guessed included); ending a membership, changing a role or deactivating ends every
/// session of the person (ADR 0018). Each test makes its own organisation and members.
/// </summary>
public sealed class UserAdministrationTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);
    private readonly RecordingNotifier<UserSessionsEnded> _live = new();
    private static int _seed;

    public void Dispose() => _live.Dispose();

    private EndAllSessionsForUser.Handler Sessions => new(fixture.Database, _clock, _live.Notifier, new SessionTrustCache(_clock));

    /// <summary>A new Mission Locale in Gironde with one member per role given: (organisation, members' CurrentUser, their memberships' ids).</summary>
    private async Task<(Guid OrganisationId, List<CurrentUser> Members, List<Guid> Memberships)> NewOrganisationAsync(params Role[] roles)
    {
        var n = Interlocked.Increment(ref _seed);
        await using var db = fixture.Database.CreateDbContext();
        var gironde = await db.Territories.Where(t => t.Code == "33").Select(t => t.Id).SingleAsync(Ct);
        var org = new Organisation($"Mission Locale d'essai {n} {Guid.NewGuid():N}"[..40], OrganisationKind.MissionLocale, gironde);
        db.Organisations.Add(org);
        var members = new List<CurrentUser>();
        var memberships = new List<Guid>();
        foreach (var (role, i) in roles.Select((r, i) => (r, i)))
        {
            var user = new AppUser($"membre{i}.{org.Id:N}@essai.fr", $"Prénom{i}", $"Essai{n}x{i}");
            memberships.Add(user.Join(org, role).Id);
            db.Users.Add(user);
            members.Add(new CurrentUser(user.Id, user.DisplayName, org.Id, org.Name, org.Kind, gironde, new HashSet<Role> { role }));
        }
        await db.SaveChangesAsync(Ct);
        return (org.Id, members, memberships);
    }

    private Task<SearchUsers.Result> SearchAsync(CurrentUser user, SearchUsers? query = null) =>
        new SearchUsers.Handler(fixture.Database).HandleAsync(query ?? new SearchUsers(Take: 500), user, Ct);

    private Task<Guid> StartSessionAsync(Guid userId) =>
        new StartUserSession.Handler(fixture.Database, _clock, UserSessionSettings.Default).HandleAsync(new StartUserSession(userId, $"sub-{userId:N}"), Ct);

    private async Task<UserSession> SessionAsync(Guid id)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.UserSessions.AsNoTracking().SingleAsync(s => s.Id == id, Ct);
    }

    private async Task<AuditEntry> LastAuditAsync(Guid targetId)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.AllAuditEntries.AsNoTracking().Where(a => a.TargetId == targetId).OrderByDescending(a => a.Id).FirstAsync(Ct);
    }

    [Fact]
    public async Task AReferent_SeesTheirOrganisationsMembersOnly_TheAdministratorSeesEveryone_Issue14_2()
    {
        var (orgA, membersA, _) = await NewOrganisationAsync(Role.ReferentFormation, Role.Prescripteur);
        var (orgB, membersB, _) = await NewOrganisationAsync(Role.ReferentFormation, Role.Prescripteur);
        var referentA = membersA[0];

        var seenByA = (await SearchAsync(referentA)).Rows.Select(r => r.Id).ToList();
        seenByA.ShouldBe([membersA[0].UserId, membersA[1].UserId], ignoreOrder: true);
        seenByA.ShouldNotContain(membersB[1].UserId);
        // Asking for the other organisation by its id finds nobody.
        (await SearchAsync(referentA, new SearchUsers(OrganisationId: orgB))).Rows.ShouldBeEmpty();

        var admin = await fixture.UserAsync(TestUsers.Admin);
        var seenByAdmin = (await SearchAsync(admin, new SearchUsers(OrganisationId: orgB))).Rows.Select(r => r.Id).ToList();
        seenByAdmin.ShouldBe([membersB[0].UserId, membersB[1].UserId], ignoreOrder: true);
        (await SearchAsync(admin)).Total.ShouldBeGreaterThan(4);
    }

    [Fact]
    public async Task APrescriberOrAnOf_ListsNobody_Issue14_2()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);

        (await Should.ThrowAsync<AccessDeniedException>(() => SearchAsync(camille))).Message
            .ShouldBe("La gestion des utilisateurs est réservée à l'administrateur et aux référents.");
        await Should.ThrowAsync<AccessDeniedException>(() => SearchAsync(julie));
    }

    [Fact]
    public async Task Search_Filters_ByNameRoleAndActive_AndPagesInSql_SortedByName_Issue14_2()
    {
        var (org, members, _) = await NewOrganisationAsync(Role.ReferentFormation, Role.Prescripteur, Role.Prescripteur);
        var admin = await fixture.UserAsync(TestUsers.Admin);
        await new SetUserActive.Handler(fixture.Database, _clock, Sessions).HandleAsync(new SetUserActive(members[2].UserId, false), admin, Ct);

        (await SearchAsync(admin, new SearchUsers(OrganisationId: org, Role: Role.Prescripteur))).Rows.Select(r => r.Id)
            .ShouldBe([members[1].UserId, members[2].UserId]);
        (await SearchAsync(admin, new SearchUsers(OrganisationId: org, Active: false))).Rows.Select(r => r.Id).ShouldBe([members[2].UserId]);
        (await SearchAsync(admin, new SearchUsers(Search: members[1].DisplayName.ToUpperInvariant(), OrganisationId: org))).Rows.Select(r => r.Id)
            .ShouldBe([members[1].UserId]);
        var page2 = await SearchAsync(admin, new SearchUsers(OrganisationId: org, Skip: 1, Take: 1));
        page2.Total.ShouldBe(3);
        page2.Rows.Select(r => r.Id).ShouldBe([members[1].UserId]); // Essai…x0, Essai…x1, Essai…x2 by family name
    }

    [Fact]
    public async Task TheExport_IsTheScreensList_InTheReferentsScope_Issue14_2()
    {
        var (org, members, _) = await NewOrganisationAsync(Role.ReferentFormation, Role.Prescripteur);
        var export = new UsersExport(new SearchUsers.Handler(fixture.Database), _clock);

        var source = await export.OpenAsync(ExportParameters.Empty, members[0], Ct);

        source.Total.ShouldBe(2);
        source.Columns.ShouldBe(["Nom", "Prénom", "E-mail", "Compte", "Rattachements"]);
        var rows = await source.ReadPage(0, 10, Ct);
        rows.Select(r => r[2]).ShouldBe([$"membre0.{org:N}@essai.fr", $"membre1.{org:N}@essai.fr"]);
        rows[1][4].ShouldEndWith("(Prescripteur)");
        (await Should.ThrowAsync<DomainException>(() => export.OpenAsync(new ExportParameters([new("actif", "peut-être")]), members[0], Ct))).Message
            .ShouldBe("Valeur inconnue pour le paramètre « actif » : « peut-être » (oui ou non).");
    }

    [Fact]
    public async Task EndingTheLastMembership_EndsEverySessionOfThePerson_AndWritesTheAuditLine_Issue14_2()
    {
        var (_, members, memberships) = await NewOrganisationAsync(Role.ReferentFormation, Role.Prescripteur);
        var referent = members[0];
        var prescriber = members[1];
        var first = await StartSessionAsync(prescriber.UserId);
        var second = await StartSessionAsync(prescriber.UserId);
        var referentsOwn = await StartSessionAsync(referent.UserId);
        _clock.Advance(TimeSpan.FromMinutes(5));

        await new EndMembership.Handler(fixture.Database, _clock, Sessions).HandleAsync(new EndMembership(memberships[1]), referent, Ct);

        (await SessionAsync(first)).EndedReason.ShouldBe(SessionEndReason.MembershipEnded);
        (await SessionAsync(second)).EndedAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 11, 5, 0, TimeSpan.Zero));
        (await SessionAsync(referentsOwn)).EndedAt.ShouldBeNull();
        _live.Published.ShouldContain(e => e.UserId == prescriber.UserId && e.SessionIds.Count == 2);
        (await new ResolveUser.Handler(fixture.Database).HandleAsync(new ResolveUser($"sub-x-{prescriber.UserId:N}", $"membre1.{prescriber.OrganisationId:N}@essai.fr"), Ct))
            .ShouldBeNull(); // no membership left: Accès en attente at the next login
        var audit = await LastAuditAsync(prescriber.UserId);
        audit.Action.ShouldBe(AuditAction.MembershipEnded);
        audit.ActorId.ShouldBe(referent.UserId);
        audit.Before.ShouldBe("Prescripteur");
        audit.After.ShouldBe("Plus aucun rattachement");
    }

    [Fact]
    public async Task AnotherOrganisationsReferent_CannotEndOrChangeAMembership_EvenWithItsId_Issue14_2()
    {
        var (_, membersA, membershipsA) = await NewOrganisationAsync(Role.ReferentFormation, Role.Prescripteur);
        var (_, membersB, _) = await NewOrganisationAsync(Role.ReferentFormation);
        var session = await StartSessionAsync(membersA[1].UserId);

        await Should.ThrowAsync<NotFoundException>(() =>
            new EndMembership.Handler(fixture.Database, _clock, Sessions).HandleAsync(new EndMembership(membershipsA[1]), membersB[0], Ct));
        await Should.ThrowAsync<NotFoundException>(() =>
            new ChangeMembershipRole.Handler(fixture.Database, _clock, Sessions).HandleAsync(new ChangeMembershipRole(membershipsA[1], Role.ReferentFormation), membersB[0], Ct));

        (await SessionAsync(session)).EndedAt.ShouldBeNull();
        (await SearchAsync(membersA[0])).Rows.Single(r => r.Id == membersA[1].UserId).Memberships.Single().Role.ShouldBe(Role.Prescripteur);
    }

    [Fact]
    public async Task ChangingARole_KeepsTheMembership_EndsTheSessions_AndRefusesARoleTheKindDoesNotAllow_Issue14_2()
    {
        var (_, members, memberships) = await NewOrganisationAsync(Role.ReferentFormation, Role.Prescripteur);
        var session = await StartSessionAsync(members[1].UserId);
        var handler = new ChangeMembershipRole.Handler(fixture.Database, _clock, Sessions);

        (await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(new ChangeMembershipRole(memberships[1], Role.OrganismeFormation), members[0], Ct))).Message
            .ShouldBe("Le rôle « Organisme de formation » n'est pas possible dans une organisation de type « Mission Locale ».");
        (await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(new ChangeMembershipRole(memberships[0], Role.Prescripteur), members[0], Ct))).Message
            .ShouldBe("Vous ne pouvez pas modifier vos propres rattachements : demandez-le à l'administrateur.");
        await handler.HandleAsync(new ChangeMembershipRole(memberships[1], Role.ReferentFormation, ExpectedRole: Role.Prescripteur), members[0], Ct);
        // A second screen still showing "Prescripteur" is told, not silently overwritten.
        (await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(new ChangeMembershipRole(memberships[1], Role.Prescripteur, ExpectedRole: Role.Prescripteur), members[0], Ct))).Message
            .ShouldBe("Ce rattachement vient d'être modifié par quelqu'un d'autre : rechargez la page et recommencez.");

        (await SearchAsync(members[0])).Rows.Single(r => r.Id == members[1].UserId).Memberships.Single().Role.ShouldBe(Role.ReferentFormation);
        (await SessionAsync(session)).EndedReason.ShouldBe(SessionEndReason.EndedByAdministrator);
        var audit = await LastAuditAsync(members[1].UserId);
        (audit.Action, audit.Before, audit.After).ShouldBe((AuditAction.MembershipRoleChanged, "Prescripteur", "Référent formation"));
    }

    [Fact]
    public async Task Deactivating_EndsEverySession_OnlyTheAdministratorMay_NotOnThemselves_AndReactivatingLetsThemBackIn_Issue14_2()
    {
        var (_, members, _) = await NewOrganisationAsync(Role.ReferentFormation, Role.Prescripteur);
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var handler = new SetUserActive.Handler(fixture.Database, _clock, Sessions);
        var session = await StartSessionAsync(members[1].UserId);

        (await Should.ThrowAsync<AccessDeniedException>(() => handler.HandleAsync(new SetUserActive(members[1].UserId, false), members[0], Ct))).Message
            .ShouldBe("Seul l'administrateur désactive ou réactive un compte.");
        (await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(new SetUserActive(admin.UserId, false), admin, Ct))).Message
            .ShouldBe("Vous ne pouvez pas désactiver votre propre compte.");
        (await SessionAsync(session)).EndedAt.ShouldBeNull();

        await handler.HandleAsync(new SetUserActive(members[1].UserId, false), admin, Ct);

        (await SessionAsync(session)).EndedReason.ShouldBe(SessionEndReason.UserDeactivated);
        var email = $"membre1.{members[1].OrganisationId:N}@essai.fr";
        (await new ResolveUser.Handler(fixture.Database).HandleAsync(new ResolveUser("sub-inconnu-" + Guid.NewGuid(), email), Ct)).ShouldBeNull();
        (await LastAuditAsync(members[1].UserId)).Action.ShouldBe(AuditAction.UserDeactivated);

        await handler.HandleAsync(new SetUserActive(members[1].UserId, true), admin, Ct);
        (await LastAuditAsync(members[1].UserId)).Action.ShouldBe(AuditAction.UserReactivated);
        (await SearchAsync(admin, new SearchUsers(Search: email))).Rows.Single().IsActive.ShouldBeTrue();
    }
}
