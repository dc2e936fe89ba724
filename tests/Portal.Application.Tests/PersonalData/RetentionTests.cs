using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Observatory;
using Portal.Application.Features.PersonalData;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Common;
using Portal.Domain.Eos;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.Application.Tests.PersonalData;

/// <summary>
/// Issue #14 (4), PRODUCT "Personal data", ADR 0025: the retention job pseudonymises the candidates with no activity for
/// 24 months (the last prescription's end, or the creation when never prescribed), set-based and chunked, idempotent,
/// on the injected clock, and the observatories' figures (Q1, Q3) stay exact. Each test has its own database.
/// </summary>
public class RetentionTests : IAsyncLifetime
{
    /// <summary>SQLite here, PostgreSQL in <see cref="RetentionTestsOnPostgreSql"/> (the reasons' details are erased in each dialect).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The instant the scenario's prescription ends: Wednesday 10/03/2027, 10:00 in Paris.</summary>
    private static readonly DateTimeOffset Ended = new(2027, 3, 10, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Born 15/03/2000: under 26 on the first day of a period starting 01/01/2026 (born after 01/01/2000), by two and a half months.</summary>
    private static readonly DateOnly BirthDate = new(2000, 3, 15);

    private TestDatabase _db = null!;
    private CurrentUser _camille = null!, _julie = null!, _claire = null!;
    private readonly TempFileStore _files = new();

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(Provider);
        _camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        _julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        _claire = await TestUsers.ForAsync(_db, TestUsers.Claire);
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        _files.Dispose();
    }

    /// <summary>Paris midnight at the start of <paramref name="day"/>, plus <paramref name="minutes"/> (UTC+1 in winter, UTC+2 in summer).</summary>
    private static DateTimeOffset Paris(DateOnly day, int minutes) => FrenchTime.StartOfDay(day).AddMinutes(minutes);

    private Task RunAsync(DateTimeOffset now, int chunk = PersonalDataSettings.DefaultChunkSize, RecordingNotifier<CandidatesPseudonymised>? recorder = null) =>
        new PseudonymiseInactiveCandidatesJob(_db, new FakeTimeProvider(now), new PersonalDataSettings(24, chunk), _files.Store,
            (recorder ?? new RecordingNotifier<CandidatesPseudonymised>()).Notifier).RunAsync(Ct);

    /// <summary>
    /// A candidate with everything personal filled (contact, identifier, RQTH), one prescription with the whole form, a
    /// fiche complément, an attachment, a personal link, an EOS anomaly, not selected with detailed reasons and both
    /// explanations at <see cref="Ended"/>.
    /// </summary>
    private async Task<(Guid Candidate, Guid Prescription)> EndedScenarioAsync()
    {
        var session = await OfferBuilder.AddSessionAsync(_db, _julie.OrganisationId, new DateOnly(2027, 4, 1), new DateOnly(2027, 3, 25), arrange: s => s.Publish(Ended.AddDays(-90)));
        var created = Ended.AddDays(-20);
        var candidate = new Candidate(_camille.OrganisationId, _camille.UserId, "Élodie", "Martinez", BirthDate, "33281", created);
        candidate.SetContact("elodie.martinez@exemple.fr", "06 12 34 56 78");
        candidate.SetSituation(rqth: true, qpv: true, rural: false, minimumSocialBenefits: true, "Niveau 4 (bac)", "FT1234567");
        var form = PrescribeTests.Form with { Motivations = "Élodie veut travailler près de chez sa mère.", Barriers = "Garde d'enfant le mercredi." };
        var p = new Prescription(candidate.Id, session.Id, _julie.OrganisationId, _camille.OrganisationId, _camille.UserId, 1, form, created);
        string token;
        await using (var db = _db.CreateDbContext())
        {
            db.AllCandidates.Add(candidate);
            db.AllPrescriptions.Add(p);
            db.AllComplementThreads.Add(new ComplementThread(p.Id, _camille.UserId, true, "Élodie a un suivi psychologique, appelez-moi avant.", created.AddDays(1)));
            db.AllCandidateLinks.Add(CandidateLink.Create(candidate.Id, _camille.UserId, created.AddDays(1), TimeSpan.FromDays(30), out token));
            await db.SaveChangesAsync(Ct);
        }
        await new AddPrescriptionAttachment.Handler(_db, _files.Store, new FakeTimeProvider(created.AddDays(2)))
            .HandleAsync(new AddPrescriptionAttachment(p.Id, new MemoryStream("%PDF-1.7 bilan d'Élodie"u8.ToArray()), "bilan-elodie.pdf"), _camille, Ct);
        await using (var db = _db.CreateDbContext())
        {
            var stored = await db.AllPrescriptions.SingleAsync(x => x.Id == p.Id, Ct);
            Meetings.ConvokeAt(db, stored, _julie.UserId, Ended.AddDays(-10));
            stored.RecordAttendance(PrescriptionStatus.Attended, _julie.UserId, Ended.AddDays(-3));
            stored.NotSelect([NonSelectionReason.Prerequisite("Permis B exigé, Élodie ne l'a pas"), new(NonSelectionReasonKind.SessionFull)],
                "Élodie, reprenez contact après votre permis.", "Permis en cours, échec au code en février.", _julie.UserId, Ended);
            await db.SaveChangesAsync(Ct);
        }
        await using (var db = _db.CreateDbContext())
        {
            var import = new EosImport(_claire.UserId, "Claire Lefèvre", "eos.csv", 1, Ended);
            import.Add(new EosAnomaly(EosAnomalyKind.DateMismatch, 1, "MARTINEZ Élodie", "FT1234567", BirthDate, "S-1", "Titre", new DateOnly(2027, 4, 1), new DateOnly(2027, 4, 2), p.Id));
            db.AllEosImports.Add(import);
            await db.SaveChangesAsync(Ct);
        }
        return (candidate.Id, p.Id);
    }

