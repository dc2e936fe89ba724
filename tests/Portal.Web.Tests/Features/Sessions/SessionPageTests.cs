using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Candidates;
using Portal.Application.Features.Prescriptions;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Sessions;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Sessions;

/// <summary>O9: the OF's session page lists the prescriptions by date of prescription, with positions, ranks and other choices (P6); live. Each test has its own database.</summary>
public sealed class SessionPageTests : PortalTestContext
{
    private sealed record Row(string Position, string Candidate, string Prescriber, string Rank, string Status, string OtherChoices);

    private static List<Row> Rows(IRenderedComponent<SessionPage> cut) =>
    [
        // The prescriptions table (the info sessions panel has attendance tables of its own).
        .. cut.FindAll("tbody tr").Where(tr => tr.Closest("[data-testid='attendance']") is null).Select(tr =>
        {
            var td = tr.QuerySelectorAll("td").Select(c => c.Shown()).ToList();
            return new Row(td[0], td[1], td[2], td[3], td[4], td[6]);
        }),
    ];

    /// <summary>Julie's open session with the most prescriptions in the demo data.</summary>
    private async Task<Guid> JuliesBusiestOpenSessionAsync()
    {
        var julie = await UserAsync(TestUsers.Julie);
        await using var db = Database.CreateDbContext();
        var sessions = await db.Sessions.Where(s => s.OrganisationId == julie.OrganisationId && s.Status == SessionStatus.Open)
            .Select(s => new { s.Id, Count = db.AllPrescriptions.Count(p => p.SessionId == s.Id) })
            .ToListAsync(Cancellation);
        return sessions.OrderByDescending(s => s.Count).First().Id;
    }

    private IRenderedComponent<SessionPage> RenderPage(Guid sessionId)
    {
        var cut = Render<SessionPage>(p => p.Add(c => c.Id, sessionId));
        cut.WaitForAssertion(() => cut.FindAll("h1").ShouldNotBeEmpty());
        return cut;
    }

    [Fact]
    public async Task SessionPage_TrainingBody_SeesPrescriptionsByDate_WithPositionsForActiveOnes_RanksAndFrenchStatuses_O9()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var sessionId = await JuliesBusiestOpenSessionAsync();
        await using var db = Database.CreateDbContext();
        var expected = (await db.AllPrescriptions.Where(p => p.SessionId == sessionId)
                .Select(p => new
                {
                    p.Id, p.Rank, p.Status, p.CreatedAt,
                    Name = db.AllCandidates.Where(c => c.Id == p.CandidateId).Select(c => c.FirstName + " " + c.LastName).First(),
                    Prescriber = db.Organisations.Where(o => o.Id == p.PrescriberOrganisationId).Select(o => o.Name).First(),
                })
                .ToListAsync(Cancellation))
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToList();
        expected.Count.ShouldBeGreaterThan(2);
        // P6: the statuses that still hold one of the candidate's choices, written out from the charter (not the production list).
        PrescriptionStatus[] active = [PrescriptionStatus.Submitted, PrescriptionStatus.Convoked, PrescriptionStatus.Attended, PrescriptionStatus.AbsentJustified,
            PrescriptionStatus.AbsentUnjustified, PrescriptionStatus.Selected, PrescriptionStatus.Waitlisted, PrescriptionStatus.PlaceOffered];
        expected.ShouldContain(p => !active.Contains(p.Status), "the demo session should hold an inactive prescription");
        var position = 0;
        var expectedRows = expected.Select(p => new Row(
            active.Contains(p.Status) ? (++position).ToString(System.Globalization.CultureInfo.InvariantCulture) : "—",
            p.Name, p.Prescriber, $"n° {p.Rank}", p.Status.Label(), "")).ToList();

        var cut = RenderPage(sessionId);

