using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Access;
using Portal.Application.Features.Administration;
using Portal.Application.Features.Identity;
using Portal.Application.Security;
using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Testing;

namespace Portal.Application.Tests.Access;

/// <summary>
/// Issue #14 (2), ADR 0024: access requests from *Accès en attente* and their decision by the organisation's référent,
/// its correspondant délégué (A2) or the administrator; never by another organisation's référent, even with the id.
/// Each test makes its own requesters (fresh subjects and e-mails) on one demo database.
/// </summary>
public sealed class AccessRequestTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);
    private readonly RecordingSender _mail = new();
    private readonly RecordingSender _requestMail = new();
    private readonly RecordingNotifier<AccessRequestsChanged> _live = new();

    private sealed class RecordingSender : IMailSender
    {
        public List<OutgoingMail> Sent { get; } = [];

        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
        {
            lock (Sent) Sent.Add(mail);
            return Task.CompletedTask;
        }
    }

    private InlineJobScheduler? _jobs;

    private InlineJobScheduler Jobs => _jobs ??= new InlineJobScheduler(_ =>
        new AccessDecisionMailJob(fixture.Database, _mail, NullLogger<AccessDecisionMailJob>.Instance));

    private static int _seed;

    private static PendingIdentity NewIdentity(Guid? siretOrganisation = null)
    {
        var n = Interlocked.Increment(ref _seed);
        return new PendingIdentity($"sub-demande-{n}-{Guid.NewGuid():N}", $"demandeur{n}.{Guid.NewGuid():N}@essai.fr", $"Léa Demande{n}", "Léa", $"Demande{n}", siretOrganisation);
    }

    // The requests' mails to their deciders go to their own recorder, apart from the decisions' mails to the requester.
    private InlineJobScheduler? _requestJobs;

    private InlineJobScheduler RequestJobs => _requestJobs ??= new InlineJobScheduler(_ =>
        new AccessRequestMailJob(fixture.Database, _requestMail, new Portal.Application.Features.Notifications.PortalLinks("https://portail.exemple.fr"),
            NullLogger<AccessRequestMailJob>.Instance));

    private Task<Guid> RequestAsync(PendingIdentity identity, Guid organisationId, Role role = Role.Prescripteur, string? message = null) =>
        new RequestAccess.Handler(fixture.Database, _clock, _live.Notifier, RequestJobs).HandleAsync(new RequestAccess(organisationId, role, message), identity, Ct);

    private async Task DecideAsync(Guid requestId, bool accept, CurrentUser by, string? reason = null)
    {
        int version;
        await using (var db = fixture.Database.CreateDbContext())
            version = await db.AllAccessRequests.Where(r => r.Id == requestId).Select(r => r.Version).SingleAsync(Ct);
        await new DecideAccessRequest.Handler(fixture.Database, _clock, _live.Notifier, Jobs)
            .HandleAsync(new DecideAccessRequest(requestId, accept, reason, version), by, Ct);
        await Jobs.DrainAsync();
    }

    private Task<GetAccessRequests.Result> PendingFor(CurrentUser user) =>
        new GetAccessRequests.Handler(fixture.Database).HandleAsync(new GetAccessRequests(AccessRequestStatus.Pending, 0, 200), user, Ct);

    private async Task<Guid> OrganisationAsync(string name)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Organisations.Where(o => o.Name == name).Select(o => o.Id).SingleAsync(Ct);
    }

    [Fact]
    public async Task ARequest_CreatesTheAccount_IsPending_AndTheRequesterSeesIt_Issue14_2()
    {
        var technowest = await OrganisationAsync("Mission Locale Technowest");
        var identity = NewIdentity();

        var id = await RequestAsync(identity, technowest, Role.Prescripteur, "  Conseillère arrivée le 1er décembre.  ");

        var mine = await new GetMyAccessRequest.Handler(fixture.Database).HandleAsync(identity, Ct);
        mine.ShouldNotBeNull();
        mine.Id.ShouldBe(id);
        mine.OrganisationName.ShouldBe("Mission Locale Technowest");
        mine.Role.ShouldBe(Role.Prescripteur);
        mine.Message.ShouldBe("Conseillère arrivée le 1er décembre.");
        mine.Status.ShouldBe(AccessRequestStatus.Pending);
        mine.CreatedAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero));
        await using var db = fixture.Database.CreateDbContext();
        var account = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Subject == identity.Subject, Ct);
        account.Email.ShouldBe(identity.Email);
        account.GivenName.ShouldBe("Léa");
        account.IsActive.ShouldBeTrue();
        account.Memberships.ShouldBeEmpty();
        // The organisation's deciders hear it live (the topic is the organisation, and the request for the requester).
        _live.Published.ShouldContain(e => e.RequestId == id && e.OrganisationId == technowest && e.Status == AccessRequestStatus.Pending);
    }

    [Fact]
    public async Task OneOpenRequestPerPerson_ASecondIsRefusedInFrench_Issue14_2()
    {
        var technowest = await OrganisationAsync("Mission Locale Technowest");
        var identity = NewIdentity();
        await RequestAsync(identity, technowest);

        var second = await Should.ThrowAsync<DomainException>(() => RequestAsync(identity, technowest, Role.ReferentFormation));

        second.Message.ShouldBe("Vous avez déjà une demande d'accès en cours : attendez sa réponse.");
    }

    [Fact]
    public async Task ARoleTheOrganisationsKindDoesNotAllow_IsRefused_AndSoIsTheAdministratorsRole_Issue14_2()
    {
        var formapro = await OrganisationAsync("Formapro Gironde");
        var region = await OrganisationAsync("Région Nouvelle-Aquitaine");

        (await Should.ThrowAsync<DomainException>(() => RequestAsync(NewIdentity(), formapro, Role.Prescripteur))).Message
            .ShouldBe("Le rôle demandé n'est pas possible dans une organisation de type « Organisme de formation ».");
        (await Should.ThrowAsync<DomainException>(() => RequestAsync(NewIdentity(), region, Role.Admin))).Message
            .ShouldBe("Le rôle demandé n'est pas possible dans une organisation de type « Région ».");
        AccessRules.RequestableRoles(OrganisationKind.TrainingBody).ShouldBe([Role.OrganismeFormation]);
        AccessRules.RequestableRoles(OrganisationKind.MissionLocale).ShouldBe([Role.Prescripteur, Role.ReferentFormation]);
    }

    [Fact]
    public async Task AMessageOverItsLimit_IsRefusedInFrench_Issue14_2()
    {
        var technowest = await OrganisationAsync("Mission Locale Technowest");

        var refused = await Should.ThrowAsync<DomainException>(() => RequestAsync(NewIdentity(), technowest, message: new string('x', 1001)));

        refused.Message.ShouldBe("Le message ne peut pas dépasser 1000 caractères.");
    }

    [Fact]
    public async Task TheReferent_SeesTheirOrganisationsRequestsOnly_AnotherOrganisationsReferent_NeitherSeesNorDecidesIt_Issue14_2()
    {
        var sophie = await fixture.UserAsync(TestUsers.Sophie);   // référent, Mission Locale Technowest
        var karim = await fixture.UserAsync(TestUsers.Karim);     // référent, France Travail Pau Université
        var technowest = await OrganisationAsync("Mission Locale Technowest");
        var pau = await OrganisationAsync("France Travail Pau Université");
        var toTechnowest = await RequestAsync(NewIdentity(), technowest);
        var toPau = await RequestAsync(NewIdentity(), pau);

        var seenBySophie = (await PendingFor(sophie)).Rows.Select(r => r.Id).ToList();
        seenBySophie.ShouldContain(toTechnowest);
        seenBySophie.ShouldNotContain(toPau);
        var seenByKarim = (await PendingFor(karim)).Rows.Select(r => r.Id).ToList();
        seenByKarim.ShouldContain(toPau);
        seenByKarim.ShouldNotContain(toTechnowest);

        // Karim guesses the id of Technowest's request: not found, and nothing changes.
        await Should.ThrowAsync<NotFoundException>(() => DecideAsync(toTechnowest, accept: true, karim));
        await using var db = fixture.Database.CreateDbContext();
        (await db.AllAccessRequests.SingleAsync(r => r.Id == toTechnowest, Ct)).Status.ShouldBe(AccessRequestStatus.Pending);
        (await new GetAccessRequests.Handler(fixture.Database).CountPendingAsync(karim, Ct)).ShouldBe(seenByKarim.Count);
    }

    [Fact]
    public async Task APrescriberOrAnOf_DecidesNoRequest_Issue14_2()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var request = await RequestAsync(NewIdentity(), await OrganisationAsync("Mission Locale Technowest"));

        await Should.ThrowAsync<AccessDeniedException>(() => PendingFor(camille));
        await Should.ThrowAsync<AccessDeniedException>(() => PendingFor(julie));
        await Should.ThrowAsync<AccessDeniedException>(() => DecideAsync(request, accept: true, camille));
        (await new GetAccessRequests.Handler(fixture.Database).CountPendingAsync(camille, Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task Accepting_CreatesTheMembership_WritesTheAuditLine_EmailsTheRequester_AndTheyAreResolvedAtTheirNextLogin_Issue14_2()
    {
        var sophie = await fixture.UserAsync(TestUsers.Sophie);
        var technowest = await OrganisationAsync("Mission Locale Technowest");
        var identity = NewIdentity();
        var request = await RequestAsync(identity, technowest, Role.Prescripteur);
        (await new ResolveUser.Handler(fixture.Database).HandleAsync(new ResolveUser(identity.Subject, identity.Email), Ct)).ShouldBeNull();
        _clock.Advance(TimeSpan.FromMinutes(30));

        await DecideAsync(request, accept: true, sophie);

        var resolved = await new ResolveUser.Handler(fixture.Database).HandleAsync(new ResolveUser(identity.Subject, identity.Email), Ct);
        resolved.ShouldNotBeNull();
        resolved.OrganisationId.ShouldBe(technowest);
        resolved.Roles.ShouldBe([Role.Prescripteur]);
        var mine = await new GetMyAccessRequest.Handler(fixture.Database).HandleAsync(identity, Ct);
        mine!.Status.ShouldBe(AccessRequestStatus.Accepted);
        mine.DecidedByName.ShouldBe(sophie.DisplayName);
        mine.DecidedAt.ShouldBe(new DateTimeOffset(2026, 11, 27, 11, 30, 0, TimeSpan.Zero));
        _live.Published.ShouldContain(e => e.RequestId == request && e.Status == AccessRequestStatus.Accepted);
        var mail = _mail.Sent.ShouldHaveSingleItem();
        mail.ToAddress.ShouldBe(identity.Email);
        mail.Subject.ShouldBe("Votre accès au portail de prescription (Mission Locale Technowest) est ouvert");
        mail.Body.ShouldContain($"a été acceptée par {sophie.DisplayName}");
        await using var db = fixture.Database.CreateDbContext();
        var userId = await db.Users.Where(u => u.Subject == identity.Subject).Select(u => u.Id).SingleAsync(Ct);
        var audit = await db.AllAuditEntries.SingleAsync(a => a.TargetId == userId, Ct);
        audit.Action.ShouldBe(AuditAction.AccessAccepted);
        audit.ActorId.ShouldBe(sophie.UserId);
        audit.At.ShouldBe(new DateTimeOffset(2026, 11, 27, 11, 30, 0, TimeSpan.Zero));
        audit.Before.ShouldBe("Demande en attente");
        audit.After.ShouldBe("Rattaché·e comme « Prescripteur »");
    }

    [Fact]
    public async Task TheDecidedList_HoldsTheAcceptedAndTheRefusedTogether_LatestDecidedFirst_NotThePending_Issue14_2()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var formapro = await OrganisationAsync("Formapro Gironde");
        var accepted = await RequestAsync(NewIdentity(), formapro, Role.OrganismeFormation);
        var refused = await RequestAsync(NewIdentity(), formapro, Role.OrganismeFormation);
        var pending = await RequestAsync(NewIdentity(), formapro, Role.OrganismeFormation);
        // Accepted at +1 day, refused at +2 days: the refusal is the later decision.
        _clock.Advance(TimeSpan.FromDays(1));
        await DecideAsync(accepted, accept: true, admin);
        _clock.Advance(TimeSpan.FromDays(1));
        await DecideAsync(refused, accept: false, admin, reason: "Personne inconnue de l'organisme.");

        var decided = await new GetAccessRequests.Handler(fixture.Database).HandleAsync(new GetAccessRequests(Take: 200, Decided: true), admin, Ct);

        var ids = decided.Rows.Select(r => r.Id).ToList();
        ids.ShouldContain(accepted);
        ids.ShouldContain(refused);
        ids.ShouldNotContain(pending);
        ids.IndexOf(refused).ShouldBeLessThan(ids.IndexOf(accepted));
        decided.Rows.ShouldAllBe(r => r.Status != AccessRequestStatus.Pending);
        decided.Total.ShouldBe(decided.Rows.Count);
    }

    [Fact]
    public async Task Refusing_NeedsAReason_TheRequesterReadsIt_AndMayAskAgain_Issue14_2()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var formapro = await OrganisationAsync("Formapro Gironde");
        var identity = NewIdentity();
        var request = await RequestAsync(identity, formapro, Role.OrganismeFormation);

        (await Should.ThrowAsync<DomainException>(() => DecideAsync(request, accept: false, admin, reason: "  "))).Message
            .ShouldBe("Indiquez le motif du refus : la personne le lira.");
        await DecideAsync(request, accept: false, admin, reason: "Personne inconnue de l'organisme.");

        var mine = await new GetMyAccessRequest.Handler(fixture.Database).HandleAsync(identity, Ct);
        mine!.Status.ShouldBe(AccessRequestStatus.Refused);
        mine.RefusalReason.ShouldBe("Personne inconnue de l'organisme.");
        _mail.Sent.ShouldHaveSingleItem().Body.ShouldContain("Motif : Personne inconnue de l'organisme.");
        // Decided once: a second decision is refused; a new request is possible.
        (await Should.ThrowAsync<DomainException>(() => DecideAsync(request, accept: true, admin))).Message.ShouldBe("Cette demande d'accès a déjà été traitée.");
        var again = await RequestAsync(identity, formapro, Role.OrganismeFormation, "Je suis bien formatrice chez Formapro.");
        again.ShouldNotBe(request);
    }

    [Fact]
    public async Task TheDelegate_DecidesTheirOrganisationsRequests_UntilRemoved_A2()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var camille = await fixture.UserAsync(TestUsers.Camille); // prescripteur, Mission Locale Technowest
        var technowest = await OrganisationAsync("Mission Locale Technowest");
        var request = await RequestAsync(NewIdentity(), technowest);
        var delegateCamille = camille with { IsDelegate = true };
        // Not named yet: the claim alone opens nothing (the database decides).
        (await PendingFor(delegateCamille)).Rows.ShouldNotContain(r => r.Id == request);

        await NameDelegateAsync(technowest, camille.UserId, admin);
        try
        {
            (await PendingFor(delegateCamille)).Rows.ShouldContain(r => r.Id == request);
            (await PendingFor(delegateCamille)).Rows.ShouldAllBe(r => r.OrganisationId == technowest);
        }
        finally
        {
            await NameDelegateAsync(technowest, null, admin);
        }
        (await PendingFor(delegateCamille)).Rows.ShouldNotContain(r => r.Id == request);
    }

    private async Task NameDelegateAsync(Guid organisationId, Guid? userId, CurrentUser admin)
    {
        int version;
        await using (var db = fixture.Database.CreateDbContext())
            version = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Version).SingleAsync(Ct);
        await new NameDelegate.Handler(fixture.Database, _clock).HandleAsync(new NameDelegate(organisationId, userId, version), admin, Ct);
    }

    [Fact]
    public async Task ARequest_IsMailedToTheOrganisationsReferentAndDelegate_NotToAnotherOrganisationsReferent_NorToTheAdministrator_Issue14_2_A2()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var camille = await fixture.UserAsync(TestUsers.Camille); // prescripteur, Mission Locale Technowest, named délégué below
        var technowest = await OrganisationAsync("Mission Locale Technowest");
        var identity = NewIdentity();
        await NameDelegateAsync(technowest, camille.UserId, admin);
        try
        {
            await RequestAsync(identity, technowest, Role.Prescripteur, "Mon numéro personnel est le 06 00 00 00 00.");
            await RequestJobs.DrainAsync();
        }
        finally
        {
            await NameDelegateAsync(technowest, null, admin);
        }

        var to = _requestMail.Sent.Select(m => m.ToAddress).Order().ToList();
        to.ShouldBe(["camille.durand@demo.portail-formation.fr", "sophie.bernard@demo.portail-formation.fr"]);
        to.ShouldNotContain("karim.haddad@demo.portail-formation.fr");   // référent of France Travail Pau Université
        to.ShouldNotContain("admin@demo.portail-formation.fr");          // the organisation has deciders: no fallback
        var mail = _requestMail.Sent.First(m => m.ToAddress == "sophie.bernard@demo.portail-formation.fr");
        mail.ToName.ShouldBe("Sophie Bernard");
        mail.Subject.ShouldBe("Demande d'accès au portail de prescription : Mission Locale Technowest");
        mail.Body.ShouldStartWith($"{identity.GivenName} {identity.FamilyName} ({identity.Email}) demande l'accès au portail de prescription " +
            "pour « Mission Locale Technowest » comme « Prescripteur ».");
        mail.Body.ShouldContain("https://portail.exemple.fr/acces/demandes");
        // Nothing about the requester beyond their name and e-mail: not their message.
        mail.Body.ShouldNotContain("06 00 00 00 00");
    }

    [Fact]
    public async Task ARequestToAnOrganisationWithNoActiveDecider_IsMailedToTheAdministrators_Issue14_2()
    {
        var capEmploi = await OrganisationAsync("Cap Emploi Gironde");   // a prescripteur (Inès), no référent, no délégué
        var formapro = await OrganisationAsync("Formapro Gironde");      // an OF: nobody there decides access

        await RequestAsync(NewIdentity(), capEmploi, Role.ReferentFormation);
        await RequestAsync(NewIdentity(), formapro, Role.OrganismeFormation);
        await RequestJobs.DrainAsync();

        _requestMail.Sent.Select(m => (m.ToAddress, m.Subject)).Order().ToList().ShouldBe([
            ("admin@demo.portail-formation.fr", "Demande d'accès au portail de prescription : Cap Emploi Gironde"),
            ("admin@demo.portail-formation.fr", "Demande d'accès au portail de prescription : Formapro Gironde"),
        ]);
        _requestMail.Sent.ShouldNotContain(m => m.ToAddress == "ines.petit@demo.portail-formation.fr" || m.ToAddress == "julie.moreau@demo.portail-formation.fr");
    }

    [Fact]
    public async Task AReferentWhoOptedOutOfEMails_IsNotMailed_AndTheAdministratorIsNotMailedInstead_Issue14_2()
    {
        var karim = await fixture.UserAsync(TestUsers.Karim);   // the only référent of France Travail Pau Université
        await SetEmailNotificationsAsync(karim.UserId, false);
        try
        {
            await RequestAsync(NewIdentity(), karim.OrganisationId);
            await RequestJobs.DrainAsync();
        }
        finally
        {
            await SetEmailNotificationsAsync(karim.UserId, true);
        }

        // He still decides it on his screen (live): the administrators are the fallback of an organisation without decider only.
        _requestMail.Sent.ShouldBeEmpty();
    }

    private async Task SetEmailNotificationsAsync(Guid userId, bool enabled)
    {
        await using var db = fixture.Database.CreateDbContext();
        (await db.Users.SingleAsync(u => u.Id == userId, Ct)).SetEmailNotifications(enabled);
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task AnAccountWithAMembership_OrDeactivated_CannotRequest_Issue14_2()
    {
        var technowest = await OrganisationAsync("Mission Locale Technowest");
        await using (var db = fixture.Database.CreateDbContext())
        {
            var camille = await db.Users.SingleAsync(u => u.Email == Portal.Infrastructure.Seed.DemoData.Email(TestUsers.Camille), Ct);
            var member = new PendingIdentity(camille.Subject ?? "sub-camille-essai", camille.Email, camille.DisplayName, null, null);
            (await Should.ThrowAsync<DomainException>(() => RequestAsync(member, technowest))).Message.ShouldBe("Vous avez déjà accès au portail : reconnectez-vous.");
        }
        var identity = NewIdentity();
        await using (var db = fixture.Database.CreateDbContext())
        {
            var user = new AppUser(identity.Email!, "Ancien", "Compte", identity.Subject);
            user.Deactivate();
            db.Users.Add(user);
            await db.SaveChangesAsync(Ct);
        }
        (await Should.ThrowAsync<DomainException>(() => RequestAsync(identity, technowest))).Message
            .ShouldBe("Votre compte a été désactivé : adressez-vous à l'administrateur du portail.");
    }

    [Fact]
    public async Task TheSiretClaim_MatchesTheOrganisation_ItsIdIsPreSelected_Issue14_2()
    {
        string siret;
        Guid id;
        await using (var db = fixture.Database.CreateDbContext())
        {
            // A SIRET with a right Luhn key, set on a fresh organisation: 732 829 320 00074.
            var gironde = await db.Territories.Where(t => t.Code == "33").Select(t => t.Id).SingleAsync(Ct);
            var org = new Organisation("Mission Locale des Graves (essai SIRET)", OrganisationKind.MissionLocale, gironde);
            org.Edit(org.Name, "73282932000074", null, null);
            db.Organisations.Add(org);
            await db.SaveChangesAsync(Ct);
            (siret, id) = ("732 829 320 00074", org.Id);
        }

        var match = await new ResolveUser.Handler(fixture.Database).MatchSiretAsync(siret, Ct);

        match.ShouldBe(new ResolveUser.SiretMatch(id, "Mission Locale des Graves (essai SIRET)"));
        (await new ResolveUser.Handler(fixture.Database).MatchSiretAsync("73282932000075", Ct)).ShouldBeNull();
        var option = await new GetMyAccessRequest.Handler(fixture.Database).OrganisationAsync(id, Ct);
        option!.Roles.ShouldBe([Role.Prescripteur, Role.ReferentFormation]);
        (await new GetMyAccessRequest.Handler(fixture.Database).SearchOrganisationsAsync("graves (essai", cancellationToken: Ct))
            .Select(o => o.Id).ShouldBe([id]);
    }
}
