using Portal.Application.Features.Observatory;
using Portal.Application.Features.Prescriptions;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Domain.Candidates;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Observatory;

/// <summary>
/// Q4: the evaluation report over a history built by hand in 2027 (after every demo row), figures worked out here:
/// in the first quarter, three fiches are validated, two at their first submission (2/3 = 66.7 %); in the second,
/// one, after a return (0 %). Four prescriptions in February; two fiches complément opened, one answered (50 %);
/// one arbitration in April on a February prescription.
/// </summary>
public sealed class EvaluationReportTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Feb = new(2027, 2, 10, 9, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        var region = await TestUsers.ForAsync(_db, TestUsers.Claire);
        await using var db = _db.CreateDbContext();
        FicheAction Fiche(string title, DateTimeOffset submitted, DateTimeOffset validated, bool returnedFirst)
        {
            var f = new FicheAction(julie.OrganisationId, title, EntryMode.Grouped, submitted.AddDays(-10));
            f.Describe("Obtenir le titre professionnel.", "Techniques de nettoyage, sécurité, stage.", "Savoirs de base.", "Prescription obligatoire.",
                "Information collective puis entretien.", ["Motivation pour le métier"], ["K2204"], 400, 140);
            f.Submit(submitted);
            if (returnedFirst)
            {
                f.Return("Précisez les critères de sélection.", submitted.AddDays(2));
                f.Submit(submitted.AddDays(5));
            }
            f.Validate(validated);
            db.FicheActions.Add(f);
            return f;
        }
        var first = Fiche("Agent de propreté (1)", Feb, Feb.AddDays(3), returnedFirst: false);
        Fiche("Agent de propreté (2)", Feb, Feb.AddDays(4), returnedFirst: false);
        Fiche("Agent de propreté (3)", Feb, Feb.AddDays(20), returnedFirst: true);
        Fiche("Agent de propreté (4)", Feb.AddDays(60), Feb.AddDays(70), returnedFirst: true); // 21 April: second quarter
        var session = new TrainingSession(first, new DateOnly(2027, 4, 1), new DateOnly(2027, 7, 1), new DateOnly(2027, 3, 25), 12, "33063");
        db.Sessions.Add(session);
        var prescriptions = new List<Prescription>();
        for (var i = 0; i < 4; i++)
        {
            var c = new Candidate(camille.OrganisationId, camille.UserId, "Éval", $"Candidat{i}", new DateOnly(1990, 1, 1), "33063", Feb);
            db.AllCandidates.Add(c);
            var p = new Prescription(c.Id, session.Id, julie.OrganisationId, camille.OrganisationId, camille.UserId, 1, PrescribeTests.Form, Feb.AddDays(i));
            db.AllPrescriptions.Add(p);
            prescriptions.Add(p);
        }
        var answered = new ComplementThread(prescriptions[0].Id, camille.UserId, true, "Merci d'appeler la candidate.", Feb.AddDays(1));
        answered.Post(julie.UserId, ComplementSide.TrainingBody, "Appel prévu demain.", Feb.AddDays(2));
        db.AllComplementThreads.Add(answered);
        db.AllComplementThreads.Add(new ComplementThread(prescriptions[1].Id, camille.UserId, false, "Situation de handicap.", Feb.AddDays(2)));
        await db.SaveChangesAsync(Ct);
        db.AllArbitrations.Add(new Portal.Domain.Arbitrations.Arbitration(prescriptions[2].Id, PrescriptionStatus.Submitted,
            Portal.Domain.Arbitrations.ArbitrationSide.Prescriber, camille.UserId, "Désaccord sur le calendrier.", region.OrganisationId, Feb.AddDays(60)));
        await db.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private async Task<GetEvaluationReport.Result> ReadAsync(string local) =>
        await new GetEvaluationReport.Handler(_db, new GetAccessObservatory.Handler(_db, TimeProvider.System), new GetQualityIndicators.Handler(_db, TimeProvider.System), TimeProvider.System)
            .HandleAsync(new GetEvaluationReport(new DateOnly(2027, 1, 1), new DateOnly(2027, 6, 30)), await TestUsers.ForAsync(_db, local), Ct);

    [Fact]
    public void Quarters_AreTheCalendarQuartersCutToThePeriod_Q4()
    {
        GetEvaluationReport.QuartersOf(new DateOnly(2027, 2, 15), new DateOnly(2027, 8, 10)).ShouldBe(
        [
            new("T1 2027", new DateOnly(2027, 2, 15), new DateOnly(2027, 3, 31)),
            new("T2 2027", new DateOnly(2027, 4, 1), new DateOnly(2027, 6, 30)),
            new("T3 2027", new DateOnly(2027, 7, 1), new DateOnly(2027, 8, 10)),
        ]);
    }

    [Fact]
    public async Task Evaluation_ReadabilityAndDialogue_PerQuarter_Q4()
    {
        var r = await ReadAsync(TestUsers.Claire);

        var (t1, t2) = (r.Quarters[0], r.Quarters[1]);
        (t1.FichesValidated, t1.FichesValidatedFirstTime, t1.FirstTimeShare).ShouldBe((3, 2, 66.7));
        (t2.FichesValidated, t2.FichesValidatedFirstTime, t2.FirstTimeShare).ShouldBe((1, 0, 0.0));
        (t1.Prescriptions, t1.ComplementsOpened, t1.ComplementsAnswered, t1.AnsweredShare, t1.ArbitrationsOpened).ShouldBe((4, 2, 1, 50.0, 0));
        (t2.Prescriptions, t2.ComplementsOpened, t2.ArbitrationsOpened).ShouldBe((0, 0, 1));
        // 181 days (1 January – 30 June 2027) before: 4 July – 31 December 2026 (28 + 31 + 30 + 31 + 30 + 31 days).
        (r.PreviousFrom, r.PreviousTo).ShouldBe((new DateOnly(2026, 7, 4), new DateOnly(2026, 12, 31)));
        var tables = r.Tables();
        tables.Select(t => t.Key).ShouldBe(GetEvaluationReport.Keys);
        tables[0].Rows[0].ShouldBe(["T1 2027", "3", "2", "66,7 %"]);
    }

    [Fact]
    public async Task Evaluation_Conformity_CountsTheActorsMeetingEachThreshold_AmongThoseMeasured_Q4()
    {
        var r = await ReadAsync(TestUsers.Claire);

        var conformity = r.Tables().Single(t => t.Key == GetEvaluationReport.Conformity);
        // The four February prescriptions (Formapro Gironde, Mission Locale Technowest) have complete forms: 1 OF of 1, 1 structure of 1.
        conformity.Rows[0].ShouldBe(["Fiches de prescription complètes (%)", "P7", "100,0 %", "1 / 1", "1 / 1"]);
        // Nobody was convoked: the delay cannot be measured for anyone.
        conformity.Rows[1].ShouldBe(["Délai prescription → convocation (jours, moyenne)", "S3", "21,0 j", "—", "—"]);
        // No EOS import in the period.
        conformity.Rows[^1].ShouldBe(["Entrées déclarées dans EOS avec une prescription (%)", "S11", "100,0 %", "—", "—"]);
    }

    [Fact]
    public async Task Evaluation_IsForTheObservatoryReaders_Only_Q4()
    {
        await Should.ThrowAsync<AccessDeniedException>(() => ReadAsync(TestUsers.Julie));
        (await ReadAsync(TestUsers.Pierre)).Quarters[0].Prescriptions.ShouldBe(0); // the MFE du Béarn: not its territory
    }
}