        cut.WaitForAssertion(() => Rows(cut).Count.ShouldBe(expected.Count));
        Rows(cut).Select(r => r with { OtherChoices = "" }).ToList().ShouldBe(expectedRows);
        cut.Find("[data-testid='held']").Shown().ShouldBe(position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        cut.Find("[data-testid='arrival-order-note']").Shown().ShouldBe("Prescriptions par ordre d'arrivée (date de prescription). La liste d'attente, dans son ordre (règle O9), est sur l'écran des décisions.");
        cut.Find("thead").Shown().ShouldNotContain("attente");
        Text.EnumNamesIn(cut.Find("table").Shown()).ShouldBeEmpty();
        // Each candidate links to the prescription.
        cut.FindAll("tbody tr td a").Select(a => a.GetAttribute("href")).ShouldBe(expected.Select(p => $"/prescriptions/{p.Id}"));
    }

    [Fact]
    public async Task SessionPage_ShowsTheCandidatesOtherChoices_WithTheOtherTrainingBodysName_P6_O9()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var sessionId = await JuliesBusiestOpenSessionAsync();
        var thomas = await UserAsync(TestUsers.Thomas);
        await using var db = Database.CreateDbContext();
        var active = PrescriptionLifecycle.Active;
        // A candidate of this session who also has an active choice at Thomas's OF.
        var other = await db.AllPrescriptions.Where(p => p.SessionId == sessionId)
            .Join(db.AllPrescriptions.Where(o => o.SessionId != sessionId && o.TrainingBodyId == thomas.OrganisationId && active.Contains(o.Status)),
                p => p.CandidateId, o => o.CandidateId, (p, o) => new { p.CandidateId, o.Rank, o.Status, o.SessionId })
            .Join(db.Sessions, x => x.SessionId, s => s.Id, (x, s) => new { x.CandidateId, x.Rank, x.Status, s.FicheActionId })
            .Join(db.FicheActions, x => x.FicheActionId, f => f.Id, (x, f) => new { x.CandidateId, x.Rank, x.Status, f.Title })
            .FirstAsync(Cancellation);
        var name = await db.AllCandidates.Where(c => c.Id == other.CandidateId).Select(c => c.FirstName + " " + c.LastName).SingleAsync(Cancellation);
        var thomasOf = await db.Organisations.Where(o => o.Id == thomas.OrganisationId).Select(o => o.Name).SingleAsync(Cancellation);

        var cut = RenderPage(sessionId);