    private async Task<Candidate> CandidateAsync(Guid id)
    {
        await using var db = _db.CreateDbContext();
        return await db.AllCandidates.AsNoTracking().SingleAsync(c => c.Id == id, Ct);
    }

    [Fact]
    public async Task Retention_TheDayBeforeThe24MonthsEnd_NothingHappens_AndOnTheDayTheCandidateIsPseudonymised()
    {
        var (id, _) = await EndedScenarioAsync();

        await RunAsync(Paris(new DateOnly(2029, 3, 10), -1)); // 23:59 on 09/03/2029 in Paris
        var kept = await CandidateAsync(id);
        kept.IsPseudonymised.ShouldBeFalse();
        kept.LastName.ShouldBe("Martinez");
        kept.Email.ShouldBe("elodie.martinez@exemple.fr");

        await RunAsync(Paris(new DateOnly(2029, 3, 10), 1)); // 00:01 on 10/03/2029
        var gone = await CandidateAsync(id);
        gone.IsPseudonymised.ShouldBeTrue();
        gone.PseudonymisedAt.ShouldBe(Paris(new DateOnly(2029, 3, 10), 1));
        gone.DisplayName.ShouldBe("Candidat anonymisé");
        gone.FirstName.ShouldBe("Candidat");
        gone.LastName.ShouldBe("anonymisé");
        gone.Email.ShouldBeNull();
        gone.Phone.ShouldBeNull();
        gone.FranceTravailId.ShouldBeNull();
        gone.BirthDate.ShouldBe(new DateOnly(2000, 1, 1)); // the year only
        // What the observatories read stays: commune, situations, education level.
        gone.CommuneInsee.ShouldBe("33281");
        (gone.Rqth, gone.Qpv, gone.Rural, gone.MinimumSocialBenefits).ShouldBe((true, true, false, true));
        gone.EducationLevel.ShouldBe("Niveau 4 (bac)");
    }

