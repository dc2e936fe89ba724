using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Abstractions;
using Portal.Application.Features.Selection;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Selection;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Selection;

/// <summary>S2, S3, S6, S9: the selection panels of the session page, the prescription page and the OF's home. Each test has its own database.</summary>
public sealed class SelectionPanelsTests : PortalTestContext
{
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    /// <summary>Julie's upcoming meeting (more than 7 days ahead) on a session with prescribed candidates (the demo's CACES session).</summary>
    private async Task<(Guid Session, Guid Meeting, List<Guid> Submitted)> JuliesMeetingAsync()
    {
        var julie = await UserAsync(TestUsers.Julie);
        var horizon = Clock.GetUtcNow().AddDays(7);
        await using var db = Database.CreateDbContext();
        var meetings = await db.InfoSessions.Where(i => db.Sessions.Any(s => s.Id == i.SessionId && s.OrganisationId == julie.OrganisationId)).ToListAsync(Cancellation);
        var meeting = meetings.Where(i => i.StartsAt > horizon).OrderBy(i => i.StartsAt).First();
        var submitted = await db.AllPrescriptions.Where(p => p.SessionId == meeting.SessionId && p.Status == PrescriptionStatus.Submitted).Select(p => p.Id).ToListAsync(Cancellation);
        submitted.ShouldNotBeEmpty();
        return (meeting.SessionId, meeting.Id, submitted);
    }

    /// <summary>An upcoming meeting (more than 7 days ahead) of any OF, on a session where Camille's organisation has a prescribed candidate.</summary>
    private async Task<(Guid Meeting, Guid Prescription, Portal.Application.Security.CurrentUser Of)> MeetingForCamilleAsync()
    {
        var camille = await UserAsync(TestUsers.Camille);
        var horizon = Clock.GetUtcNow().AddDays(7);
        foreach (var local in new[] { TestUsers.Julie, TestUsers.Thomas, "antoine.roche", "marie.dupuy" })
        {
            var of = await UserAsync(local);
            await using var db = Database.CreateDbContext();
            var meetings = await db.InfoSessions.Where(i => db.Sessions.Any(s => s.Id == i.SessionId && s.OrganisationId == of.OrganisationId)).ToListAsync(Cancellation);
            foreach (var m in meetings.Where(i => i.StartsAt > horizon))
            {
                var mine = await db.AllPrescriptions.Where(p => p.SessionId == m.SessionId && p.Status == PrescriptionStatus.Submitted && p.PrescriberOrganisationId == camille.OrganisationId)
                    .Select(p => (Guid?)p.Id).FirstOrDefaultAsync(Cancellation);
                if (mine is { } id) return (m.Id, id, of);
            }
        }
        throw new InvalidOperationException("The demo data should hold a prescribed candidate of Camille's on a session with an upcoming meeting.");
    }

    private static IElement Button<T>(IRenderedComponent<T> host, string text) where T : Microsoft.AspNetCore.Components.IComponent =>
        host.FindAll("button").First(b => b.Shown().Contains(text, StringComparison.Ordinal));

    private async Task<Dictionary<Guid, PrescriptionStatus>> StatusesAsync(IEnumerable<Guid> ids)
    {
        var list = ids.ToList();
        await using var db = Database.CreateDbContext();
        return await db.AllPrescriptions.Where(p => list.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Status, Cancellation);
    }

