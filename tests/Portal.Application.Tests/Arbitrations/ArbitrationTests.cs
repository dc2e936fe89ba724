using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Arbitrations;
using Portal.Application.Features.Pilotage;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Arbitrations;
using Portal.Domain.Candidates;
using Portal.Domain.Common;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Arbitrations;

/// <summary>S10: a disagreement goes to the MFE of the session's territory (the Région without MFE), one open case at a time, decided once, seen live.</summary>
public sealed class ArbitrationTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);
    private readonly RecordingNotifier<ArbitrationChanged> _live = new();

    public void Dispose() => _live.Dispose();

    private OpenArbitration.Handler Open => new(fixture.Database, _clock, _live.Notifier);
    private DecideArbitration.Handler Decide => new(fixture.Database, _clock, _live.Notifier);

    /// <summary>A new candidate of Camille's, refused on a new session of <paramref name="of"/>'s held in <paramref name="insee"/>.</summary>
    private Task<Guid> RefusedPrescriptionAsync(CurrentUser of, string insee = "33281") => RefusedPrescriptionAsync(fixture, of, insee);

    /// <summary>A new candidate of Camille's, refused on a new session of <paramref name="of"/>'s held in <paramref name="insee"/>.</summary>
    internal static async Task<Guid> RefusedPrescriptionAsync(DemoDatabase fixture, CurrentUser of, string insee = "33281") =>
        await DecidedPrescriptionAsync(fixture, of, insee, waitlist: false);

    /// <summary>A new candidate of Camille's, refused (or waitlisted) on a new session of <paramref name="of"/>'s held in <paramref name="insee"/>.</summary>
    internal static async Task<Guid> DecidedPrescriptionAsync(DemoDatabase fixture, CurrentUser of, string insee, bool waitlist)
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var now = DemoDatabase.SeededAt;
        var fiche = OfferBuilder.ValidatedFiche(of.OrganisationId, "Agent logistique");
        var start = new DateOnly(2027, 3, 1);
        var session = new Domain.Offer.TrainingSession(fiche, start, start.AddDays(90), start.AddDays(-7), 10, insee);
        var candidate = new Candidate(camille.OrganisationId, camille.UserId, "Inès", "Arbitrage", new DateOnly(1998, 5, 5), "33063", now);
        var p = new Prescription(candidate.Id, session.Id, of.OrganisationId, camille.OrganisationId, camille.UserId, 1, Prescriptions.PrescribeTests.Form, now);
        var meeting = new Domain.Offer.InfoSession(session.Id, Domain.Offer.InfoSessionKind.Collective, now.AddDays(7), "Salle 2, Mérignac", "");
        p.Convoke(meeting, of.UserId, now);
        p.RecordAttendance(PrescriptionStatus.Attended, of.UserId, now);
        if (waitlist) p.Waitlist(of.UserId, now);
        else p.NotSelect([NonSelectionReason.Prerequisite("Aptitude physique")], "Explication pour la candidate.", "Explication pour le prescripteur.", of.UserId, now);
        await using var db = fixture.Database.CreateDbContext();
        db.AddRange(fiche, session, meeting, candidate, p);
        await db.SaveChangesAsync(Ct);
        return p.Id;
    }

    private async Task<Arbitration> StoredAsync(Guid id)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.AllArbitrations.AsNoTracking().SingleAsync(a => a.Id == id, Ct);
    }

    private async Task<string> OrganisationNameAsync(Guid id)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Organisations.Where(o => o.Id == id).Select(o => o.Name).SingleAsync(Ct);
    }

    [Fact]
    public async Task Open_ByThePrescriber_GoesToTheMfeOfTheSessionsTerritory_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var prescription = await RefusedPrescriptionAsync(julie);

        var id = await Open.HandleAsync(new OpenArbitration(prescription, "Le projet a été validé par une immersion de deux semaines."), camille, Ct);

        var stored = await StoredAsync(id);
        stored.AssignedOrganisationId.ShouldBe(aurelie.OrganisationId);
        (await OrganisationNameAsync(stored.AssignedOrganisationId)).ShouldBe("MFE du Médoc");
        stored.OpenedBySide.ShouldBe(ArbitrationSide.Prescriber);
        stored.ContestedStatus.ShouldBe(PrescriptionStatus.NotSelected);
        _live.Published.ShouldContain(e => e.ArbitrationId == id && e.AssignedOrganisationId == aurelie.OrganisationId && e.Status == ArbitrationStatus.Open);
    }

    [Fact]
    public async Task Open_ByTheTrainingBody_OnASessionInBearn_GoesToTheMfeDuBearn_S10()
    {
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var pierre = await fixture.UserAsync(TestUsers.Pierre);
        var prescription = await RefusedPrescriptionAsync(thomas, "64445");

        var id = await Open.HandleAsync(new OpenArbitration(prescription, "Le prescripteur conteste un refus fondé sur les critères publiés."), thomas, Ct);

        var stored = await StoredAsync(id);
        stored.AssignedOrganisationId.ShouldBe(pierre.OrganisationId);
        stored.OpenedBySide.ShouldBe(ArbitrationSide.TrainingBody);
        stored.TrainingBodyArgument.ShouldNotBeNull();
        stored.PrescriberArgument.ShouldBeNull();
    }

    [Fact]
    public async Task Open_InATerritoryWithoutMfe_GoesToTheRegion_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var prescription = await RefusedPrescriptionAsync(julie, "40192"); // Mont-de-Marsan (Landes): no MFE in the demo

        var id = await Open.HandleAsync(new OpenArbitration(prescription, "Désaccord sur le motif."), camille, Ct);

        (await StoredAsync(id)).AssignedOrganisationId.ShouldBe(claire.OrganisationId);
        (await new GetArbitrations.Handler(fixture.Database).HandleAsync(new GetArbitrations(), claire, Ct)).Rows.ShouldContain(r => r.Id == id);
    }

    [Fact]
    public async Task Open_ASecondCaseWhileOneIsOpen_IsRefusedInFrench_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var prescription = await RefusedPrescriptionAsync(julie);
        await Open.HandleAsync(new OpenArbitration(prescription, "Premier désaccord."), camille, Ct);

        var ex = await Should.ThrowAsync<DomainException>(() => Open.HandleAsync(new OpenArbitration(prescription, "Nous contestons aussi."), julie, Ct));
        ex.Message.ShouldBe(OpenArbitration.AlreadyOpen);
        ex.Rule.ShouldBe("S10");
    }

    [Fact]
    public async Task AnUpheldRuling_IsInThePrescriptionsHistory_ForBothParties_WithoutAChangeOfStatus_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var prescription = await RefusedPrescriptionAsync(julie);
        var openedAt = DemoDatabase.SeededAt.AddDays(1);
        _clock.SetUtcNow(openedAt);
        var id = await Open.HandleAsync(new OpenArbitration(prescription, "Le stage validé n'a pas été lu."), camille, Ct);
        _clock.Advance(TimeSpan.FromDays(2));
        await Decide.HandleAsync(new DecideArbitration(id, ArbitrationOutcome.Upheld, "Les critères publiés ont été appliqués."), aurelie, Ct);

        foreach (var party in new[] { camille, julie })
        {
            var details = await new Features.Prescriptions.GetPrescription.Handler(fixture.Database, _clock)
                .HandleAsync(new Features.Prescriptions.GetPrescription(prescription), party, Ct);
            // Created, convoked, present, not selected (the builder's steps), then the case opened and its ruling, in time order.
            details.History.Select(h => h.Title).ShouldBe(
                ["Prescrite", "Convoquée", "Présente", "Non retenue", "Arbitrage demandé par le prescripteur", "Arbitrage : décision maintenue"]);
            details.History[^1].At.ShouldBe(openedAt.AddDays(2));
            details.History[^1].Reason.ShouldBe("Les critères publiés ont été appliqués.");
            details.Status.ShouldBe(PrescriptionStatus.NotSelected);
        }
    }

    [Fact]
    public async Task Open_AgainAfterAnUpheldRuling_IsRefused_TheArbitrationIsFinal_ForBothParties_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var prescription = await RefusedPrescriptionAsync(julie);
        var first = await Open.HandleAsync(new OpenArbitration(prescription, "Premier désaccord."), camille, Ct);
        _clock.Advance(TimeSpan.FromDays(3));
        await Decide.HandleAsync(new DecideArbitration(first, ArbitrationOutcome.Upheld, "Les critères publiés ont été appliqués."), aurelie, Ct);
        _clock.Advance(TimeSpan.FromDays(10));

        foreach (var party in new[] { camille, julie })
        {
            var ex = await Should.ThrowAsync<DomainException>(() => Open.HandleAsync(new OpenArbitration(prescription, "Fait nouveau : le stage est validé."), party, Ct));
            ex.Message.ShouldBe("Cette décision a déjà été arbitrée par la MFE : l'arbitrage est définitif. Un nouvel arbitrage n'est possible que contre une nouvelle décision.");
            ex.Rule.ShouldBe("S10");
            var seen = await new GetPrescriptionArbitration.Handler(fixture.Database).HandleAsync(new GetPrescriptionArbitration(prescription), party, Ct);
            (seen.CanOpen, seen.CurrentDecisionArbitrated, seen.Latest!.Id).ShouldBe((false, true, first));
        }
        await using var db = fixture.Database.CreateDbContext();
        (await db.AllArbitrations.CountAsync(a => a.PrescriptionId == prescription, Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task Open_AgainstTheOverturnedDecision_IsRefused_TheRulingIsFinal_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var prescription = await RefusedPrescriptionAsync(julie);
        var first = await Open.HandleAsync(new OpenArbitration(prescription, "L'aptitude est attestée."), camille, Ct);
        await Decide.HandleAsync(new DecideArbitration(first, ArbitrationOutcome.Overturned, "Le motif est levé.", PrescriptionStatus.Waitlisted), aurelie, Ct);
        _clock.Advance(TimeSpan.FromHours(1));

        // The OF would now contest the waitlisting the MFE decided: refused, the ruling is final.
        var ex = await Should.ThrowAsync<DomainException>(() => Open.HandleAsync(new OpenArbitration(prescription, "Nous maintenons le refus."), julie, Ct));
        ex.Rule.ShouldBe("S10");
        ex.Message.ShouldStartWith("Cette décision a déjà été arbitrée par la MFE");
    }

    [Fact]
    public async Task Open_AgainstANewDecisionTakenAfterTheRuling_IsAllowed_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var prescription = await DecidedPrescriptionAsync(fixture, julie, "33281", waitlist: true);
        var first = await Open.HandleAsync(new OpenArbitration(prescription, "Le candidat devrait être retenu."), camille, Ct);
        await Decide.HandleAsync(new DecideArbitration(first, ArbitrationOutcome.Upheld, "La liste d'attente est justifiée."), aurelie, Ct);
        _clock.Advance(TimeSpan.FromDays(5));
        // A new decision by the OF, after the ruling: the waitlisted candidate is finally not selected.
        await using (var db = fixture.Database.CreateDbContext())
        {
            var p = await db.AllPrescriptions.Include(x => x.History).SingleAsync(x => x.Id == prescription, Ct);
            p.NotSelect([NonSelectionReason.Prerequisite("Aptitude physique")], "Pour le candidat.", "Pour le prescripteur.", julie.UserId, _clock.GetUtcNow());
            await db.SaveChangesAsync(Ct);
        }

        var before = await new GetPrescriptionArbitration.Handler(fixture.Database).HandleAsync(new GetPrescriptionArbitration(prescription), camille, Ct);
        (before.CanOpen, before.CurrentDecisionArbitrated).ShouldBe((true, false));
        var second = await Open.HandleAsync(new OpenArbitration(prescription, "Ce refus est nouveau : nous le contestons."), camille, Ct);

        second.ShouldNotBe(first);
        (await StoredAsync(second)).ContestedStatus.ShouldBe(PrescriptionStatus.NotSelected);
    }

    [Fact]
    public async Task OneOpenCasePerPrescription_IsAlsoAUniqueIndex_S10()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var prescription = await RefusedPrescriptionAsync(julie);
        await using var db = fixture.Database.CreateDbContext();
        db.AllArbitrations.Add(new Arbitration(prescription, PrescriptionStatus.NotSelected, ArbitrationSide.Prescriber, julie.UserId, "a", aurelie.OrganisationId, DemoDatabase.SeededAt));
        db.AllArbitrations.Add(new Arbitration(prescription, PrescriptionStatus.NotSelected, ArbitrationSide.TrainingBody, julie.UserId, "b", aurelie.OrganisationId, DemoDatabase.SeededAt));

        await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task Decide_Overturned_AppliesTheNewDecision_WithItsHistory_AndBothPartiesAreToldLive_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var prescription = await RefusedPrescriptionAsync(julie);
        var id = await Open.HandleAsync(new OpenArbitration(prescription, "L'aptitude physique est attestée par le médecin du travail."), camille, Ct);
        await new ArgueArbitration.Handler(fixture.Database, _live.Notifier).HandleAsync(new ArgueArbitration(prescription, "Attestation reçue après la décision."), julie, Ct);
        _clock.Advance(TimeSpan.FromDays(2));

        await new DecideArbitration.Handler(fixture.Database, _clock, _live.Notifier).HandleAsync(
            new DecideArbitration(id, ArbitrationOutcome.Overturned, "L'attestation lève le seul motif du refus.", PrescriptionStatus.Selected), aurelie, Ct);

        await using var db = fixture.Database.CreateDbContext();
        var p = await db.AllPrescriptions.Include(x => x.History).AsNoTracking().SingleAsync(x => x.Id == prescription, Ct);
        p.Status.ShouldBe(PrescriptionStatus.Selected);
        var last = p.History.OrderBy(t => t.Id).Last();
        (last.From, last.To, last.Reason, last.ByUserId, last.At).ShouldBe(
            (PrescriptionStatus.NotSelected, PrescriptionStatus.Selected, "Décision de l'arbitrage (S10)", (Guid?)aurelie.UserId, _clock.GetUtcNow()));
        var stored = await StoredAsync(id);
        (stored.Status, stored.Outcome, stored.NewDecision, stored.DecidedByUserId).ShouldBe(
            (ArbitrationStatus.Decided, (ArbitrationOutcome?)ArbitrationOutcome.Overturned, (PrescriptionStatus?)PrescriptionStatus.Selected, (Guid?)aurelie.UserId));
        // Both parties' pages listen to this event, filtered by their organisations.
        var decided = _live.Published.Last();
        (decided.ArbitrationId, decided.Status, decided.PrescriberOrganisationId, decided.TrainingBodyId).ShouldBe(
            (id, ArbitrationStatus.Decided, camille.OrganisationId, julie.OrganisationId));
        var forCamille = await new GetPrescriptionArbitration.Handler(fixture.Database).HandleAsync(new GetPrescriptionArbitration(prescription), camille, Ct);
        var forJulie = await new GetPrescriptionArbitration.Handler(fixture.Database).HandleAsync(new GetPrescriptionArbitration(prescription), julie, Ct);
        forCamille.Latest!.Outcome.ShouldBe(ArbitrationOutcome.Overturned);
        forJulie.Latest!.NewDecision.ShouldBe(PrescriptionStatus.Selected);
        forJulie.Latest.PrescriberArgument.ShouldNotBeNull();
        forJulie.Latest.TrainingBodyArgument.ShouldBe("Attestation reçue après la décision.");
    }

    [Fact]
    public async Task Decide_Overturned_PublishesThePrescriptionsNewStatus_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var prescription = await RefusedPrescriptionAsync(julie);
        using var statuses = new RecordingPrescriptionChanges();
        var id = await new OpenArbitration.Handler(fixture.Database, _clock, statuses.Notifier).HandleAsync(new OpenArbitration(prescription, "Désaccord."), camille, Ct);

        await new DecideArbitration.Handler(fixture.Database, _clock, statuses.Notifier).HandleAsync(
            new DecideArbitration(id, ArbitrationOutcome.Overturned, null, PrescriptionStatus.Waitlisted), aurelie, Ct);

        statuses.Published.ShouldHaveSingleItem().Status.ShouldBe(PrescriptionStatus.Waitlisted);
    }

    [Fact]
    public async Task Decide_OverturnToNotSelected_WithoutReasons_IsRefused_AndNothingChanges_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var prescription = await RefusedPrescriptionAsync(julie);
        var id = await Open.HandleAsync(new OpenArbitration(prescription, "Désaccord."), camille, Ct);

        await Should.ThrowAsync<DomainException>(() => Decide.HandleAsync(new DecideArbitration(id, ArbitrationOutcome.Overturned, null, PrescriptionStatus.NotSelected), aurelie, Ct));

        (await StoredAsync(id)).Status.ShouldBe(ArbitrationStatus.Open);
    }

    [Fact]
    public async Task OutOfScope_AnotherMfe_AnotherPrescriberOrganisation_AnotherTrainingBody_GetNotFound_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var pierre = await fixture.UserAsync(TestUsers.Pierre);
        var lucas = await fixture.UserAsync(TestUsers.Lucas);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var prescription = await RefusedPrescriptionAsync(julie);
        var id = await Open.HandleAsync(new OpenArbitration(prescription, "Désaccord."), camille, Ct);

        await Should.ThrowAsync<NotFoundException>(() => Decide.HandleAsync(new DecideArbitration(id, ArbitrationOutcome.Upheld, null), pierre, Ct));
        await Should.ThrowAsync<NotFoundException>(() => new GetArbitrationCase.Handler(fixture.Database).HandleAsync(new GetArbitrationCase(id), pierre, Ct));
        (await new GetArbitrations.Handler(fixture.Database).HandleAsync(new GetArbitrations(), pierre, Ct)).Rows.ShouldNotContain(r => r.Id == id);
        foreach (var outsider in new[] { lucas, thomas })
        {
            await Should.ThrowAsync<NotFoundException>(() => Open.HandleAsync(new OpenArbitration(prescription, "Intrusion."), outsider, Ct));
            await Should.ThrowAsync<NotFoundException>(() => new ArgueArbitration.Handler(fixture.Database, _live.Notifier).HandleAsync(new ArgueArbitration(prescription, "Intrusion."), outsider, Ct));
            await Should.ThrowAsync<NotFoundException>(() => new GetPrescriptionArbitration.Handler(fixture.Database).HandleAsync(new GetPrescriptionArbitration(prescription), outsider, Ct));
        }
        // A party cannot decide its own case either.
        await Should.ThrowAsync<NotFoundException>(() => Decide.HandleAsync(new DecideArbitration(id, ArbitrationOutcome.Upheld, null), julie, Ct));
    }

    [Fact]
    public async Task CaseForTheMfe_ShowsTheFichesCriteria_TheHistory_AndBothArguments_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var prescription = await RefusedPrescriptionAsync(julie);
        var id = await Open.HandleAsync(new OpenArbitration(prescription, "Argument du prescripteur."), camille, Ct);
        await new ArgueArbitration.Handler(fixture.Database, _live.Notifier).HandleAsync(new ArgueArbitration(prescription, "Argument de l'OF."), julie, Ct);

        var c = await new GetArbitrationCase.Handler(fixture.Database).HandleAsync(new GetArbitrationCase(id), aurelie, Ct);

        c.SelectionCriteria.ShouldBe(["Motivation pour le métier", "Aptitude physique"]);
        c.History.Select(s => s.To).ShouldBe([PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Attended, PrescriptionStatus.NotSelected]);
        (c.PrescriberArgument, c.TrainingBodyArgument).ShouldBe(("Argument du prescripteur.", "Argument de l'OF."));
        c.DecisionReasons.ShouldBe(["Prérequis non atteints : Aptitude physique"]);
        c.PossibleNewDecisions.ShouldBe([PrescriptionStatus.Selected, PrescriptionStatus.Waitlisted]);
    }

    [Fact]
    public async Task MfeHome_CountsItsOpenCases_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var before = (await new GetOverview.Handler(fixture.Database).HandleAsync(aurelie, Ct)).OpenArbitrations;
        var prescription = await RefusedPrescriptionAsync(julie);

        await Open.HandleAsync(new OpenArbitration(prescription, "Désaccord."), camille, Ct);

        (await new GetOverview.Handler(fixture.Database).HandleAsync(aurelie, Ct)).OpenArbitrations.ShouldBe(before + 1);
    }
}
