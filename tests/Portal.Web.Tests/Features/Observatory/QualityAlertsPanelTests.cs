using Bunit;
using MudBlazor;
using Portal.Domain.Quality;
using Portal.Testing;
using Portal.Web.Features.Observatory;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Observatory;

/// <summary>Q2: the quality alerts panel: the OF sees its alert, the CARIF forwards it with a comment, the Région then sees it (live).</summary>
public sealed class QualityAlertsPanelTests : PortalTestContext
{
    private async Task<Guid> RaiseForAsync(string account)
    {
        var user = await UserAsync(account);
        await using var db = Database.CreateDbContext();
        var alert = new QualityAlert(QualityAlertKind.DecisionsMissing, user.OrganisationId, 3, Clock.GetUtcNow());
        db.QualityAlerts.Add(alert);
        await db.SaveChangesAsync(Cancellation);
        return alert.Id;
    }

    [Fact]
    public async Task TheOfSeesItsAlert_TheCarifForwardsIt_AndTheRegionSeesItLive_Q2()
    {
        await RaiseForAsync(TestUsers.Julie);
        var (julie, claire, nicolas) = (await UserAsync(TestUsers.Julie), await UserAsync(TestUsers.Claire), await UserAsync(TestUsers.Nicolas));
        Render<MudPopoverProvider>();

        var of = Render<QualityAlertsPanel>(p => p.Add(c => c.User, julie).Add(c => c.OwnOnly, true));
        of.WaitForAssertion(() => of.Find("[data-testid='quality-alert']").Shown()
            .ShouldStartWith("3 candidats sans décision 15 jours ou plus après l'information collective."));
        of.FindAll("button").ShouldBeEmpty();

        var region = Render<QualityAlertsPanel>(p => p.Add(c => c.User, claire).Add(c => c.ShowWhenEmpty, true));
        region.WaitForAssertion(() => region.Find("[data-testid='quality-alerts']").Shown().ShouldContain("Aucune alerte ouverte."));

        var carif = Render<QualityAlertsPanel>(p => p.Add(c => c.User, nicolas));
        carif.WaitForAssertion(() => carif.Find("[data-testid='quality-alert']").Shown().ShouldStartWith("Formapro Gironde : 3 candidats"));
        await carif.InvokeAsync(() => carif.FindAll("button").Single(b => b.Shown() == "Transmettre à la Région").Click());
        carif.WaitForAssertion(() => carif.Find("[role='alert']").Shown().ShouldBe("Ajoutez un commentaire pour la Région."));

        carif.Find("[data-testid='quality-alert'] input").Change("Relances sans effet.");
        await carif.InvokeAsync(() => carif.FindAll("button").Single(b => b.Shown() == "Transmettre à la Région").Click());

        carif.WaitForAssertion(() => carif.Find("[data-testid='quality-alert-forwarded']").Shown().ShouldEndWith("« Relances sans effet. »"));
        region.WaitForAssertion(() => region.Find("[data-testid='quality-alert']").Shown().ShouldContain("Formapro Gironde"));
        region.Find("[data-testid='quality-alert-forwarded']").Shown().ShouldContain("Relances sans effet.");
    }

    [Fact]
    public async Task TwentyFiveAlerts_ShowsOneServerPageOfTwenty_TheTotal_AndThePagesGoToTheLastFive_Q2()
    {
        var julie = await UserAsync(TestUsers.Julie);
        await using (var db = Database.CreateDbContext())
        {
            // 25 open alerts of Formapro Gironde raised a minute apart (distinct indicator keys: one open alert per key).
            for (var n = 1; n <= 25; n++)
                db.QualityAlerts.Add(new QualityAlert(QualityAlertKind.ThresholdMissed, julie.OrganisationId, $"cle-{n:D2}", n, 0.1, 0.9, Clock.GetUtcNow().AddMinutes(n)));
            await db.SaveChangesAsync(Cancellation);
        }

        var cut = Render<QualityAlertsPanel>(p => p.Add(c => c.User, julie).Add(c => c.OwnOnly, true));

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='quality-alert']").Count.ShouldBe(20));
        cut.Find("[data-testid='quality-alerts-count']").Shown().ShouldBe("25 alerte(s) ouverte(s)");
        await cut.InvokeAsync(() => cut.FindComponent<MudPagination>().Instance.NavigateToAsync(Page.Next));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='quality-alert']").Count.ShouldBe(5));
    }

    [Fact]
    public async Task AnotherOrganisation_DoesNotSeeTheAlert_Q2()
    {
        await RaiseForAsync(TestUsers.Julie);
        var thomas = await UserAsync(TestUsers.Thomas);
        var cut = Render<QualityAlertsPanel>(p => p.Add(c => c.User, thomas).Add(c => c.OwnOnly, true));
        cut.FindAll("[data-testid='quality-alerts']").ShouldBeEmpty();
    }
    [Fact]
    public async Task APrescriberOrganisationSeesItsThresholdAlert_OnItsHome_WithTheValueAndTheThreshold_Q2()
    {
        var camille = await AuthorizeAsAsync(TestUsers.Camille);
        await using (var db = Database.CreateDbContext())
        {
            db.QualityAlerts.Add(new QualityAlert(QualityAlertKind.ThresholdMissed, camille.OrganisationId, "fiches-completes", 8, 87.5, 100, Clock.GetUtcNow()));
            await db.SaveChangesAsync(Cancellation);
        }
        Render<MudPopoverProvider>();

        var home = Render<Portal.Web.Features.Home.PrescriberHome>();

        home.WaitForAssertion(() => home.Find("[data-testid='quality-alert']").Shown()
            .ShouldStartWith("Fiches de prescription complètes (P7) : 87,5 % pour un seuil de 100,0 % (minimum), sur 8 cas des 90 derniers jours."));
    }
}
