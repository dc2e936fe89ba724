using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Observatory;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Infrastructure;
using Portal.Infrastructure.Persistence;
using Portal.Testing;

namespace Portal.Application.Tests.Observatory;

/// <summary>
/// Q1, Q3, Q4 at scale (ADR 0011): the facts each prescription row carries for the observatories are written by the
/// database when the prescription, its candidate, its session or its history change, and backfilled at start-up for
/// rows written before; the values are checked here against their definitions, not against the handlers.
/// </summary>
public class ObservatoryFactsTests : IAsyncLifetime
{
    /// <summary>The provider the tests run on: SQLite here, PostgreSQL in <see cref="ObservatoryFactsTestsOnPostgreSql"/> (ADR 0021).</summary>
    protected virtual Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.Sqlite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset InMarch = new(2027, 3, 10, 9, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;
    private CurrentUser _camille = null!;
    private CurrentUser _julie = null!;
    private Guid _sessionId;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(Provider);
        _camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        _julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        _sessionId = (await OfferBuilder.AddSessionAsync(_db, _julie.OrganisationId, new DateOnly(2027, 4, 1), new DateOnly(2027, 3, 25), capacity: 12)).Id;
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private sealed record Facts(int Situation, DateOnly? BirthDate, string? Residence, string? Place, double? Km, bool EverSelected,
        DateTimeOffset? FirstDecisionAt, bool FormComplete, bool Explained, int ReasonKinds, string? ProjectRome, bool ProjectMatchesAction, int Band);

    private static IQueryable<(Guid Id, Facts Facts)> AllFacts(PortalDbContext db) =>
        db.AllPrescriptions.AsNoTracking().Select(p => new
        {
            p.Id,
            Situation = EF.Property<int>(p, ObservatoryFacts.Situation),
            BirthDate = EF.Property<DateOnly?>(p, ObservatoryFacts.BirthDate),
            Residence = EF.Property<string?>(p, ObservatoryFacts.ResidenceDepartement),
            Place = EF.Property<string?>(p, ObservatoryFacts.PlaceDepartement),
            Km = EF.Property<double?>(p, ObservatoryFacts.JourneyKm),
            EverSelected = EF.Property<bool>(p, ObservatoryFacts.EverSelected),
            FirstDecisionAt = EF.Property<DateTimeOffset?>(p, ObservatoryFacts.FirstDecisionAt),
            FormComplete = EF.Property<bool>(p, ObservatoryFacts.FormComplete),
            Explained = EF.Property<bool>(p, ObservatoryFacts.Explained),
            ReasonKinds = EF.Property<int>(p, ObservatoryFacts.ReasonKinds),
            ProjectRome = EF.Property<string?>(p, ObservatoryFacts.ProjectRome),
            ProjectMatchesAction = EF.Property<bool>(p, ObservatoryFacts.ProjectMatchesAction),
            Band = EF.Property<int>(p, ObservatoryFacts.JourneyBand),
        }).AsEnumerable().Select(x => (x.Id, new Facts(x.Situation, x.BirthDate, x.Residence, x.Place, x.Km, x.EverSelected, x.FirstDecisionAt, x.FormComplete,
            x.Explained, x.ReasonKinds, x.ProjectRome, x.ProjectMatchesAction, x.Band))).AsQueryable();

    private async Task<Facts> FactsOfAsync(Guid id)
    {
        await using var db = _db.CreateDbContext();
        return AllFacts(db).Single(f => f.Id == id).Facts;
    }

    private async Task<double> HaversineAsync(string from, string to)
    {
        await using var db = _db.CreateDbContext();
        var a = await db.Communes.SingleAsync(c => c.InseeCode == from, Ct);
        var b = await db.Communes.SingleAsync(c => c.InseeCode == to, Ct);
        return Distance.Kilometres(a.Latitude, a.Longitude, b.Latitude, b.Longitude);
    }

    private async Task<(Candidate Candidate, Prescription Prescription)> PrescribeAsync(string commune, bool rqth = false, bool qpv = false, string? project = null)
    {
        await using var db = _db.CreateDbContext();
        var c = new Candidate(_camille.OrganisationId, _camille.UserId, "Prénom", "Nom", new DateOnly(2004, 6, 1), commune, InMarch);
        c.SetSituation(rqth, qpv, rural: false, minimumSocialBenefits: false, educationLevel: null, franceTravailId: null);
        c.SetProject(project);
        db.AllCandidates.Add(c);
        var p = new Prescription(c.Id, _sessionId, _julie.OrganisationId, _camille.OrganisationId, _camille.UserId, 1, PrescribeTests.Form, InMarch);
        db.AllPrescriptions.Add(p);
        await db.SaveChangesAsync(Ct);
        return (c, p);
    }

    [Fact]
    public async Task JourneyKm_StoredWhenThePrescriptionIsCreated_IsTheHaversineBetweenTheCommunes_AndFollowsTheCandidate_Q3()
    {
        // Mont-de-Marsan (Landes) → the session in Bordeaux (Gironde).
        var (candidate, prescription) = await PrescribeAsync("40192", rqth: true);

        var facts = await FactsOfAsync(prescription.Id);
        facts.Km!.Value.ShouldBe(await HaversineAsync("40192", "33063"), tolerance: 1e-9);
        facts.Km.Value.ShouldBe(108.0, tolerance: 0.3);
        facts.Band.ShouldBe(Distance.Bands.Count - 1); // 100 km and more
        (facts.Residence, facts.Place, facts.Situation, facts.BirthDate).ShouldBe(("40", "33", ObservatoryFacts.Rqth, new DateOnly(2004, 6, 1)));

        // The candidate moves to Mérignac and now lives in a QPV: the prescription's facts follow (the observatory reads the candidate as is).
        await using (var db = _db.CreateDbContext())
        {
            var c = await db.AllCandidates.SingleAsync(x => x.Id == candidate.Id, Ct);
            c.SetIdentity(c.FirstName, c.LastName, c.BirthDate, "33281", InMarch.AddDays(1));
            c.SetSituation(rqth: true, qpv: true, rural: false, minimumSocialBenefits: false, educationLevel: null, franceTravailId: null);
            await db.SaveChangesAsync(Ct);
        }
        facts = await FactsOfAsync(prescription.Id);
        facts.Km!.Value.ShouldBe(await HaversineAsync("33281", "33063"), tolerance: 1e-9);
        (facts.Residence, facts.Situation, facts.Band).ShouldBe(("33", ObservatoryFacts.Rqth | ObservatoryFacts.Qpv, 0)); // 8.4 km: under 10 km
    }

    [Fact]
    public async Task FirstDecisionAt_IsTheEarliestDecisionOfTheHistory_AndEverSelectedStaysAfterAWithdrawal_Q1()
    {
        var (_, prescription) = await PrescribeAsync("33063");
        var (_, refused) = await PrescribeAsync("33063");
        await using (var db = _db.CreateDbContext())
        {
            var p = await db.AllPrescriptions.SingleAsync(x => x.Id == prescription.Id, Ct);
            Meetings.ConvokeAt(db, p, _julie.UserId, InMarch.AddDays(1));
            p.RecordAttendance(PrescriptionStatus.Attended, _julie.UserId, InMarch.AddDays(9));
            p.Waitlist(_julie.UserId, InMarch.AddDays(10));
            var r = await db.AllPrescriptions.SingleAsync(x => x.Id == refused.Id, Ct);
            Meetings.ConvokeAt(db, r, _julie.UserId, InMarch.AddDays(1));
            r.RecordAttendance(PrescriptionStatus.Attended, _julie.UserId, InMarch.AddDays(9));
            r.NotSelect([new(NonSelectionReasonKind.ProjectNotValidated), new(NonSelectionReasonKind.Unavailable)],
                "Votre projet doit encore être travaillé.", "Projet à consolider.", _julie.UserId, InMarch.AddDays(11));
            await db.SaveChangesAsync(Ct);
        }
        (await FactsOfAsync(prescription.Id)).FirstDecisionAt.ShouldBe(InMarch.AddDays(10));
        (await FactsOfAsync(prescription.Id)).EverSelected.ShouldBeFalse();

        await using (var db = _db.CreateDbContext())
        {
            var p = await db.AllPrescriptions.SingleAsync(x => x.Id == prescription.Id, Ct);
            p.OfferPlace(_julie.UserId, InMarch.AddDays(12), TrainingSession.Today(InMarch.AddDays(12)).AddDays(3));
            p.AcceptOffer(_camille.UserId, InMarch.AddDays(12));
            p.Withdraw(_camille.UserId, InMarch.AddDays(13));
            await db.SaveChangesAsync(Ct);
        }
        var facts = await FactsOfAsync(prescription.Id);
        facts.FirstDecisionAt.ShouldBe(InMarch.AddDays(10)); // the waitlisting, not the later selection
        facts.EverSelected.ShouldBeTrue();                    // selected once, even though the candidate withdrew
        facts.FormComplete.ShouldBeTrue();

        var refusedFacts = await FactsOfAsync(refused.Id);
        refusedFacts.ReasonKinds.ShouldBe((1 << (int)NonSelectionReasonKind.ProjectNotValidated) | (1 << (int)NonSelectionReasonKind.Unavailable));
        refusedFacts.Explained.ShouldBeTrue();
        refusedFacts.FirstDecisionAt.ShouldBe(InMarch.AddDays(11));
    }

    [Fact]
    public async Task Backfill_AtStartUp_FillsTheRowsWrittenBeforeTheTriggers_WithTheValuesTheTriggersWrite_Q3()
    {
        await FirstDecisionAt_IsTheEarliestDecisionOfTheHistory_AndEverSelectedStaysAfterAWithdrawal_Q1();
        List<(Guid Id, Facts Facts)> expected;
        await using (var db = _db.CreateDbContext())
        {
            expected = [.. AllFacts(db).OrderBy(f => f.Id)];
            // A database from before the triggers: no trigger, every fact at its column default.
            var postgres = Provider == Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql;
            var drops = postgres
                ? await db.Database.SqlQueryRaw<string>("SELECT format('DROP TRIGGER %I ON %s', tgname, tgrelid::regclass) AS \"Value\" FROM pg_trigger WHERE tgname LIKE 'TR_Obs_%'").ToListAsync(Ct)
                : [.. ObservatoryFactsSql.TriggerNames.Select(name => "DROP TRIGGER " + name)];
            drops.Count.ShouldBe(ObservatoryFactsSql.TriggerNames.Length);
            foreach (var drop in drops)
                await db.Database.ExecuteSqlRawAsync(drop, Ct);
            string Q(string column) => postgres ? $"\"{column}\"" : column;
            var (no, table) = postgres ? ("false", "\"Prescriptions\"") : ("0", "Prescriptions");
            var reset = $"""
                UPDATE {table} SET {Q(ObservatoryFacts.Situation)} = 0, {Q(ObservatoryFacts.BirthDate)} = NULL, {Q(ObservatoryFacts.ResidenceDepartement)} = NULL,
                  {Q(ObservatoryFacts.PlaceDepartement)} = NULL, {Q(ObservatoryFacts.JourneyKm)} = NULL, {Q(ObservatoryFacts.EverSelected)} = {no},
                  {Q(ObservatoryFacts.FirstDecisionAt)} = NULL, {Q(ObservatoryFacts.FormComplete)} = {no}, {Q(ObservatoryFacts.Explained)} = {no}, {Q(ObservatoryFacts.ReasonKinds)} = 0,
                  {Q(ObservatoryFacts.ProjectRome)} = NULL, {Q(ObservatoryFacts.ProjectMatchesAction)} = {no}, {Q(ObservatoryFacts.JourneyBand)} = -1
                """;
            await db.Database.ExecuteSqlRawAsync(reset, Ct); // constants of the model only
            AllFacts(db).Count(f => f.Facts.Km != null).ShouldBe(0);
        }
        expected.Count(f => f.Facts.Km != null).ShouldBeGreaterThan(2); // the demo's prescriptions and this test's

        await new DatabaseInitializer(_db, new PortalOptions { SeedDemoData = true }, new FakeTimeProvider(TestDatabase.DefaultNow),
            NullLogger<DatabaseInitializer>.Instance).InitializeAsync(Ct);

        await using (var db = _db.CreateDbContext())
        {
            List<(Guid Id, Facts Facts)> backfilled = [.. AllFacts(db).OrderBy(f => f.Id)];
            backfilled.ShouldBe(expected);
            var triggers = await db.Database.SqlQueryRaw<string>(Provider == Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql
                ? "SELECT tgname AS \"Value\" FROM pg_trigger WHERE NOT tgisinternal"
                : "SELECT name AS Value FROM sqlite_master WHERE type = 'trigger'").ToListAsync(Ct);
            // Each engine's own set (PostgreSQL's are at v6 since its ProjectMatchesAction was rewritten, SQLite's at v5).
            (Provider == Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql ? ObservatoryFactsPostgreSql.TriggerNames : ObservatoryFactsSql.TriggerNames)
                .Except(triggers).ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task ProjectFacts_FollowTheCandidatesProject_AgainstTheJobsOfTheSessionsAction_Q3()
    {
        // The session's action is positioned on K2204 (OfferBuilder's fiche).
        var (candidate, prescription) = await PrescribeAsync("33063", project: "K2204");
        var facts = await FactsOfAsync(prescription.Id);
        (facts.ProjectRome, facts.ProjectMatchesAction).ShouldBe(("K2204", true));

        await using (var db = _db.CreateDbContext())
        {
            var c = await db.AllCandidates.SingleAsync(x => x.Id == candidate.Id, Ct);
            c.SetProject("N1103");
            await db.SaveChangesAsync(Ct);
        }
        facts = await FactsOfAsync(prescription.Id);
        (facts.ProjectRome, facts.ProjectMatchesAction).ShouldBe(("N1103", false));
    }

    [Fact]
    public async Task EvaluationQuarters_GroupedInOneStatement_CutAtParisMidnight_Q4()
    {
        // 31 March 2027 23:59:59 in Paris (UTC+2) is in the first quarter; 1 April 00:00 in Paris (22:00 UTC) in the second.
        var lastSecondOfMarch = new DateTimeOffset(2027, 3, 31, 21, 59, 59, TimeSpan.Zero);
        await using (var db = _db.CreateDbContext())
        {
            foreach (var at in new[] { lastSecondOfMarch, lastSecondOfMarch.AddSeconds(1), lastSecondOfMarch.AddDays(-89) })
            {
                var c = new Candidate(_camille.OrganisationId, _camille.UserId, "Prénom", "Nom", new DateOnly(1990, 1, 1), "33063", at);
                db.AllCandidates.Add(c);
                db.AllPrescriptions.Add(new Prescription(c.Id, _sessionId, _julie.OrganisationId, _camille.OrganisationId, _camille.UserId, 1, PrescribeTests.Form, at));
            }
            await db.SaveChangesAsync(Ct);
        }
        var r = await new GetEvaluationReport.Handler(_db, new GetAccessObservatory.Handler(_db, TimeProvider.System), new GetQualityIndicators.Handler(_db, TimeProvider.System), TimeProvider.System)
            .HandleAsync(new GetEvaluationReport(new DateOnly(2027, 1, 1), new DateOnly(2027, 9, 30)), await TestUsers.ForAsync(_db, TestUsers.Claire), Ct);

        r.Quarters.Select(q => (q.Quarter.Label, q.Prescriptions)).ShouldBe([("T1 2027", 2), ("T2 2027", 1), ("T3 2027", 0)]);
    }
}

/// <summary>The same tests on PostgreSQL (ADR 0021): skipped with the reason where PostgreSQL 15 is not installed.</summary>
public sealed class ObservatoryFactsTestsOnPostgreSql : ObservatoryFactsTests
{
    protected override Portal.Infrastructure.Persistence.DatabaseProvider Provider => Portal.Infrastructure.Persistence.DatabaseProvider.PostgreSql;
}
