using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.Selection;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Selection;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Selection;

/// <summary>
/// S3, S2: a late convocation asks the OF's explicit confirmation and is marked late; the prescriber sees it and opens
/// the candidate's printable letter; S5: the OF reads the prescriber's justification. Each test has its own database.
/// </summary>
public sealed class LateConvocationAndLetterTests : PortalTestContext
{
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    /// <summary>An upcoming meeting of an OF on a session where Camille's organisation has a prescribed candidate.</summary>
    private async Task<(Guid Session, Guid Meeting, DateTimeOffset StartsAt, Guid Prescription, Portal.Application.Security.CurrentUser Of, string OfLocal)> MeetingForCamilleAsync()
    {
        var camille = await UserAsync(TestUsers.Camille);
        var horizon = Clock.GetUtcNow().AddDays(8);
        foreach (var local in new[] { TestUsers.Julie, TestUsers.Thomas, "antoine.roche", "marie.dupuy" })
        {
            var of = await UserAsync(local);
            await using var db = Database.CreateDbContext();
            var meetings = await db.InfoSessions.Where(i => db.Sessions.Any(s => s.Id == i.SessionId && s.OrganisationId == of.OrganisationId)).ToListAsync(Cancellation);
            foreach (var m in meetings.Where(i => i.StartsAt > horizon).OrderBy(i => i.StartsAt))
            {
                var mine = await db.AllPrescriptions.Where(p => p.SessionId == m.SessionId && p.Status == PrescriptionStatus.Submitted && p.PrescriberOrganisationId == camille.OrganisationId)
                    .Select(p => (Guid?)p.Id).FirstOrDefaultAsync(Cancellation);
                if (mine is { } id) return (m.SessionId, m.Id, m.StartsAt, id, of, local);
            }
        }
        throw new InvalidOperationException("The demo data should hold a prescribed candidate of Camille's on a session with an upcoming meeting.");
    }

    private async Task<(PrescriptionStatus Status, bool Late)> StateAsync(Guid id)
    {
        await using var db = Database.CreateDbContext();
        return await db.AllPrescriptions.Where(p => p.Id == id).Select(p => new ValueTuple<PrescriptionStatus, bool>(p.Status, p.ConvokedLate)).SingleAsync(Cancellation);
    }

    [Fact]
    public async Task ConvokeDialog_ThreeDaysBefore_WarnsInFrench_AndConvokesOnlyOnceConfirmed_MarkedLate_S3_S2()
    {
        var (session, _, startsAt, mine, of, ofLocal) = await MeetingForCamilleAsync();
        await AuthorizeAsAsync(ofLocal);
        Clock.SetUtcNow(startsAt.AddDays(-3));
        var cut = Render<InfoSessionsPanel>(p => p.Add(c => c.SessionId, session).Add(c => c.User, of));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='late-notice']").ShouldNotBeEmpty());

        cut.FindAll("[data-testid='meeting']").First(m => m.QuerySelector("[data-testid='late-notice']") is not null && m.QuerySelector("[data-testid='convoke']") is not null)
            .QuerySelector("[data-testid='convoke']")!.Click();
        _dialogs.WaitForAssertion(() => _dialogs.Find("[data-testid='convoke-late-warning']").Shown().ShouldContain("Convocation tardive : la réunion a lieu dans moins de 7 jours"));
        _dialogs.Find("[data-testid='convoke-submit']").HasAttribute("disabled").ShouldBeTrue("nothing is sent late without the explicit confirmation");

        var confirm = _dialogs.Find("[data-testid='convoke-late-confirm']");
        (confirm.TagName == "INPUT" ? confirm : confirm.QuerySelector("input")!).Change(true);
        _dialogs.WaitForAssertion(() => _dialogs.Find("[data-testid='convoke-submit']").HasAttribute("disabled").ShouldBeFalse());
        _dialogs.Find("[data-testid='convoke-submit']").Click();

