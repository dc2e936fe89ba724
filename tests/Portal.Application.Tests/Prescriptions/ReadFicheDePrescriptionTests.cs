using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Live;
using Portal.Testing;

namespace Portal.Application.Tests.Prescriptions;

/// <summary>
/// Issue #13, point 1: the OF reads the fiche de prescription the prescriber wrote (P3, P4, P5, P7), in full, on its
/// own sessions only; the Région reads it too; every read of the RQTH answer it carries is logged.
/// </summary>
public sealed class ReadFicheDePrescriptionTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt.AddHours(5));

    /// <summary>Every field distinct, so a field shown in another's place would fail.</summary>
    private static readonly PrescriptionForm Written = new()
    {
        PriorPath = "Bac pro logistique, trois ans de préparation de commandes.",
        ProjectValidation = "Enquête métier et immersion PMSMP d'une semaine en entrepôt.",
        CandidateAgreement = true,
        MaterialConditions = "Pas de véhicule ; ligne de bus 12 jusqu'au centre.",
        Feasibility = "Plusieurs offres de cariste dans le bassin d'emploi.",
        RqthDeclared = true,
        Motivations = "Veut conduire des chariots et quitter l'intérim.",
        Barriers = "Garde d'enfant le mercredi : solution trouvée avec la crèche.",
        CriteriaReviewed = true,
    };

    private GetPrescription.Handler Reader => new(fixture.Database, _clock);

    /// <summary>Camille prescribes a new candidate on a fresh published session of Julie's OF, with <see cref="Written"/>.</summary>
    private async Task<(Guid PrescriptionId, Guid CandidateId, Guid SessionId)> PrescribedAsync()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var session = await OfferBuilder.AddSessionAsync(fixture.Database, julie.OrganisationId, new DateOnly(2027, 3, 1), arrange: s => s.Publish(DemoDatabase.SeededAt));
        var candidate = await new CreateCandidate.Handler(fixture.Database, _clock).HandleAsync(
            new CreateCandidate("Nadia", "Fiche", new DateOnly(1998, 6, 3), "33063"), camille, Ct);
        var notifier = new LiveNotifier(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);
        var id = await new Prescribe.Handler(fixture.Database, _clock, notifier).HandleAsync(new Prescribe(candidate, session.Id, Written), camille, Ct);
        return (id, candidate, session.Id);
    }

    private async Task<List<SensitiveReadLogRow>> RqthReadsAsync(Guid userId, Guid candidateId)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.AllSensitiveReads.AsNoTracking().Where(r => r.UserId == userId && r.CandidateId == candidateId)
            .Select(r => new SensitiveReadLogRow(r.Field, r.At)).ToListAsync(Ct);
    }

    private sealed record SensitiveReadLogRow(string Field, DateTimeOffset At);

    private static void ShouldBeTheWrittenFiche(GetPrescription.Details details)
    {
        details.Form.PriorPath.ShouldBe("Bac pro logistique, trois ans de préparation de commandes.");
        details.Form.ProjectValidation.ShouldBe("Enquête métier et immersion PMSMP d'une semaine en entrepôt.");
        details.Form.CandidateAgreement.ShouldBeTrue();
        details.Form.MaterialConditions.ShouldBe("Pas de véhicule ; ligne de bus 12 jusqu'au centre.");
        details.Form.Feasibility.ShouldBe("Plusieurs offres de cariste dans le bassin d'emploi.");
        details.Form.RqthDeclared.ShouldBe(true);
        details.Form.Motivations.ShouldBe("Veut conduire des chariots et quitter l'intérim.");
        details.Form.Barriers.ShouldBe("Garde d'enfant le mercredi : solution trouvée avec la crèche.");
        details.Form.CriteriaReviewed.ShouldBeTrue();
    }

    [Fact]
    public async Task TheSessionsTrainingBody_ReadsTheFicheDePrescriptionInFull_WithWhoPrescribed_P3_P4_P5_P7()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (id, _, _) = await PrescribedAsync();

        var details = await Reader.HandleAsync(new GetPrescription(id), julie, Ct);

        ShouldBeTheWrittenFiche(details);
        details.CandidateName.ShouldBe("Nadia Fiche");
        details.PrescriberOrganisationName.ShouldBe("Mission Locale Technowest");
        details.TrainingBodyName.ShouldBe("Formapro Gironde");
        details.SessionStart.ShouldBe(new DateOnly(2027, 3, 1));
    }

    [Fact]
    public async Task AnotherTrainingBody_DoesNotReadTheFiche_ItIsNotFound_AndNoRqthReadIsLogged_P7()
    {
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var (id, candidate, _) = await PrescribedAsync();

        await Should.ThrowAsync<NotFoundException>(() => Reader.HandleAsync(new GetPrescription(id), thomas, Ct));

        (await RqthReadsAsync(thomas.UserId, candidate)).ShouldBeEmpty();
    }

    [Fact]
    public async Task TheRegion_ReadsTheFicheInFull_P7()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var (id, _, _) = await PrescribedAsync();

        var details = await Reader.HandleAsync(new GetPrescription(id), claire, Ct);

        ShouldBeTheWrittenFiche(details);
    }

    [Fact]
    public async Task ReadingTheFiche_LogsTheRqthRead_OfTheReaderAndTheCandidate_AtTheClocksTime_P7()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var (id, candidate, _) = await PrescribedAsync();

        await Reader.HandleAsync(new GetPrescription(id), julie, Ct);
        _clock.Advance(TimeSpan.FromMinutes(7));
        await Reader.HandleAsync(new GetPrescription(id), claire, Ct);

        (await RqthReadsAsync(julie.UserId, candidate)).ShouldBe([new SensitiveReadLogRow("RQTH", DemoDatabase.SeededAt.AddHours(5))]);
        (await RqthReadsAsync(claire.UserId, candidate)).ShouldBe([new SensitiveReadLogRow("RQTH", DemoDatabase.SeededAt.AddHours(5).AddMinutes(7))]);
    }

    [Fact]
    public async Task SessionFiches_ForItsTrainingBody_AreEveryPrescriptionOfTheSession_OrOnlyTheCheckedOnes_AndEachReadIsLogged_P7()
    {
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var (first, firstCandidate, session) = await PrescribedAsync();
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var second = await new CreateCandidate.Handler(fixture.Database, _clock).HandleAsync(
            new CreateCandidate("Hugo", "Second", new DateOnly(2000, 1, 9), "33063"), camille, Ct);
        var notifier = new LiveNotifier(new InProcessBackplane(), NullLogger<LiveNotifier>.Instance);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var secondId = await new Prescribe.Handler(fixture.Database, _clock, notifier).HandleAsync(new Prescribe(second, session, Written with { RqthDeclared = false }), camille, Ct);
        var handler = new GetSessionPrescriptionFiches.Handler(fixture.Database, _clock);

        var all = await handler.HandleAsync(new GetSessionPrescriptionFiches(session), julie, Ct);
        // Later than the journal's one-minute window (a read within it is the same line).
        _clock.Advance(TimeSpan.FromMinutes(2));
        var checkedOnly = await handler.HandleAsync(new GetSessionPrescriptionFiches(session, [secondId]), julie, Ct);

        all.Fiches.Select(f => f.Id).ShouldBe([first, secondId]); // in order of prescription
        all.Fiches.Select(f => f.Form.RqthDeclared).ShouldBe([true, false]);
        checkedOnly.Fiches.Select(f => f.Id).ShouldBe([secondId]);
        checkedOnly.Fiches.ShouldNotContain(f => f.Id == first);
        (await RqthReadsAsync(julie.UserId, firstCandidate)).Count.ShouldBe(1);
        (await RqthReadsAsync(julie.UserId, second)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task SessionFiches_OfAnotherTrainingBodysSession_AreNotFound_AndAPrescriberCannotPrintThem_P7()
    {
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var (_, candidate, session) = await PrescribedAsync();
        var handler = new GetSessionPrescriptionFiches.Handler(fixture.Database, _clock);

        await Should.ThrowAsync<NotFoundException>(() => handler.HandleAsync(new GetSessionPrescriptionFiches(session), thomas, Ct));
        await Should.ThrowAsync<NotFoundException>(() => handler.HandleAsync(new GetSessionPrescriptionFiches(session), camille, Ct));

        (await RqthReadsAsync(thomas.UserId, candidate)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SessionFiches_ForTheRegion_AreTheSessionsFiches_P7()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var (id, _, session) = await PrescribedAsync();

        var result = await new GetSessionPrescriptionFiches.Handler(fixture.Database, _clock).HandleAsync(new GetSessionPrescriptionFiches(session), claire, Ct);

        result.Fiches.Select(f => f.Id).ShouldBe([id]);
        ShouldBeTheWrittenFiche(result.Fiches[0]);
    }
}
