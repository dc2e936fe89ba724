using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Observatory;
using Portal.Application.Security;
using Portal.Application.Tests.Prescriptions;
using Portal.Application.Tests.Support;
using Portal.Domain.Candidates;
using Portal.Domain.Common;
using Portal.Domain.Prescriptions;
using Portal.Testing;

namespace Portal.Application.Tests.Observatory;

/// <summary>
/// Q3: the access observatory over a history built by hand in March 2027 (after every demo prescription), with the
/// expected figures worked out here, not read back from the code.
/// </summary>
/// <remarks>
/// The Gironde OF (Julie's) runs one session in Bordeaux (12 places, registration deadline 25 March 2027).
/// Camille's Mission Locale prescribes 14 candidates on it in March:
/// - 6 adults from Mont-de-Marsan (Landes), no situation: all refused, "project not validated" (2 also "unavailable");
/// - 3 adults from Bordeaux with RQTH: still waiting;
/// - 5 young people (born 2005) from Mérignac: selected, then entered.
/// Distances (haversine, R = 6371 km, reference coordinates): Bordeaux (44.8624, −0.5848) → Mont-de-Marsan
/// (43.8931, −0.5009): Δφ = 0.9693° = 107.8 km north–south, Δλ = 0.0839° × cos 44.4° = 6.7 km east–west, so
/// ≈ 108.0 km; Bordeaux → Mérignac (44.8313, −0.682): 3.5 km and 7.7 km, so ≈ 8.4 km; Bordeaux → Bordeaux: 0.
/// </remarks>
public sealed class AccessObservatoryTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateOnly From = new(2027, 3, 1);
    private static readonly DateOnly To = new(2027, 3, 31);
    private static readonly DateTimeOffset InMarch = new(2027, 3, 10, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 4, 15, 9, 0, 0, TimeSpan.Zero));
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        var session = await OfferBuilder.AddSessionAsync(_db, julie.OrganisationId, new DateOnly(2027, 4, 1), new DateOnly(2027, 3, 25), capacity: 12);

        await using var db = _db.CreateDbContext();
        var n = 0;
        Prescription Prescribe(string commune, DateOnly birth, bool rqth, string? project = null)
        {
            var c = new Candidate(camille.OrganisationId, camille.UserId, "Prénom", $"Nom{++n:00}", birth, commune, InMarch);
            c.SetSituation(rqth, qpv: false, rural: false, minimumSocialBenefits: false, educationLevel: null, franceTravailId: null);
            c.SetProject(project);
            db.AllCandidates.Add(c);
            var p = new Prescription(c.Id, session.Id, julie.OrganisationId, camille.OrganisationId, camille.UserId, 1, PrescribeTests.Form, InMarch.AddHours(n));
            db.AllPrescriptions.Add(p);
            return p;
        }
        void Attend(Prescription p)
        {
            Meetings.ConvokeAt(db, p, julie.UserId, InMarch.AddDays(1));
            p.RecordAttendance(PrescriptionStatus.Attended, julie.UserId, InMarch.AddDays(9));
        }
        for (var i = 0; i < 6; i++)
        {
            var p = Prescribe("40192", new DateOnly(1980, 5, 1), rqth: false, project: "K2204"); // the fiche's own job
            Attend(p);
            p.NotSelect(i < 2
                ? [new(NonSelectionReasonKind.ProjectNotValidated), new(NonSelectionReasonKind.Unavailable)]
                : [new(NonSelectionReasonKind.ProjectNotValidated)],
                "Votre projet doit encore être travaillé avec votre conseiller.", "Projet à consolider avant une nouvelle candidature.", julie.UserId, InMarch.AddDays(10));
        }
        for (var i = 0; i < 3; i++) Prescribe("33063", new DateOnly(1975, 1, 1), rqth: true);
        for (var i = 0; i < 5; i++)
        {
            var p = Prescribe("33281", new DateOnly(2005, 6, 1), rqth: false, project: "N1103"); // another job than the fiche's
            Attend(p);
            p.Select(julie.UserId, InMarch.AddDays(10));
            p.Enter(julie.UserId, InMarch.AddDays(22));
        }
        await db.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private async Task<GetAccessObservatory.Result> ReadAsync(string local, string? departement = null) =>
        await new GetAccessObservatory.Handler(_db, _clock).HandleAsync(new GetAccessObservatory(From, To, departement), await TestUsers.ForAsync(_db, local), Ct);

    [Fact]
    public async Task FragilePublics_AreCountedAmongPrescribedSelectedAndEntered_AndSmallCellsAreMasked_Q3()
    {
        var r = await ReadAsync(TestUsers.Nicolas);

        var rows = r.Publics.ToDictionary(p => p.Public);
        var all = rows["Tous les candidats"];
        (all.Prescriptions.Value, all.Selected.Value, all.Entered.Value).ShouldBe((14, 5, 5));
        var fragile = rows["Publics fragiles (au moins une situation)"];
        (fragile.Prescriptions.Value, fragile.Selected.Value, fragile.Entered.Value).ShouldBe((8, 5, 5));
        fragile.ShareOfPrescriptions.ShouldBe(57.1); // 8 / 14
        fragile.ShareOfEntries.ShouldBe(100.0);      // 5 / 5
        fragile.SelectionRate.ShouldBe(62.5);        // 5 / 8
        var young = rows["Moins de 26 ans"];
        (young.Prescriptions.Value, young.ShareOfPrescriptions).ShouldBe((5, 35.7)); // 5 / 14
        var rqth = rows["Travailleurs handicapés (RQTH)"];
        rqth.Prescriptions.Masked.ShouldBeTrue();    // 3 people: fewer than 5
        rqth.Prescriptions.ToString().ShouldBe("< 5");
        rqth.ShareOfPrescriptions.ShouldBeNull();    // a share of a masked cell would give it away
        rqth.Selected.Value.ShouldBe(0);             // zero reveals nobody
        rows["Résidents d'un quartier prioritaire (QPV)"].Prescriptions.Value.ShouldBe(0);
    }

    [Fact]
    public async Task Mobility_BordeauxToMontDeMarsan_IsInTheBandOf100KmAndMore_AndFragileSharesPerBand_Q3()
    {
        var km = Distance.Kilometres(44.8624, -0.5848, 43.8931, -0.5009);
        km.ShouldBe(108.0, tolerance: 0.3);
        Distance.Kilometres(44.8624, -0.5848, 44.8313, -0.682).ShouldBe(8.4, tolerance: 0.1);

        var r = await ReadAsync(TestUsers.Claire);

        var bands = r.Bands.ToDictionary(b => b.Band);
        (bands["Moins de 10 km"].Prescriptions.Value, bands["Moins de 10 km"].Fragile.Value, bands["Moins de 10 km"].FragileShare).ShouldBe((8, 8, 100.0));
        (bands["100 km et plus"].Prescriptions.Value, bands["100 km et plus"].Fragile.Value, bands["100 km et plus"].FragileShare).ShouldBe((6, 0, 0.0));
        bands["10 à 30 km"].Prescriptions.Value.ShouldBe(0);
        var landes = r.MobilityByDepartement.Single(d => d.DepartementCode == "40");
        (landes.DepartementName, landes.Total.Value, landes.ByBand[^1].Value).ShouldBe(("Landes", 6, 6));
        landes.AverageKm!.Value.ShouldBe(108.0, tolerance: 0.3);
        var gironde = r.MobilityByDepartement.Single(d => d.DepartementCode == "33");
        gironde.Total.Value.ShouldBe(8);
        gironde.AverageKm!.Value.ShouldBe(5.3, tolerance: 0.1); // (3 × 0 + 5 × 8.4) / 8
    }

    [Fact]
    public async Task ReasonsForRejection_ByReasonOfAndAction_AndRecruitmentDifficulties_Q3()
    {
        var r = await ReadAsync(TestUsers.Claire);

        r.ReasonsByKind.Select(x => (x.Label, x.Count.ToString())).ShouldBe([("Projet professionnel non validé", "6"), ("Candidat indisponible aux dates de la session", "< 5")]);
        r.ReasonsByTrainingBody.Single().Count.Value.ShouldBe(6);
        r.ReasonsByAction.Single().Label.ShouldBe("Agent de propreté et d'hygiène");

        // Deadline 25 March passed with 5 selected or entered for 12 places.
        var d = r.RecruitmentDifficulties.Single();
        (d.Deadline, d.Capacity, d.Prescriptions.Value, d.Filled.Value, d.FillRate).ShouldBe((new DateOnly(2027, 3, 25), 12, 14, 5, 41.7));
    }

    [Fact]
    public async Task AnMfe_SeesItsTerritoryOnly_AndAPrescriberMayNotRead_AndABadPeriodIsRefusedInFrench_Q3()
    {
        // Every prescription of the scenario is on a Gironde session: the MFE du Médoc (Gironde) sees the 14, the Béarn's none.
        (await ReadAsync(TestUsers.Aurelie)).Publics[0].Prescriptions.Value.ShouldBe(14);
        var bearn = await ReadAsync(TestUsers.Pierre);
        bearn.Publics[0].Prescriptions.Value.ShouldBe(0);
        (await ReadAsync(TestUsers.Claire, departement: "64")).Publics[0].Prescriptions.Value.ShouldBe(0);
        (await ReadAsync(TestUsers.Claire, departement: "33")).Publics[0].Prescriptions.Value.ShouldBe(14);

        await Should.ThrowAsync<AccessDeniedException>(() => ReadAsync(TestUsers.Camille));
        var claire = await TestUsers.ForAsync(_db, TestUsers.Claire);
        var ex = await Should.ThrowAsync<DomainException>(() =>
            new GetAccessObservatory.Handler(_db, _clock).HandleAsync(new GetAccessObservatory(To, From), claire, Ct));
        ex.Message.ShouldBe("La fin de la période doit suivre son début.");
    }

    [Fact]
    public async Task NeedsAndPositioning_JobsOfTheProjects_AgainstTheActionsPositionedOnThem_Q3()
    {
        var r = await ReadAsync(TestUsers.Claire);

        // 6 candidates want K2204 and were all prescribed on the Bordeaux action (ROME K2204); 5 want N1103 and were prescribed
        // on that same action, which is not positioned on N1103; the 3 Bordeaux candidates gave no project.
        r.Needs.Select(x => (x.RomeCode, x.Candidates.Value, x.OnMatchingAction.Value, x.MatchingShare)).ShouldBe([("K2204", 6, 6, 100.0), ("N1103", 5, 0, 0.0)]);
        await using var db = _db.CreateDbContext();
        var openSessions = await db.Sessions.Where(s => s.Status == Portal.Domain.Offer.SessionStatus.Open)
            .Join(db.FicheActions, s => s.FicheActionId, f => f.Id, (s, f) => f.RomeCodes).ToListAsync(Ct);
        r.Needs[0].OpenSessions.ShouldBe(openSessions.Count(codes => codes.Contains("K2204")));
        r.Needs[0].Label.ShouldNotBeNullOrWhiteSpace();
    }

    /// <summary>
    /// Issue #12 (item 5): the figures are shared per reader's scope (an MFE never gets the Région's), and a prescription
    /// made after a read shows once the 60 s lifetime is over, with the instant of the new computation.
    /// </summary>
    [Fact]
    public async Task SharedFigures_AnotherScopeGetsItsOwn_AndAPrescriptionMadeMeanwhileShowsAfterTheLifetime_Q3_Issue12()
    {
        var handler = new GetAccessObservatory.Handler(_db, _clock, new ObservatoryResults(_clock, new ObservatoryCacheSettings(TimeSpan.FromSeconds(60))));
        var claire = await TestUsers.ForAsync(_db, TestUsers.Claire);
        var pierre = await TestUsers.ForAsync(_db, TestUsers.Pierre);
        var query = new GetAccessObservatory(From, To);

        var first = await handler.HandleAsync(query, claire, Ct);
        first.Publics[0].Prescriptions.Value.ShouldBe(14);
        first.ComputedAt.ShouldBe(_clock.GetUtcNow());
        // The MFE du Béarn asks for the same period: its territory has none of the 14.
        (await handler.HandleAsync(query, pierre, Ct)).Publics[0].Prescriptions.Value.ShouldBe(0);

        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        await using (var db = _db.CreateDbContext())
        {
            var session = db.Sessions.AsNoTracking().Single(s => db.AllPrescriptions.Any(p => p.SessionId == s.Id && p.CreatedAt >= InMarch && p.CreatedAt < InMarch.AddDays(1)));
            var c = new Candidate(camille.OrganisationId, camille.UserId, "Prénom", "Nom15", new DateOnly(1990, 1, 1), "33063", InMarch);
            db.AllCandidates.Add(c);
            db.AllPrescriptions.Add(new Prescription(c.Id, session.Id, session.OrganisationId, camille.OrganisationId, camille.UserId, 1, PrescribeTests.Form, InMarch.AddHours(20)));
            await db.SaveChangesAsync(Ct);
        }

        _clock.Advance(TimeSpan.FromSeconds(59));
        (await handler.HandleAsync(query, claire, Ct)).ShouldBeSameAs(first);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = await handler.HandleAsync(query, claire, Ct);
        second.Publics[0].Prescriptions.Value.ShouldBe(15);
        second.ComputedAt.ShouldBe(first.ComputedAt.AddSeconds(60));
    }
}