    [Fact]
    public async Task Retention_ReplacesEveryFreeText_DeletesTheAttachments_RevokesTheLinks_AndKeepsStatusAndDates()
    {
        var (id, prescriptionId) = await EndedScenarioAsync();
        _files.Files().Count.ShouldBe(1);

        await RunAsync(Paris(new DateOnly(2029, 3, 10), 1));

        await using var db = _db.CreateDbContext();
        var p = await db.AllPrescriptions.AsNoTracking().SingleAsync(x => x.Id == prescriptionId, Ct);
        p.Status.ShouldBe(PrescriptionStatus.NotSelected);
        p.StatusChangedAt.ShouldBe(Ended);
        p.Form.PriorPath.ShouldBe("[effacé]");
        p.Form.ProjectValidation.ShouldBe("[effacé]");
        p.Form.MaterialConditions.ShouldBe("[effacé]");
        p.Form.Feasibility.ShouldBe("[effacé]");
        p.Form.Motivations.ShouldBe("[effacé]");
        p.Form.Barriers.ShouldBe("[effacé]");
        p.Form.CandidateAgreement.ShouldBeTrue();
        p.CandidateExplanation.ShouldBe("[effacé]");
        p.PrescriberExplanation.ShouldBe("[effacé]");
        p.NonSelectionReasons.Select(r => (r.Kind, r.Detail)).ShouldBe(
            [(NonSelectionReasonKind.PrerequisitesNotMet, "[effacé]"), (NonSelectionReasonKind.SessionFull, (string?)null)]);
        (await db.AllComplementMessages.Where(m => db.AllComplementThreads.Any(t => t.Id == m.ThreadId && t.PrescriptionId == prescriptionId))
            .Select(m => m.Body).ToListAsync(Ct)).ShouldBe(["[effacé]"]);
        (await db.AllPrescriptionAttachments.CountAsync(a => a.PrescriptionId == prescriptionId, Ct)).ShouldBe(0);
        _files.Files().ShouldBeEmpty();
        (await db.AllCandidateLinks.Where(l => l.CandidateId == id).Select(l => l.RevokedAt).ToListAsync(Ct))
            .ShouldBe([Paris(new DateOnly(2029, 3, 10), 1)]);
        var anomaly = await db.AllEosAnomalies.AsNoTracking().SingleAsync(a => a.PrescriptionId == prescriptionId, Ct);
        (anomaly.CandidateName, anomaly.FranceTravailId, anomaly.BirthDate).ShouldBe(("Candidat anonymisé", (string?)null, (DateOnly?)null));
        // The history keeps its steps and dates; no motive typed by someone names the candidate any more.
        var history = await db.AllPrescriptionTransitions.Where(t => t.PrescriptionId == prescriptionId).OrderBy(t => t.Id).ToListAsync(Ct);
        history.Select(t => t.To).ShouldBe([PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Attended, PrescriptionStatus.NotSelected]);
        history.ShouldAllBe(t => t.Reason == null || !t.Reason.Contains("Élodie"));
    }

    [Fact]
    public async Task Retention_ASecondRun_ChangesNothing_Idempotent()
    {
        var (id, prescriptionId) = await EndedScenarioAsync();
        var day = Paris(new DateOnly(2029, 3, 10), 1);
        await RunAsync(day);
        var first = await SnapshotAsync();

        using var recorder = new RecordingNotifier<CandidatesPseudonymised>();
        await RunAsync(day.AddMinutes(5), recorder: recorder);

        (await SnapshotAsync()).ShouldBe(first);
        (await CandidateAsync(id)).PseudonymisedAt.ShouldBe(day);
        recorder.Published.ShouldBeEmpty();
    }

