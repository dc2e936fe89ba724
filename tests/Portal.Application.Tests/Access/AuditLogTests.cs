using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Access;
using Portal.Application.Features.Administration;
using Portal.Application.Security;
using Portal.Domain.Arbitrations;
using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Testing;

namespace Portal.Application.Tests.Access;

/// <summary>
/// Issue #14 (2), ADR 0024: every administrative handler writes its audit line in the same SaveChanges as its change (a
/// refused change writes none), and the administrator alone reads the log, filtered and paged in SQL.
/// </summary>
public sealed class AuditLogTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);

    private sealed class NoMail : IMailSender
    {
        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private async Task<Guid> TerritoryAsync(string code)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Territories.Where(t => t.Code == code).Select(t => t.Id).SingleAsync(Ct);
    }

    private async Task<int> VersionAsync(Guid organisationId)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Version).SingleAsync(Ct);
    }

    private async Task<List<AuditEntry>> LinesAsync(Guid targetId)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.AllAuditEntries.AsNoTracking().Where(a => a.TargetId == targetId).OrderBy(a => a.Id).ToListAsync(Ct);
    }

    [Fact]
    public async Task CreatingEditingAndHabilitatingAnOrganisation_EachWritesItsLine_WhoWhenBeforeAfter_A1()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var gironde = await TerritoryAsync("33");
        var save = new SaveOrganisation.Handler(fixture.Database, new RecordingNotifier<ArbitrationChanged>().Notifier, _clock);

        var id = await save.HandleAsync(new SaveOrganisation(null, OrganisationKind.OtherApprovedPrescriber, "Association Trajectoires (audit)", null, null, null, gironde), admin, Ct);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await save.HandleAsync(new SaveOrganisation(id, OrganisationKind.OtherApprovedPrescriber, "Association Trajectoires (audit)", null, "3 rue Sainte-Catherine", null, gironde, await VersionAsync(id)), admin, Ct);
        // An edit that changes nothing writes nothing.
        await save.HandleAsync(new SaveOrganisation(id, OrganisationKind.OtherApprovedPrescriber, "Association Trajectoires (audit)", null, "3 rue Sainte-Catherine", null, gironde, await VersionAsync(id)), admin, Ct);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var jobs = new InlineJobScheduler(_ => new HabilitationAlertJob(fixture.Database, new NoMail(), NullLogger<HabilitationAlertJob>.Instance));
        await new ChangeHabilitation.Handler(fixture.Database, _clock, new RecordingNotifier<OrganisationHabilitationChanged>().Notifier, jobs)
            .HandleAsync(new ChangeHabilitation(id, HabilitationStatus.Habilitated, "Agrément préfectoral", new DateOnly(2026, 11, 20), "ARR-33-2026-12", await VersionAsync(id)), claire, Ct);
        await jobs.DrainAsync();

        var lines = await LinesAsync(id);
        lines.Select(l => l.Action).ShouldBe([AuditAction.OrganisationCreated, AuditAction.OrganisationEdited, AuditAction.HabilitationChanged]);
        lines[0].ActorId.ShouldBe(admin.UserId);
        lines[0].Before.ShouldBeNull();
        lines[0].After.ShouldBe("Nom : Association Trajectoires (audit) ; type : Prescripteur agréé ; SIRET : — ; adresse : — ; commune : — ; territoire : Gironde");
        lines[1].At.ShouldBe(new DateTimeOffset(2026, 11, 27, 11, 1, 0, TimeSpan.Zero));
        lines[1].Before!.ShouldContain("adresse : —");
        lines[1].After!.ShouldContain("adresse : 3 rue Sainte-Catherine");
        lines[2].ActorName.ShouldBe(claire.DisplayName);
        lines[2].Before.ShouldBe("Habilitation en attente");
        lines[2].After.ShouldBe("Habilitée (décision ARR-33-2026-12 du 20/11/2026) — motif : Agrément préfectoral");
    }

    [Fact]
    public async Task ARefusedChange_WritesNoLine_A1()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var gironde = await TerritoryAsync("33");
        var save = new SaveOrganisation.Handler(fixture.Database, new RecordingNotifier<ArbitrationChanged>().Notifier, _clock);
        var id = await save.HandleAsync(new SaveOrganisation(null, OrganisationKind.OtherApprovedPrescriber, "Association refusée (audit)", null, null, null, gironde), admin, Ct);
        var jobs = new InlineJobScheduler(_ => new HabilitationAlertJob(fixture.Database, new NoMail(), NullLogger<HabilitationAlertJob>.Instance));

        // Pending → suspended is not a step of the lifecycle.
        await Should.ThrowAsync<DomainException>(() => new ChangeHabilitation.Handler(fixture.Database, _clock, new RecordingNotifier<OrganisationHabilitationChanged>().Notifier, jobs)
            .HandleAsync(new ChangeHabilitation(id, HabilitationStatus.Suspended, "Essai", Version: 0), admin, Ct));

        (await LinesAsync(id)).Select(l => l.Action).ShouldBe([AuditAction.OrganisationCreated]);
    }

    [Fact]
    public async Task NamingADelegateAndChangingAnMfesCoverage_WriteTheirLines_A2_S10()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var technowest = camille.OrganisationId;
        await new NameDelegate.Handler(fixture.Database, _clock).HandleAsync(new NameDelegate(technowest, camille.UserId, await VersionAsync(technowest)), admin, Ct);
        await new NameDelegate.Handler(fixture.Database, _clock).HandleAsync(new NameDelegate(technowest, null, await VersionAsync(technowest)), admin, Ct);
        Guid medoc;
        await using (var db = fixture.Database.CreateDbContext())
            medoc = await db.Organisations.Where(o => o.Name == "MFE du Médoc").Select(o => o.Id).SingleAsync(Ct);
        await new SetMfeCoverage.Handler(fixture.Database, _clock, new RecordingNotifier<ArbitrationChanged>().Notifier)
            .HandleAsync(new SetMfeCoverage(medoc, ["33"], "Couverture de toute la Gironde", await VersionAsync(medoc)), admin, Ct);

        var delegateLines = (await LinesAsync(technowest)).Where(l => l.Action == AuditAction.DelegateNamed).ToList();
        delegateLines.Count.ShouldBe(2);
        delegateLines[0].After.ShouldBe(camille.DisplayName);
        delegateLines[1].Before.ShouldBe(camille.DisplayName);
        var coverage = (await LinesAsync(medoc)).Single(l => l.Action == AuditAction.MfeCoverageChanged);
        coverage.Before.ShouldBe("Territoire de la MFE");
        coverage.After.ShouldBe("Départements 33 — motif : Couverture de toute la Gironde");
    }

    [Fact]
    public async Task TheLog_IsTheAdministratorsOnly_FilteredByActorActionTargetAndDays_LatestFirst_Issue14_2()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var sophie = await fixture.UserAsync(TestUsers.Sophie);
        await using (var db = fixture.Database.CreateDbContext())
        {
            // 26 Nov 23:30 in Paris is 22:30 UTC; 27 Nov 00:30 in Paris is 23:30 UTC on the 26th.
            db.AllAuditEntries.Add(new AuditEntry(new DateTimeOffset(2026, 11, 26, 22, 30, 0, TimeSpan.Zero), admin.UserId, "Zoé Filtre", AuditAction.UserDeactivated, Guid.NewGuid(), "Cible Filtre-Un", "Actif", "Désactivé"));
            db.AllAuditEntries.Add(new AuditEntry(new DateTimeOffset(2026, 11, 26, 23, 30, 0, TimeSpan.Zero), admin.UserId, "Zoé Filtre", AuditAction.UserReactivated, Guid.NewGuid(), "Cible Filtre-Deux", "Désactivé", "Actif"));
            db.AllAuditEntries.Add(new AuditEntry(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero), sophie.UserId, "Yves Autre", AuditAction.MembershipEnded, Guid.NewGuid(), "Cible Filtre-Trois", "Prescripteur", "Plus aucun rattachement"));
            await db.SaveChangesAsync(Ct);
        }
        var handler = new SearchAudit.Handler(fixture.Database);

        (await Should.ThrowAsync<AccessDeniedException>(() => handler.HandleAsync(new SearchAudit(), sophie, Ct))).Message
            .ShouldBe("Le journal d'administration est réservé à l'administrateur.");
        (await handler.HandleAsync(new SearchAudit(Actor: "zoé filtre"), admin, Ct)).Rows.Select(r => r.Target).ShouldBe(["Cible Filtre-Deux", "Cible Filtre-Un"]);
        (await handler.HandleAsync(new SearchAudit(Target: "filtre", Action: AuditAction.MembershipEnded), admin, Ct)).Rows.Select(r => r.Target).ShouldBe(["Cible Filtre-Trois"]);
        // Days are Paris days: the 27th starts at 23:00 UTC on the 26th.
        (await handler.HandleAsync(new SearchAudit(Target: "filtre", From: new DateOnly(2026, 11, 27), To: new DateOnly(2026, 11, 27)), admin, Ct)).Rows
            .Select(r => r.Target).ShouldBe(["Cible Filtre-Trois", "Cible Filtre-Deux"]);
        var page = await handler.HandleAsync(new SearchAudit(Target: "filtre", Skip: 2, Take: 1), admin, Ct);
        (page.Total, page.Rows.Single().Target).ShouldBe((3, "Cible Filtre-Un"));
        (await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(new SearchAudit(From: new DateOnly(2026, 11, 27), To: new DateOnly(2026, 11, 26)), admin, Ct))).Message
            .ShouldBe("La date de fin doit suivre la date de début.");
    }

    [Fact]
    public async Task TheExport_WritesWhatTheFiltersShow_ForTheAdministratorOnly_Issue14_2()
    {
        var admin = await fixture.UserAsync(TestUsers.Admin);
        var sophie = await fixture.UserAsync(TestUsers.Sophie);
        await using (var db = fixture.Database.CreateDbContext())
        {
            // 27 Nov 09:15 in Paris is 08:15 UTC.
            db.AllAuditEntries.Add(new AuditEntry(new DateTimeOffset(2026, 11, 27, 8, 15, 0, TimeSpan.Zero), admin.UserId, "Zoé Export", AuditAction.UserDeactivated, Guid.NewGuid(), "Cible Export-Un", "Actif", "Désactivé"));
            db.AllAuditEntries.Add(new AuditEntry(new DateTimeOffset(2026, 11, 27, 8, 20, 0, TimeSpan.Zero), admin.UserId, "Zoé Export", AuditAction.OrganisationCreated, Guid.NewGuid(), "Cible Export-Deux", null, "Créée"));
            await db.SaveChangesAsync(Ct);
        }
        var export = new AuditExport(new SearchAudit.Handler(fixture.Database), _clock);
        var filter = new Portal.Application.Export.ExportParameters([new("auteur", "zoé export"), new("action", "UserDeactivated"), new("du", "2026-11-27")]);

        var source = await export.OpenAsync(filter, admin, Ct);

        source.Total.ShouldBe(1);
        source.Columns.ShouldBe(["Le", "Par", "Action", "Cible", "Avant", "Après"]);
        (await source.ReadPage(0, 10, Ct)).ShouldBe([(IReadOnlyList<string>)["27/11/2026 09:15", "Zoé Export", "Compte désactivé", "Cible Export-Un", "Actif", "Désactivé"]]);
        (await Should.ThrowAsync<AccessDeniedException>(() => export.OpenAsync(Portal.Application.Export.ExportParameters.Empty, sophie, Ct))).Message
            .ShouldBe("Le journal d'administration est réservé à l'administrateur.");
        (await Should.ThrowAsync<DomainException>(() => export.OpenAsync(new Portal.Application.Export.ExportParameters([new("action", "Inventée")]), admin, Ct))).Message
            .ShouldBe("Valeur inconnue pour le paramètre « action » : « Inventée ».");
    }
}