        cut.WaitForAssertion(async () => (await StateAsync(mine)).ShouldBe((PrescriptionStatus.Convoked, true)));
    }

    [Fact]
    public async Task PrescriptionConvocationPanel_ShowsTheLateMark_AndTheLetterLink_ToThePrescriber_S3()
    {
        var (_, meeting, startsAt, mine, of, _) = await MeetingForCamilleAsync();
        Clock.SetUtcNow(startsAt.AddDays(-2));
        await Services.GetRequiredService<ConvokeCandidates.Handler>().HandleAsync(new ConvokeCandidates(meeting, [mine], LateConfirmed: true), of, Cancellation);
        await AuthorizeAsAsync(TestUsers.Camille);
        var camille = await UserAsync(TestUsers.Camille);

        var cut = Render<PrescriptionConvocationPanel>(p => p.Add(c => c.PrescriptionId, mine).Add(c => c.User, camille));

        cut.WaitForAssertion(() => cut.Find("[data-testid='convocation-late']").Shown().ShouldBe("Convocation tardive (moins de 7 jours avant, S3)"));
        cut.Find("[data-testid='open-letter']").GetAttribute("href").ShouldBe($"/prescriptions/{mine}/convocation");
    }

    [Fact]
    public async Task LetterPage_Prescriber_ReadsThePlainFrenchLetter_WithDatePlaceWhatToBringAndContacts_S3()
    {
        var (_, meeting, _, mine, of, _) = await MeetingForCamilleAsync();
        await Services.GetRequiredService<ConvokeCandidates.Handler>().HandleAsync(new ConvokeCandidates(meeting, [mine]), of, Cancellation);
        await AuthorizeAsAsync(TestUsers.Camille);
        await using var db = Database.CreateDbContext();
        var info = await db.InfoSessions.SingleAsync(i => i.Id == meeting, Cancellation);
        var candidate = await db.AllPrescriptions.Where(p => p.Id == mine).Join(db.AllCandidates, p => p.CandidateId, c => c.Id, (p, c) => c.FirstName + " " + c.LastName).SingleAsync(Cancellation);

        var cut = Render<ConvocationLetterPage>(p => p.Add(c => c.Id, mine));

        cut.WaitForAssertion(() => cut.Find("[data-testid='letter']"));
        var text = cut.Find("[data-testid='letter']").Shown();
        text.ShouldContain($"Bonjour {candidate},");
        text.ShouldContain($"Lieu : {info.Place}");
        text.ShouldContain("Date et heure : ");
        text.ShouldContain("À apporter : ");
        text.ShouldContain("Contacts : Votre conseiller(ère) :");
        cut.FindAll("[data-testid='letter-late']").ShouldBeEmpty("convoked in time");
        cut.Find("[data-testid='print-letter']").Shown().ShouldBe("Imprimer la convocation");
    }

    [Fact]
    public async Task LetterPage_ACandidateNotConvoked_SaysSoInFrench()
    {
        var (_, _, _, mine, _, _) = await MeetingForCamilleAsync();
        await AuthorizeAsAsync(TestUsers.Camille);

        var cut = Render<ConvocationLetterPage>(p => p.Add(c => c.Id, mine));

        cut.WaitForAssertion(() => cut.Find("[data-testid='letter-not-found']").Shown().ShouldContain("n'est pas convoqué"));
    }

    [Fact]
    public async Task AttendanceTable_TrainingBody_ReadsThePrescribersJustification_BeforeDeciding_S5()
    {
        var (session, meeting, startsAt, mine, of, ofLocal) = await MeetingForCamilleAsync();
        await Services.GetRequiredService<ConvokeCandidates.Handler>().HandleAsync(new ConvokeCandidates(meeting, [mine]), of, Cancellation);
        Clock.SetUtcNow(startsAt);
        await Services.GetRequiredService<RecordAttendances.Handler>().HandleAsync(new RecordAttendances(meeting, [new(mine, PrescriptionStatus.AbsentUnjustified)]), of, Cancellation);
        await Services.GetRequiredService<JustifyAbsence.Handler>().HandleAsync(new JustifyAbsence(mine, "Hospitalisé, certificat transmis"), await UserAsync(TestUsers.Camille), Cancellation);
        await AuthorizeAsAsync(ofLocal);
        var info = (await Services.GetRequiredService<GetInfoSessions.Handler>().HandleAsync(new GetInfoSessions(session), of, Cancellation)).Meetings.Single(m => m.Id == meeting);

        var cut = Render<AttendanceTable>(p => p.Add(c => c.Meeting, info).Add(c => c.User, of).Add(c => c.CanRecord, true));

        cut.Markup.ShouldContain("Hospitalisé, certificat transmis");
    }
}