        cut.WaitForAssertion(() => Rows(cut).ShouldNotBeEmpty());
        var row = Rows(cut).First(r => r.Candidate == name);
        row.OtherChoices.ShouldContain($"n° {other.Rank} · {other.Title} ({thomasOf}) · {other.Status.Label()}");
    }

    [Fact]
    public async Task SessionPage_AnotherTrainingBody_GetsSessionIntrouvable()
    {
        var sessionId = await JuliesBusiestOpenSessionAsync();
        await AuthorizeAsAsync(TestUsers.Thomas);

        var cut = RenderPage(sessionId);

        cut.Find("h1").Shown().ShouldBe("Session introuvable");
        cut.Find(".mud-alert").Shown().ShouldBe("Session introuvable.");
        cut.FindAll("tbody tr").ShouldBeEmpty();
    }

    [Fact]
    public async Task SessionPage_Prescriber_GetsTheFrenchRefusal()
    {
        var sessionId = await JuliesBusiestOpenSessionAsync();
        await AuthorizeAsAsync(TestUsers.Camille);

        var cut = RenderPage(sessionId);

        cut.Find("h1").Shown().ShouldBe("Accès refusé");
        cut.Find(".mud-alert").Shown().ShouldBe("Cet écran est réservé à l'organisme de formation.");
        cut.FindAll("tbody tr").ShouldBeEmpty();
    }

    [Fact]
    public async Task SessionPage_NewPrescriptionElsewhere_ShowsLiveAtTheLastPosition_AndHeldIncreases_O9()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var sessionId = await JuliesBusiestOpenSessionAsync();
        var cut = RenderPage(sessionId);
        cut.WaitForAssertion(() => Rows(cut).ShouldNotBeEmpty());
        var before = Rows(cut);
        var held = int.Parse(cut.Find("[data-testid='held']").Shown(), System.Globalization.CultureInfo.InvariantCulture);

        // Camille prescribes from her own screen: the real handlers, the app's notifier.
        var camille = await UserAsync(TestUsers.Camille);
        Clock.Advance(TimeSpan.FromMinutes(5));
        var candidate = await Services.GetRequiredService<CreateCandidate.Handler>().HandleAsync(
            new CreateCandidate("Samia", "Nouvelle", new DateOnly(2001, 4, 2), "33063"), camille, Cancellation);
        await Services.GetRequiredService<Prescribe.Handler>().HandleAsync(new Prescribe(candidate, sessionId, new PrescriptionForm
        {
            PriorPath = "CAP cuisine, deux ans en restauration.",
            ProjectValidation = "Immersion de deux semaines (PMSMP).",
            CandidateAgreement = true,
            MaterialConditions = "Transports en commun.",
            Feasibility = "Réaliste.",
            RqthDeclared = false,
            CriteriaReviewed = true,
        }), camille, Cancellation);

        cut.WaitForAssertion(() => Rows(cut).Count.ShouldBe(before.Count + 1));
        var last = Rows(cut)[^1];
        last.Candidate.ShouldBe("Samia Nouvelle");
        last.Position.ShouldBe((held + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        last.Rank.ShouldBe("n° 1");
        last.Status.ShouldBe("Prescrite");
        Rows(cut).Take(before.Count).ToList().ShouldBe(before);
        cut.Find("[data-testid='held']").Shown().ShouldBe((held + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The table's rows render from its own reload; the page's announcement follows in the page's next render batch.
        cut.WaitForAssertion(() => cut.Find("[data-testid='live-announcer']").Shown().ShouldBe("La liste des prescriptions a changé."));
    }

    [Fact]
    public async Task SessionPage_ManyPrescriptions_ShowsOneServerPageOfFifty_WithTheTotal_AndPositionsFromTheStart_O9()
    {
        var julie = await AuthorizeAsAsync(TestUsers.Julie);
        var camille = await UserAsync(TestUsers.Camille);
        var sessionId = await JuliesBusiestOpenSessionAsync();
        await using (var db = Database.CreateDbContext())
        {
            // 55 more prescriptions, later than the demo's: the session now has more than one page.
            for (var n = 1; n <= 55; n++)
            {
                var at = Clock.GetUtcNow().AddMinutes(n);
                var c = new Portal.Domain.Candidates.Candidate(camille.OrganisationId, camille.UserId, "Candidat", $"Page{n:D2}", new DateOnly(1990, 1, 1), "33063", at);
                db.AddRange(c, new Prescription(c.Id, sessionId, julie.OrganisationId, camille.OrganisationId, camille.UserId, 1, new PrescriptionForm
                {
                    PriorPath = "CAP.", ProjectValidation = "Immersion.", CandidateAgreement = true, MaterialConditions = "Transports.",
                    Feasibility = "Réaliste.", RqthDeclared = false, CriteriaReviewed = true,
                }, at));
            }
            await db.SaveChangesAsync(Cancellation);
        }
        int total;
        await using (var db = Database.CreateDbContext())
            total = await db.AllPrescriptions.CountAsync(p => p.SessionId == sessionId, Cancellation);

        var cut = RenderPage(sessionId);

        cut.WaitForAssertion(() => Rows(cut).Count.ShouldBe(Portal.Application.Features.Sessions.GetSessionWaitlist.DefaultTake));
        cut.Find("[data-testid='prescriptions-pager']").Shown().ShouldContain($"1–50 sur {total}");
        Rows(cut).First(r => r.Position != "—").Position.ShouldBe("1");
        Rows(cut).ShouldNotContain(r => r.Candidate == "Candidat Page55");
    }
}