    [Fact]
    public async Task InfoSessionsPanel_TrainingBody_ConvokesEveryPrescribedCandidate_FromTheDialog_S3()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var julie = await UserAsync(TestUsers.Julie);
        var (session, meeting, submitted) = await JuliesMeetingAsync();
        var cut = Render<InfoSessionsPanel>(p => p.Add(c => c.SessionId, session).Add(c => c.User, julie));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='meeting']").ShouldNotBeEmpty());
        cut.Find("[data-testid='to-convoke-count']").Shown().ShouldBe(submitted.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var card = cut.FindAll("[data-testid='meeting']").First(m => m.QuerySelector("[data-testid='convoke']") is not null);
        card.QuerySelector("[data-testid='convoke']")!.Click();
        _dialogs.WaitForAssertion(() => _dialogs.Markup.ShouldContain("Convoquer à la réunion"));
        _dialogs.Find("[data-testid='convoke-meeting']").Shown().ShouldContain("Information collective du");
        Button(_dialogs, $"Convoquer ({submitted.Count})").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid='to-convoke-count']").Shown().ShouldBe("0"));
        (await StatusesAsync(submitted)).Values.ShouldAllBe(s => s == PrescriptionStatus.Convoked);
        cut.Markup.ShouldContain($"{submitted.Count} convoqué(s)");
        cut.FindAll("[data-testid='meeting']").Last().QuerySelectorAll("input[type='radio']").ShouldBeEmpty("attendance is recorded from the meeting's start (S6)");
        _ = meeting;
    }

    [Fact]
    public async Task InfoSessionDialog_WithoutDate_SaysSoInFrench_AndKeepsThePlace_S3()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var julie = await UserAsync(TestUsers.Julie);
        var (session, _, _) = await JuliesMeetingAsync();
        var cut = Render<InfoSessionsPanel>(p => p.Add(c => c.SessionId, session).Add(c => c.User, julie));
        cut.WaitForAssertion(() => cut.Find("[data-testid='schedule-meeting']"));

        cut.Find("[data-testid='schedule-meeting']").Click();
        _dialogs.WaitForAssertion(() => _dialogs.Markup.ShouldContain("Planifier une réunion d'information"));
        var place = _dialogs.FindAll("input").First(i => i.ParentElement!.ParentElement!.TextContent.Contains("Lieu", StringComparison.Ordinal));
        place.Change("Salle 4, Mérignac");
        Button(_dialogs, "Enregistrer").Click();

        _dialogs.WaitForAssertion(() => _dialogs.Find("[data-testid='meeting-refusal']").Shown().ShouldBe("Indiquez la date et l'heure de la réunion."));
        _dialogs.Markup.ShouldContain("Salle 4, Mérignac");
    }

    [Fact]
    public async Task AttendanceTable_SelectionAllPresent_RecordsThem_S6()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var julie = await UserAsync(TestUsers.Julie);
        var (session, meeting, submitted) = await JuliesMeetingAsync();
        await Services.GetRequiredService<ConvokeCandidates.Handler>().HandleAsync(new ConvokeCandidates(meeting, submitted), julie, Cancellation);
        Clock.SetUtcNow(await NowOfMeetingAsync(meeting));
        var info = (await Services.GetRequiredService<GetInfoSessions.Handler>().HandleAsync(new GetInfoSessions(session), julie, Cancellation)).Meetings.Single(m => m.Id == meeting);
        var cut = Render<AttendanceTable>(p => p.Add(c => c.Meeting, info).Add(c => c.User, julie).Add(c => c.CanRecord, true));

        cut.FindAll("[data-testid='attendee'] input[type='checkbox']")[0].Change(true);
        cut.Find("[data-testid='all-present']").Click();
        cut.Find("[data-testid='save-attendance']").Shown().ShouldContain("(1)");
        cut.Find("[data-testid='save-attendance']").Click();

        cut.WaitForAssertion(async () => (await StatusesAsync(submitted)).Values.Count(s => s == PrescriptionStatus.Attended).ShouldBe(1));
        cut.Markup.ShouldContain("Absent non justifié", Case.Sensitive, "each row offers the three French choices");
    }

    [Fact]
    public async Task PrescriptionConvocationPanel_Prescriber_SeesTheConvocationLive_S9()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var camille = await UserAsync(TestUsers.Camille);
        var (meeting, mine, julie) = await MeetingForCamilleAsync();
        var cut = Render<PrescriptionConvocationPanel>(p => p.Add(c => c.PrescriptionId, mine).Add(c => c.User, camille));
        cut.WaitForAssertion(() => cut.Find("[data-testid='convocation']").Shown().ShouldBe("Pas encore convoqué(e)."));
        cut.Find("[data-testid='upcoming-meetings']").Shown().ShouldContain("·");

        await Services.GetRequiredService<ConvokeCandidates.Handler>().HandleAsync(new ConvokeCandidates(meeting, [mine]), julie, Cancellation);

        cut.WaitForAssertion(() => cut.Find("[data-testid='convocation']").Shown().ShouldStartWith("Convoqué(e) à l'"));
        await using var db = Database.CreateDbContext();
        var info = await db.InfoSessions.SingleAsync(i => i.Id == meeting, Cancellation);
        cut.Markup.ShouldContain($"Lieu : {info.Place}");
        cut.Find("[data-testid='attendance-status']").Shown().ShouldContain("pas encore saisie");
    }

    [Fact]
    public async Task PrescriptionConvocationPanel_Prescriber_JustifiesAnUnjustifiedAbsence_S6()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var camille = await UserAsync(TestUsers.Camille);
        var (meeting, mine, julie) = await MeetingForCamilleAsync();
        List<Guid> submitted = [mine];
        await Services.GetRequiredService<ConvokeCandidates.Handler>().HandleAsync(new ConvokeCandidates(meeting, submitted), julie, Cancellation);
        Clock.SetUtcNow(await NowOfMeetingAsync(meeting));
        await Services.GetRequiredService<RecordAttendances.Handler>().HandleAsync(new RecordAttendances(meeting, [new(submitted[0], PrescriptionStatus.AbsentUnjustified)]), julie, Cancellation);
        var cut = Render<PrescriptionConvocationPanel>(p => p.Add(c => c.PrescriptionId, submitted[0]).Add(c => c.User, camille));
        cut.WaitForAssertion(() => JustificationInput(cut));

        JustificationInput(cut).Input("Entretien d'embauche, attestation transmise");
        cut.Find("[data-testid='justify']").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid='justification']").Shown().ShouldBe("Justification : Entretien d'embauche, attestation transmise"));
        (await StatusesAsync(submitted))[submitted[0]].ShouldBe(PrescriptionStatus.AbsentJustified);
    }

    [Fact]
    public async Task ConvocationWarningsAlert_ShowsTheOpenWarning_AndGoesAwayWhenResolved_S3()
    {
        await AuthorizeAsAsync(TestUsers.Julie);
        var julie = await UserAsync(TestUsers.Julie);
        var (session, meeting, submitted) = await JuliesMeetingAsync();
        var meetingAt = await NowOfMeetingAsync(meeting);
        Clock.SetUtcNow(meetingAt.AddDays(-3));
        await Services.GetRequiredService<ConvocationWarningsJob>().RunAsync(Cancellation);

        var cut = Render<ConvocationWarningsAlert>(p => p.Add(c => c.User, julie));
        cut.WaitForAssertion(() => cut.Find("[data-testid='convocation-warning']").Shown().ShouldContain($"{submitted.Count} candidat(s) non convoqué(s)"));
        cut.Find("[data-testid='convocation-warning'] a").GetAttribute("href").ShouldBe($"/sessions/{session}");

        Clock.SetUtcNow(meetingAt.AddMinutes(1));
        await Services.GetRequiredService<ConvocationWarningsJob>().RunAsync(Cancellation);

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='convocation-warning']").ShouldBeEmpty());
    }

    private static IElement JustificationInput(IRenderedComponent<PrescriptionConvocationPanel> cut)
    {
        var e = cut.Find("[data-testid='justification-input']");
        return e.TagName == "INPUT" ? e : e.QuerySelector("input")!;
    }

    private async Task<DateTimeOffset> NowOfMeetingAsync(Guid meeting)
    {
        await using var db = Database.CreateDbContext();
        return (await db.InfoSessions.SingleAsync(i => i.Id == meeting, Cancellation)).StartsAt;
    }

    [Fact]
    public async Task SelectionCommissionPanel_RegionEdits_TrainingBodyReadsLive_S9()
    {
        var claire = await AuthorizeAsAsync(TestUsers.Claire);
        var julie = await UserAsync(TestUsers.Julie);
        var (session, _, _) = await JuliesMeetingAsync();
        var edit = Render<SelectionCommissionPanel>(p => p.Add(c => c.SessionId, session).Add(c => c.User, claire));
        edit.WaitForAssertion(() => edit.Find("[data-testid='save-commission']").Shown().ShouldBe("Mettre en place la commission"));
        var read = Render<SelectionCommissionPanel>(p => p.Add(c => c.SessionId, session).Add(c => c.User, julie));
        read.FindAll("[data-testid='commission-panel']").ShouldBeEmpty();

        await Services.GetRequiredService<SaveSelectionCommission.Handler>().HandleAsync(
            new SaveSelectionCommission(session, ["Claire Lefèvre – Région", "Julie Moreau – Formapro Gironde"], Clock.GetUtcNow().AddDays(15), null), claire, Cancellation);

        read.WaitForAssertion(() => read.Find("[data-testid='commission']").Shown().ShouldContain("Claire Lefèvre – Région, Julie Moreau – Formapro Gironde"));
        read.Markup.ShouldContain("Résultat : pas encore connu");
        read.FindAll("textarea").ShouldBeEmpty();
    }

    [Fact]
    public async Task BusySessionsPanel_Region_SeesTheBusiestSessions_LinkingToTheirPage_S9()
    {
        await AuthorizeAsAsync(TestUsers.Claire);

        var cut = Render<BusySessionsPanel>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='busy-session']").ShouldNotBeEmpty());
        cut.FindAll("[data-testid='busy-session'] a").ShouldAllBe(a => a.GetAttribute("href")!.StartsWith("/sessions/", StringComparison.Ordinal));
        cut.Markup.ShouldContain("Sessions aux prescriptions nombreuses");
    }

    [Fact]
    public async Task PrescriptionPage_StatusFollowsTheConvocationLive_S6()
    {
        await AuthorizeAsAsync(TestUsers.Camille);
        var (meeting, mine, of) = await MeetingForCamilleAsync();
        var cut = Render<Portal.Web.Features.Prescriptions.PrescriptionPage>(p => p.Add(c => c.Id, mine));
        cut.WaitForAssertion(() => cut.FindAll("h1").ShouldNotBeEmpty());
        cut.WaitForAssertion(() => cut.Find(".mud-chip").Shown().ShouldBe(PrescriptionStatus.Submitted.Label()));

        await Services.GetRequiredService<ConvokeCandidates.Handler>().HandleAsync(new ConvokeCandidates(meeting, [mine]), of, Cancellation);

        cut.WaitForAssertion(() => cut.Find(".mud-chip").Shown().ShouldBe(PrescriptionStatus.Convoked.Label()));
    }
}
