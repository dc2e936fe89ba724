using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.Selection;
using Portal.Domain.Prescriptions;
using Portal.Testing;
using Portal.Web.Features.Prescriptions;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Selection;

/// <summary>S7: the prescriber's prescription page shows the OF's decision, its reasons and both explanations, live.</summary>
public sealed class PrescriptionDecisionViewTests : PortalTestContext
{
    [Fact]
    public async Task PrescriptionPage_ShowsTheRefusalReasonsAndExplanations_AsSoonAsTheOfDecides_S7()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        var julie = await UserAsync(TestUsers.Julie);
        Render<MudPopoverProvider>();
        Prescription p;
        await using (var db = Database.CreateDbContext())
            p = await db.AllPrescriptions.AsNoTracking().FirstAsync(x => x.PrescriberUserId == camille.UserId && x.TrainingBodyId == julie.OrganisationId
                && x.Status == PrescriptionStatus.Attended, Cancellation);
        var cut = Render<PrescriptionPage>(c => c.Add(x => x.Id, p.Id));
        cut.WaitForAssertion(() => cut.FindAll("h1").ShouldNotBeEmpty());
        cut.FindAll("[data-testid='decision']").ShouldBeEmpty();

        await Services.GetRequiredService<NotSelectCandidate.Handler>().HandleAsync(new NotSelectCandidate(p.SessionId, new DecisionTarget(p.Id, p.Version),
            [NonSelectionReason.Prerequisite("Aptitude médicale au port de charges"), new NonSelectionReason(NonSelectionReasonKind.NotReachable)],
            "Un avis médical favorable vous permettra de candidater à nouveau.", "Contre-indication signalée ; deux appels sans réponse."), julie, Cancellation);

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='decision']").ShouldHaveSingleItem());
        cut.FindAll("[data-testid='decision-reasons'] li").Select(li => li.Shown())
            .ShouldBe(["Prérequis non atteints : Aptitude médicale au port de charges", "Candidat injoignable"]);
        cut.Find("[data-testid='prescriber-explanation']").Shown().ShouldBe("Contre-indication signalée ; deux appels sans réponse.");
        cut.Find("[data-testid='candidate-explanation']").Shown().ShouldBe("Un avis médical favorable vous permettra de candidater à nouveau.");
        cut.Find("[data-testid='decision']").Shown().ShouldContain("Non retenue");
    }
}
