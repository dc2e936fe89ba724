using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Administration;
using Portal.Application.Features.Arbitrations;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.Home;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Security;
using Portal.Application.Tests.Arbitrations;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Arbitrations;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Testing;

namespace Portal.Application.Tests.Administration;

/// <summary>
/// A1 (habilitation lifecycle, only a habilitated organisation prescribes), A2 (the correspondant délégué sees the whole
/// organisation), S10 (MFE coverage moves the undecided cases), and the administration's own checks. Its own demo database:
/// it creates organisations and changes an MFE's coverage. Each test makes the prescriber organisations it changes.
/// </summary>
public sealed class OrganisationAdministrationTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);
    private readonly RecordingSender _mail = new();

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

    /// <summary>The alerts' job runs in process, on this class's recording mail sender.</summary>
    private InlineJobScheduler Jobs => _jobs ??= new InlineJobScheduler(_ =>
        new HabilitationAlertJob(fixture.Database, _mail, NullLogger<HabilitationAlertJob>.Instance));

    private ChangeHabilitation.Handler Habilitation(ILiveNotifier notifier) => new(fixture.Database, _clock, notifier, Jobs);

    private static int _siretSeed;

    /// <summary>A new prescriber organisation in Gironde with one member of each given role (their CurrentUser, in order).</summary>
    private async Task<(Guid OrganisationId, List<CurrentUser> Members)> NewPrescriberAsync(OrganisationKind kind, params Role[] roles)
    {
        await using var db = fixture.Database.CreateDbContext();
        var gironde = await db.Territories.Where(t => t.Code == "33").Select(t => t.Id).SingleAsync(Ct);
        var org = new Organisation($"Structure d'essai {Interlocked.Increment(ref _siretSeed)}", kind, gironde);
        db.Organisations.Add(org);
        var members = new List<CurrentUser>();
        foreach (var (role, i) in roles.Select((r, i) => (r, i)))
        {
            var user = new AppUser($"membre{i}.{org.Id:N}@essai.fr", "Membre", $"N{i}");
            user.Join(org, role);
            db.Users.Add(user);
            members.Add(new CurrentUser(user.Id, user.DisplayName, org.Id, org.Name, kind, gironde, new HashSet<Role> { role }));
        }
        await db.SaveChangesAsync(Ct);
        return (org.Id, members);
    }

    private async Task<Organisation> StoredAsync(Guid id)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == id, Ct);
    }

    private async Task ChangeAsync(Guid organisationId, HabilitationStatus to, CurrentUser by, ILiveNotifier? notifier = null, string reason = "Décision")
    {
        var version = (await StoredAsync(organisationId)).Version;
        using var live = new RecordingNotifier<OrganisationHabilitationChanged>();
        await Habilitation(notifier ?? live.Notifier).HandleAsync(
            new ChangeHabilitation(organisationId, to, reason, new DateOnly(2026, 11, 30), "ARR-2026-114", version), by, Ct);
    }

    private async Task<Guid> PrescribeAsync(CurrentUser prescriber, Guid candidateId)
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var session = await OfferBuilder.AddSessionAsync(fixture.Database, julie.OrganisationId, new DateOnly(2027, 2, 1), arrange: s => s.Publish(DemoDatabase.SeededAt));
        using var live = new RecordingNotifier<PrescriptionsChanged>();
        return await new Prescribe.Handler(fixture.Database, _clock, live.Notifier)
            .HandleAsync(new Prescribe(candidateId, session.Id, PrescribeTests.Form), prescriber, Ct);
    }

    private Task<Guid> NewCandidateAsync(CurrentUser prescriber) =>
        new CreateCandidate.Handler(fixture.Database, _clock).HandleAsync(new CreateCandidate("Samia", "Habilitation", new DateOnly(2001, 4, 2), "33063"), prescriber, Ct);

    [Fact]
    public async Task OnlyAHabilitatedOrganisationPrescribes_PendingSuspendedRevokedAreRefusedInFrench_A1()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var (orgId, members) = await NewPrescriberAsync(OrganisationKind.OtherApprovedPrescriber, Role.Prescripteur);
        var prescriber = members[0];

        // Pending: no candidate can be recorded, nothing can be prescribed.
        var pending = await Should.ThrowAsync<DomainException>(() => NewCandidateAsync(prescriber));
        pending.Rule.ShouldBe("A1");
        pending.Message.ShouldBe("Votre structure n'est pas encore habilitée à prescrire : son habilitation est en attente de décision.");

        // Habilitated: a candidate, and a prescription.
        await ChangeAsync(orgId, HabilitationStatus.Habilitated, admin);
        var candidate = await NewCandidateAsync(prescriber);
        await PrescribeAsync(prescriber, candidate);

        // Suspended: the next prescription is refused; the candidate and the first prescription stay readable.
        await ChangeAsync(orgId, HabilitationStatus.Suspended, admin);
        var suspended = await Should.ThrowAsync<DomainException>(() => PrescribeAsync(prescriber, candidate));
        suspended.Rule.ShouldBe("A1");
        suspended.Message.ShouldBe("L'habilitation de votre structure est suspendue : aucune nouvelle prescription n'est possible.");
        (await Should.ThrowAsync<DomainException>(() => NewCandidateAsync(prescriber))).Rule.ShouldBe("A1");
        var read = await new GetCandidate.Handler(fixture.Database, _clock).HandleAsync(new GetCandidate(candidate), prescriber, Ct);
        read.ShouldNotBeNull();
        await using (var db = fixture.Database.CreateDbContext())
            (await db.AllPrescriptions.CountAsync(p => p.CandidateId == candidate, Ct)).ShouldBe(1);

        // Habilitated again: prescribing works again.
        await ChangeAsync(orgId, HabilitationStatus.Habilitated, admin);
        await PrescribeAsync(prescriber, candidate);

        // Revoked: refused for good.
        await ChangeAsync(orgId, HabilitationStatus.Revoked, admin);
        (await Should.ThrowAsync<DomainException>(() => PrescribeAsync(prescriber, candidate))).Message
            .ShouldBe("L'habilitation de votre structure a été retirée : aucune nouvelle prescription n'est possible.");
    }

    [Fact]
    public async Task TheRegion_SuspendsAPrescriber_TheHistoryLineSaysWhoWhenWhy_AndTheOrganisationsScreensHearItLive_A1()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var (orgId, members) = await NewPrescriberAsync(OrganisationKind.MissionLocale, Role.Prescripteur, Role.ReferentFormation);
        using var live = new RecordingNotifier<OrganisationHabilitationChanged>();
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero));

        await Habilitation(live.Notifier).HandleAsync(
            new ChangeHabilitation(orgId, HabilitationStatus.Suspended, "Contrôle de la convention en cours", Version: 0), claire, Ct);

        (await StoredAsync(orgId)).Habilitation.ShouldBe(HabilitationStatus.Suspended);
        await using var db = fixture.Database.CreateDbContext();
        var line = await db.OrganisationHistory.SingleAsync(h => h.OrganisationId == orgId, Ct);
        line.Kind.ShouldBe(OrganisationHistoryKind.Habilitation);
        line.ByUserId.ShouldBe(claire.UserId);
        line.ByName.ShouldBe(claire.DisplayName);
        line.At.ShouldBe(new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero));
        line.From.ShouldBe("Habilitée");
        line.To.ShouldBe("Habilitation suspendue");
        line.Reason.ShouldBe("Contrôle de la convention en cours");
        live.Published.ShouldBe([new OrganisationHabilitationChanged(orgId, HabilitationStatus.Suspended)]);
        // A2: the organisation's alert reaches its référent (the second member), not its prescripteur.
        await Jobs.DrainAsync();
        var referentEmail = await db.Users.Where(u => u.Id == members[1].UserId).Select(u => u.Email).SingleAsync(Ct);
        var prescriberEmail = await db.Users.Where(u => u.Id == members[0].UserId).Select(u => u.Email).SingleAsync(Ct);
        _mail.Sent.Select(m => m.ToAddress).ShouldContain(referentEmail);
        _mail.Sent.Select(m => m.ToAddress).ShouldNotContain(prescriberEmail);
    }

    [Fact]
    public async Task ChangeHabilitation_ByAPrescriberOrAnOf_IsRefused_AndAStaleVersionIsToldToReload_A1()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var (orgId, _) = await NewPrescriberAsync(OrganisationKind.CapEmploi);
        using var live = new RecordingNotifier<OrganisationHabilitationChanged>();

        foreach (var who in new[] { camille, julie })
            await Should.ThrowAsync<AccessDeniedException>(() => Habilitation(live.Notifier).HandleAsync(
                new ChangeHabilitation(orgId, HabilitationStatus.Suspended, "Motif"), who, Ct));
        await ChangeAsync(orgId, HabilitationStatus.Suspended, admin);

        // A second administrator still on version 0.
        (await Should.ThrowAsync<DomainException>(() => Habilitation(live.Notifier).HandleAsync(
            new ChangeHabilitation(orgId, HabilitationStatus.Revoked, "Motif", Version: 0), admin, Ct))).Message.ShouldBe(OrganisationAdmin.ConcurrentChange);
        (await StoredAsync(orgId)).Habilitation.ShouldBe(HabilitationStatus.Suspended);
        live.Published.ShouldBeEmpty();
    }

    [Fact]
    public async Task TheCorrespondantDelegue_SeesTheWholeOrganisation_AndNotAnotherOne_A2()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var (orgId, members) = await NewPrescriberAsync(OrganisationKind.MissionLocale, Role.Prescripteur, Role.Prescripteur);
        var (_, others) = await NewPrescriberAsync(OrganisationKind.MissionLocale, Role.Prescripteur);
        var (delegate_, colleague, outsider) = (members[0], members[1], others[0]);
        var mine = await NewCandidateAsync(delegate_);
        var colleagues = await NewCandidateAsync(colleague);
        var outsiders = await NewCandidateAsync(outsider);
        var dashboard = new GetPrescriberDashboard.Handler(fixture.Database, _clock);
        async Task<List<Guid>> WholeOrganisationAsync(CurrentUser user) =>
            [.. (await dashboard.HandleAsync(new GetPrescriberDashboard(WholeOrganisation: true), user, Ct)).Rows.Select(r => r.CandidateId)];

        // Before being named: only their own candidate.
        (await WholeOrganisationAsync(delegate_)).ShouldBe([mine]);

        await new NameDelegate.Handler(fixture.Database, _clock).HandleAsync(new NameDelegate(orgId, delegate_.UserId), admin, Ct);

        var seen = await WholeOrganisationAsync(delegate_ with { IsDelegate = true });
        seen.ShouldBe([mine, colleagues], ignoreOrder: true);
        seen.ShouldNotContain(outsiders);
        // The colleague, not named, still sees only their own.
        (await WholeOrganisationAsync(colleague)).ShouldBe([colleagues]);
        await using (var db = fixture.Database.CreateDbContext())
        {
            var line = await db.OrganisationHistory.SingleAsync(h => h.OrganisationId == orgId, Ct);
            line.Kind.ShouldBe(OrganisationHistoryKind.Delegate);
            line.To.ShouldBe("Membre N0");
        }

        // Removed: back to their own at once, even with the login's claim still saying délégué (the query checks the database).
        await new NameDelegate.Handler(fixture.Database, _clock).HandleAsync(new NameDelegate(orgId, null, Version: 1), admin, Ct);
        (await WholeOrganisationAsync(delegate_ with { IsDelegate = true })).ShouldBe([mine]);
    }

    [Fact]
    public async Task NameDelegate_SomeoneOutsideTheOrganisation_IsRefused_AndOnlyTheAdminNamesOne_A2()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var (orgId, _) = await NewPrescriberAsync(OrganisationKind.FranceTravail, Role.Prescripteur);
        var (_, others) = await NewPrescriberAsync(OrganisationKind.FranceTravail, Role.Prescripteur);
        var handler = new NameDelegate.Handler(fixture.Database, _clock);

        (await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(new NameDelegate(orgId, others[0].UserId), admin, Ct))).Rule.ShouldBe("A2");
        await Should.ThrowAsync<AccessDeniedException>(() => handler.HandleAsync(new NameDelegate(orgId, others[0].UserId), claire, Ct));
        (await StoredAsync(orgId)).DelegateUserId.ShouldBeNull();
    }

    [Fact]
    public async Task SaveOrganisation_ChecksTheSiretKey_ItsUniqueness_AndOnlyTheAdminSaves()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var handler = new SaveOrganisation.Handler(fixture.Database, new RecordingNotifier<ArbitrationChanged>().Notifier, _clock);
        Guid gironde;
        await using (var db = fixture.Database.CreateDbContext())
            gironde = await db.Territories.Where(t => t.Code == "33").Select(t => t.Id).SingleAsync(Ct);
        SaveOrganisation Command(string? siret) =>
            new(null, OrganisationKind.OtherApprovedPrescriber, "Association Avenir Emploi", siret, "12 rue des Lilas", "33063", gironde);

        // 73282932000075: Luhn sum 51 (see SiretTests), not a multiple of 10.
        (await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(Command("73282932000075"), admin, Ct))).Message.ShouldContain("clé de contrôle");
        await Should.ThrowAsync<AccessDeniedException>(() => handler.HandleAsync(Command("73282932000074"), claire, Ct));

        var id = await handler.HandleAsync(Command("732 829 320 00074"), admin, Ct);
        var stored = await StoredAsync(id);
        stored.Siret.ShouldBe("73282932000074");
        stored.CommuneInsee.ShouldBe("33063");
        stored.Habilitation.ShouldBe(HabilitationStatus.Pending);
        (await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(Command("73282932000074"), admin, Ct))).Message.ShouldContain("déjà celui d'une autre organisation");
        (await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(Command(null) with { CommuneInsee = "99999" }, admin, Ct))).Message.ShouldContain("référentiel des communes");
        // A wrong key is refused on creation too.
        (await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(Command("73282932000075") with { Name = "Autre association" }, admin, Ct))).Message.ShouldContain("clé de contrôle");
    }

    [Fact]
    public async Task SearchOrganisations_FiltersAndPagesInSql_AndIsReservedToTheAdminAndTheRegion()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var handler = new SearchOrganisations.Handler(fixture.Database);

        // The demo's prescribers in the Pyrénées-Atlantiques (64): Mission Locale Pau-Pyrénées, France Travail Pau Université,
        // Cap Emploi Pyrénées-Atlantiques; its Mission Locale alone under that kind.
        var ml64 = await handler.HandleAsync(new SearchOrganisations(Kind: OrganisationKind.MissionLocale, Departement: "64"), admin, Ct);
        ml64.Rows.Select(r => r.Name).ShouldBe(["Mission Locale Pau-Pyrénées"]);
        var pau = await handler.HandleAsync(new SearchOrganisations(Search: "Pau"), admin, Ct);
        pau.Rows.Select(r => r.Name).ShouldContain("France Travail Pau Université");
        pau.Rows.Select(r => r.Name).ShouldNotContain("Mission Locale Technowest");
        var page1 = await handler.HandleAsync(new SearchOrganisations(Take: 2), admin, Ct);
        var page2 = await handler.HandleAsync(new SearchOrganisations(Skip: 2, Take: 2), admin, Ct);
        page1.Rows.Count.ShouldBe(2);
        page2.Rows.Select(r => r.Id).ShouldNotContain(page1.Rows[0].Id);
        page1.Total.ShouldBe(page2.Total);
        // No organisation of a kind without habilitation is listed under a habilitation filter.
        (await handler.HandleAsync(new SearchOrganisations(Habilitation: HabilitationStatus.Habilitated, Take: 100), admin, Ct))
            .Rows.ShouldAllBe(r => r.Kind.IsPrescriber());

        await Should.ThrowAsync<AccessDeniedException>(() => handler.HandleAsync(new SearchOrganisations(), camille, Ct));
    }

    [Fact]
    public async Task MfeCoverage_GivingGirondeToTheMfeDuBearn_MovesItsUndecidedCase_AndIsLogged_S10()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var pierre = await fixture.UserAsync(TestUsers.Pierre);
        using var live = new RecordingNotifier<ArbitrationChanged>();
        var caseId = await new OpenArbitration.Handler(fixture.Database, _clock, live.Notifier)
            .HandleAsync(new OpenArbitration(await ArbitrationTests.RefusedPrescriptionAsync(fixture, julie, "33281"), "Désaccord."), camille, Ct);
        await using (var db = fixture.Database.CreateDbContext())
            (await db.AllArbitrations.SingleAsync(a => a.Id == caseId, Ct)).AssignedOrganisationId.ShouldBe(aurelie.OrganisationId);

        var result = await new SetMfeCoverage.Handler(fixture.Database, _clock, live.Notifier).HandleAsync(
            new SetMfeCoverage(pierre.OrganisationId, ["64", "33"], "Intérim de la MFE du Médoc"), claire, Ct);

        result.MovedCases.ShouldBeGreaterThanOrEqualTo(1);
        await using var check = fixture.Database.CreateDbContext();
        (await check.AllArbitrations.SingleAsync(a => a.Id == caseId, Ct)).AssignedOrganisationId.ShouldBe(pierre.OrganisationId);
        var line = await check.OrganisationHistory.SingleAsync(h => h.OrganisationId == pierre.OrganisationId, Ct);
        line.Kind.ShouldBe(OrganisationHistoryKind.Coverage);
        line.From.ShouldBe("Territoire de la MFE");
        line.To.ShouldBe("Départements 33, 64");
        line.Reason.ShouldBe("Intérim de la MFE du Médoc");
        // The Médoc can no longer take Gironde while the Béarn covers it.
        (await Should.ThrowAsync<DomainException>(() => new SetMfeCoverage.Handler(fixture.Database, _clock, live.Notifier).HandleAsync(
            new SetMfeCoverage(aurelie.OrganisationId, ["33"], "Retour", 0), claire, Ct))).Message.ShouldContain("déjà couvert par « MFE du Béarn »");
    }
}