    /// <summary>Every candidate and prescription row as text, and the history's reasons.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = _db.CreateDbContext();
        var candidates = await db.AllCandidates.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.FirstName, c.LastName, c.BirthDate, c.Email, c.Phone, c.FranceTravailId, c.IsPseudonymised, c.PseudonymisedAt, c.ChoicesVersion })
            .ToListAsync(Ct);
        var prescriptions = await db.AllPrescriptions.AsNoTracking().OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Status, p.Form, p.CandidateExplanation, p.PrescriberExplanation, p.NonSelectionReasons, p.Version }).ToListAsync(Ct);
        var reasons = await db.AllPrescriptionTransitions.AsNoTracking().OrderBy(t => t.Id).Select(t => t.Reason).ToListAsync(Ct);
        return JsonSerializer.Serialize(new { candidates, prescriptions, reasons });
    }

    [Fact]
    public async Task Retention_NeverPrescribed_CountsFromTheCreation()
    {
        Guid id;
        await using (var db = _db.CreateDbContext())
        {
            var c = new Candidate(_camille.OrganisationId, _camille.UserId, "Jules", "Bernard", new DateOnly(1990, 7, 1), "33063", Ended);
            db.AllCandidates.Add(c);
            await db.SaveChangesAsync(Ct);
            id = c.Id;
        }

        await RunAsync(Paris(new DateOnly(2029, 3, 10), -1));
        (await CandidateAsync(id)).IsPseudonymised.ShouldBeFalse();

        await RunAsync(Paris(new DateOnly(2029, 3, 10), 1));
        (await CandidateAsync(id)).IsPseudonymised.ShouldBeTrue();
    }

    [Fact]
    public async Task Retention_AnActivePrescription_KeepsTheCandidate_HoweverOld()
    {
        var session = await OfferBuilder.AddSessionAsync(_db, _julie.OrganisationId, new DateOnly(2027, 4, 1));
        Guid id;
        await using (var db = _db.CreateDbContext())
        {
            var c = new Candidate(_camille.OrganisationId, _camille.UserId, "Léa", "Roux", new DateOnly(1995, 2, 2), "33063", Ended);
            db.AllCandidates.Add(c);
            db.AllPrescriptions.Add(new Prescription(c.Id, session.Id, _julie.OrganisationId, _camille.OrganisationId, _camille.UserId, 1, PrescribeTests.Form, Ended));
            await db.SaveChangesAsync(Ct);
            id = c.Id;
        }

        await RunAsync(Ended.AddYears(10));

        (await CandidateAsync(id)).IsPseudonymised.ShouldBeFalse();
    }

    [Fact]
    public async Task Retention_AnEntryIntoTraining_EndsWithTheSessionsLastDay()
    {
        // Session from 01/03/2027 to 29/06/2027 (120 days); the candidate entered on 10/03/2027.
        var session = await OfferBuilder.AddSessionAsync(_db, _julie.OrganisationId, new DateOnly(2027, 3, 1), new DateOnly(2027, 2, 20));
        Guid id;
        await using (var db = _db.CreateDbContext())
        {
            var c = new Candidate(_camille.OrganisationId, _camille.UserId, "Hugo", "Petit", new DateOnly(1998, 9, 9), "33063", Ended.AddDays(-30));
            var p = new Prescription(c.Id, session.Id, _julie.OrganisationId, _camille.OrganisationId, _camille.UserId, 1, PrescribeTests.Form, Ended.AddDays(-30));
            db.AllCandidates.Add(c);
            db.AllPrescriptions.Add(p);
            Meetings.ConvokeAt(db, p, _julie.UserId, Ended.AddDays(-20));
            p.RecordAttendance(PrescriptionStatus.Attended, _julie.UserId, Ended.AddDays(-12));
            p.Select(_julie.UserId, Ended.AddDays(-11));
            p.Enter(_julie.UserId, Ended);
            await db.SaveChangesAsync(Ct);
            id = c.Id;
        }

        await RunAsync(Paris(new DateOnly(2029, 3, 11), 0)); // 24 months after the entry: still in training then
        (await CandidateAsync(id)).IsPseudonymised.ShouldBeFalse();
        await RunAsync(Paris(new DateOnly(2029, 6, 29), -1)); // 23:59 on 28/06/2029
        (await CandidateAsync(id)).IsPseudonymised.ShouldBeFalse();

        await RunAsync(Paris(new DateOnly(2029, 6, 29), 1)); // 24 months after the session's last day
        (await CandidateAsync(id)).IsPseudonymised.ShouldBeTrue();
    }

    [Fact]
    public async Task Retention_LaterActivity_StartsThePeriodAgain()
    {
        var (id, prescriptionId) = await EndedScenarioAsync();
        // A year later, the prescriber writes in the fiche complément (the candidate came back).
        using (var notifier = new RecordingNotifier<MessageAdded>())
            await new PostComplementMessage.Handler(_db, new FakeTimeProvider(Ended.AddYears(1)), notifier.Notifier)
                .HandleAsync(new PostComplementMessage(prescriptionId, "Élodie a eu son permis."), _camille, Ct);

        await RunAsync(Paris(new DateOnly(2029, 3, 10), 1));
        (await CandidateAsync(id)).IsPseudonymised.ShouldBeFalse();

        await RunAsync(Paris(new DateOnly(2030, 3, 10), 1));
        (await CandidateAsync(id)).IsPseudonymised.ShouldBeTrue();
    }

    [Fact]
    public async Task Retention_ByChunks_PseudonymisesEveryDueCandidate_AndTellsTheOpenScreensOncePerChunk()
    {
        await EndedScenarioAsync();
        var day = Paris(new DateOnly(2029, 3, 10), 1);
        int due;
        await using (var db = _db.CreateDbContext())
            due = await PseudonymiseInactiveCandidatesJob.Due(db, new DateOnly(2027, 3, 10)).CountAsync(Ct);
        due.ShouldBeGreaterThan(3); // the scenario's candidate and demo candidates with nothing open

        using var recorder = new RecordingNotifier<CandidatesPseudonymised>();
        await RunAsync(day, chunk: 2, recorder: recorder);

        await using (var db = _db.CreateDbContext())
        {
            (await db.AllCandidates.CountAsync(c => c.IsPseudonymised, Ct)).ShouldBe(due);
            (await PseudonymiseInactiveCandidatesJob.Due(db, new DateOnly(2027, 3, 10)).CountAsync(Ct)).ShouldBe(0);
        }
        recorder.Published.Count.ShouldBe((due + 1) / 2);
        recorder.Published.ShouldAllBe(e => e.CandidateIds.Count <= 2);
        recorder.Published.Sum(e => e.CandidateIds.Count).ShouldBe(due);
    }

    [Fact]
    public async Task Retention_TheObservatoriesFigures_AreTheSameBeforeAndAfter_Q1_Q3()
    {
        var (id, _) = await EndedScenarioAsync();
        // Every demo prescription still open ends now (withdrawn), so that their candidates fall due as well.
        await using (var db = _db.CreateDbContext())
        {
            var active = PrescriptionLifecycle.Active;
            await db.AllPrescriptions.Where(p => active.Contains(p.Status))
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, PrescriptionStatus.Withdrawn).SetProperty(p => p.StatusChangedAt, Ended), Ct);
        }
        var before = await FiguresAsync();
        int withPrescriptions;
        await using (var db = _db.CreateDbContext())
            withPrescriptions = await PseudonymiseInactiveCandidatesJob.Due(db, new DateOnly(2027, 3, 10))
                .CountAsync(c => db.AllPrescriptions.Any(p => p.CandidateId == c.Id), Ct);
        withPrescriptions.ShouldBeGreaterThan(10);

        await RunAsync(Paris(new DateOnly(2029, 3, 10), 1));

        (await CandidateAsync(id)).BirthDate.ShouldBe(new DateOnly(2000, 1, 1)); // born after 01/01/2000 no more, on the row
        var after = await FiguresAsync();
        after.Facts.ShouldBe(before.Facts);
        after.Access.ShouldBe(before.Access);
        after.Quality.ShouldBe(before.Quality);
        // The scenario's candidate is counted among the young (under 26 on 01/01/2026) before and after.
        after.YoungRqth.ShouldBe(before.YoungRqth);
        after.YoungRqth.ShouldBeGreaterThan(0);
    }

    private sealed record Figures(string Facts, string Access, string Quality, int YoungRqth);

    /// <summary>Every prescription's stored facts (ADR 0011), and the Région's access (Q3) and quality (Q1) observatories of 2026-2027.</summary>
    private async Task<Figures> FiguresAsync()
    {
        await using var db = _db.CreateDbContext();
        var facts = await db.AllPrescriptions.AsNoTracking().OrderBy(p => p.Id).Select(p => new
        {
            p.Id,
            Situation = EF.Property<int>(p, ObservatoryFacts.Situation),
            BirthDate = EF.Property<DateOnly?>(p, ObservatoryFacts.BirthDate),
            Residence = EF.Property<string?>(p, ObservatoryFacts.ResidenceDepartement),
            Km = EF.Property<double?>(p, ObservatoryFacts.JourneyKm),
            FormComplete = EF.Property<bool>(p, ObservatoryFacts.FormComplete),
            Explained = EF.Property<bool>(p, ObservatoryFacts.Explained),
            ReasonKinds = EF.Property<int>(p, ObservatoryFacts.ReasonKinds),
            ProjectRome = EF.Property<string?>(p, ObservatoryFacts.ProjectRome),
            Band = EF.Property<int>(p, ObservatoryFacts.JourneyBand),
        }).ToListAsync(Ct);
        var young = new DateOnly(2000, 1, 1);
        var youngRqth = await db.AllPrescriptions.CountAsync(p => EF.Property<DateOnly?>(p, ObservatoryFacts.BirthDate) > young
            && (EF.Property<int>(p, ObservatoryFacts.Situation) & ObservatoryFacts.Rqth) != 0, Ct);
        var clock = new FakeTimeProvider(Ended);
        var access = await new GetAccessObservatory.Handler(_db, clock).HandleAsync(new GetAccessObservatory(new DateOnly(2026, 1, 1), new DateOnly(2027, 12, 31)), _claire, Ct);
        var quality = await new GetQualityIndicators.Handler(_db, clock).HandleAsync(new GetQualityIndicators(new DateOnly(2026, 1, 1), new DateOnly(2027, 12, 31)), _claire, Ct);
        return new Figures(JsonSerializer.Serialize(facts), JsonSerializer.Serialize(access), JsonSerializer.Serialize(quality), youngRqth);
    }

    [Fact]
    public async Task Retention_APseudonymisedCandidate_CannotBeChangedNorPrescribed()
    {
        var (id, _) = await EndedScenarioAsync();
        await RunAsync(Paris(new DateOnly(2029, 3, 10), 1));
        var c = await CandidateAsync(id);

        Should.Throw<DomainException>(() => c.SetContact("x@exemple.fr", null)).Message.ShouldContain("anonymisé");
        Should.Throw<DomainException>(() => c.TakeChoice([], null, Ended)).Message.ShouldContain("anonymisé");
    }
}

/// <summary>The same scenarios on PostgreSQL (ADR 0021): its plpgsql facts and its jsonb reasons.</summary>
public sealed class RetentionTestsOnPostgreSql : RetentionTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
