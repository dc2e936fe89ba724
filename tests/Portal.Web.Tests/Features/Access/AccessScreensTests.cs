using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Features.Access;
using Portal.Application.Security;
using Portal.Domain.Audit;
using Portal.Domain.Organisations;
using Portal.Testing;
using Portal.Web.Components.Shared;
using Portal.Web.Features.Access;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.Access;

/// <summary>
/// Issue #14 (2): *Accès en attente* (the request, its status, live), the deciders' screen, the users screen and the audit
/// log. Each test has its own database.
/// </summary>
public sealed class AccessScreensTests : PortalTestContext
{
    private IRenderedComponent<MudSnackbarProvider> _snackbars = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _snackbars = Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
    }

    private static IElement ByTestId<T>(IRenderedComponent<T> host, string testId) where T : IComponent =>
        host.Find($"[data-testid='{testId}']");

    private async Task<Guid> OrganisationAsync(string name)
    {
        await using var db = Database.CreateDbContext();
        return await db.Organisations.Where(o => o.Name == name).Select(o => o.Id).SingleAsync(Cancellation);
    }

    private Task<Guid> RequestAsync(PendingIdentity identity, Guid organisationId, Role role = Role.Prescripteur, string? message = null) =>
        Services.GetRequiredService<RequestAccess.Handler>().HandleAsync(new RequestAccess(organisationId, role, message), identity, Cancellation);

    private static PendingIdentity Identity(string name = "Léa Nouvelle") =>
        new($"sub-{Guid.NewGuid():N}", $"lea.{Guid.NewGuid():N}@essai.fr", name, name.Split(' ')[0], name.Split(' ')[1]);

    [Fact]
    public async Task AccessPending_TheSiretsOrganisationIsPreSelected_TheRequestIsSent_AndItsStatusShown_Issue14_2()
    {
        var technowest = await OrganisationAsync("Mission Locale Technowest");
        await AuthorizeAsPendingAsync("Léa Nouvelle", "sub-lea-siret", "lea.siret@essai.fr", technowest, "Mission Locale Technowest");

        var cut = Render<AccessPending>();

        cut.WaitForAssertion(() => cut.Find("input[data-testid='organisation'], [data-testid='organisation'] input").GetAttribute("value").ShouldBe("Mission Locale Technowest"));
        ByTestId(cut, "siret-organisation").Shown().ShouldBe("Le SIRET de votre identité correspond à l'organisation « Mission Locale Technowest ».");
        cut.Find("textarea[data-testid='message'], [data-testid='message'] textarea").Input("Conseillère depuis lundi.");
        await cut.InvokeAsync(() => cut.Find("form[aria-label='Demande d\\'accès']").Submit());

        cut.WaitForAssertion(() => ByTestId(cut, "request-pending").Shown().ShouldStartWith(
            "Votre demande d'accès à « Mission Locale Technowest » comme « Prescripteur », envoyée le 27/11/2026 à 12:00, attend la décision"));
        cut.FindAll("[data-testid='request-access']").ShouldBeEmpty();
        await using var db = Database.CreateDbContext();
        var request = await db.AllAccessRequests.SingleAsync(Cancellation);
        (request.OrganisationId, request.Role, request.Message).ShouldBe((technowest, Role.Prescripteur, "Conseillère depuis lundi."));
    }

    [Fact]
    public async Task AccessPending_WithoutAnOrganisation_SaysSoInFrench_Issue14_2()
    {
        await AuthorizeAsPendingAsync("Léa Nouvelle", "sub-lea-vide", "lea.vide@essai.fr");
        var cut = Render<AccessPending>();
        cut.WaitForAssertion(() => ByTestId(cut, "request-access"));

        await cut.InvokeAsync(() => cut.Find("form[aria-label='Demande d\\'accès']").Submit());

        cut.WaitForAssertion(() => ByTestId(cut, "request-error").Shown().ShouldBe("Choisissez l'organisation à laquelle vous demandez l'accès."));
    }

    [Fact]
    public async Task AccessPending_FollowsTheDecisionLive_AcceptedOffersToEnter_Issue14_2()
    {
        var identity = Identity();
        var technowest = await OrganisationAsync("Mission Locale Technowest");
        var request = await RequestAsync(identity, technowest);
        await AuthorizeAsPendingAsync(identity.DisplayName, identity.Subject, identity.Email!);
        var cut = Render<AccessPending>();
        cut.WaitForAssertion(() => ByTestId(cut, "request-pending"));

        var sophie = await UserAsync(TestUsers.Sophie);
        await Services.GetRequiredService<DecideAccessRequest.Handler>().HandleAsync(new DecideAccessRequest(request, Accept: true), sophie, Cancellation);

        cut.WaitForAssertion(() => ByTestId(cut, "request-accepted").Shown().ShouldBe(
            $"Votre demande d'accès à « Mission Locale Technowest » comme « Prescripteur » a été acceptée par {sophie.DisplayName} le 27/11/2026 à 12:00. Reconnectez-vous pour entrer dans le portail."));
        ByTestId(cut, "enter-portal").GetAttribute("href").ShouldBe("/connexion?returnUrl=%2F");
        // The e-mail goes out in a job (run in process here): wait for it, then look.
        await ((InlineJobScheduler)Services.GetRequiredService<Portal.Application.Abstractions.IJobScheduler>()).DrainAsync();
        Mails.Sent.ShouldContain(m => m.ToAddress == identity.Email);
    }

    [Fact]
    public async Task AccessPending_ARefusal_ShowsItsReason_AndTheFormAgain_Issue14_2()
    {
        var identity = Identity();
        var request = await RequestAsync(identity, await OrganisationAsync("Mission Locale Technowest"));
        var admin = await UserAsync(TestUsers.Admin);
        await Services.GetRequiredService<DecideAccessRequest.Handler>().HandleAsync(new DecideAccessRequest(request, false, "Adresse personnelle : utilisez celle de la structure."), admin, Cancellation);
        await AuthorizeAsPendingAsync(identity.DisplayName, identity.Subject, identity.Email!);

        var cut = Render<AccessPending>();

        cut.WaitForAssertion(() => ByTestId(cut, "request-refused").Shown().ShouldEndWith("Motif : Adresse personnelle : utilisez celle de la structure."));
        cut.Find("h2").Shown().ShouldBe("Faire une nouvelle demande");
    }

    [Fact]
    public async Task AccessRequestsPage_TheReferent_SeesTheirOrganisationsRequestsOnly_AndAccepts_Issue14_2()
    {
        var mine = Identity("Marc Technowest");
        var other = Identity("Nadia Pau");
        var toTechnowest = await RequestAsync(mine, await OrganisationAsync("Mission Locale Technowest"), message: "Nouveau conseiller.");
        await RequestAsync(other, await OrganisationAsync("France Travail Pau Université"));
        await AuthorizeAsAsync(TestUsers.Sophie);

        var cut = Render<AccessRequestsPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='requests'] tbody tr").Count.ShouldBe(1));
        var row = cut.Find("[data-testid='requests'] tbody tr");
        row.Shown().ShouldContain("Marc Technowest");
        row.Shown().ShouldContain("Nouveau conseiller.");
        cut.Markup.ShouldNotContain("Nadia Pau");
        cut.Markup.ShouldContain("En attente (1)");

        await cut.InvokeAsync(() => ByTestId(cut, "accept").Click());

        cut.WaitForAssertion(() => ByTestId(cut, "requests-empty").Shown().ShouldBe("Aucune demande d'accès en attente."));
        await using var db = Database.CreateDbContext();
        var user = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Subject == mine.Subject, Cancellation);
        user.Memberships.Single().Role.ShouldBe(Role.Prescripteur);
        (await db.AllAccessRequests.SingleAsync(r => r.Id == toTechnowest, Cancellation)).Status.ShouldBe(AccessRequestStatus.Accepted);
    }

    [Fact]
    public async Task AccessRequestsPage_ARefusalWithoutReason_IsToldInFrench_WithOneItIsRecorded_Issue14_2()
    {
        var identity = Identity("Marc Refus");
        var request = await RequestAsync(identity, await OrganisationAsync("Mission Locale Technowest"));
        await AuthorizeAsAsync(TestUsers.Admin);
        var cut = Render<AccessRequestsPage>();
        cut.WaitForAssertion(() => ByTestId(cut, "refuse"));

        await cut.InvokeAsync(() => ByTestId(cut, "refuse").Click());
        await cut.InvokeAsync(() => ByTestId(cut, "confirm-refuse").Click());
        _snackbars.WaitForAssertion(() => _snackbars.Markup.ShouldContain("Indiquez le motif du refus : la personne le lira."));

        cut.Find("[data-testid='refusal-reason'] textarea, textarea[data-testid='refusal-reason']").Change("Pas de contrat avec la structure.");
        await cut.InvokeAsync(() => ByTestId(cut, "confirm-refuse").Click());

        cut.WaitForAssertion(() => ByTestId(cut, "requests-empty"));
        await using var db = Database.CreateDbContext();
        (await db.AllAccessRequests.SingleAsync(r => r.Id == request, Cancellation)).RefusalReason.ShouldBe("Pas de contrat avec la structure.");
    }

    [Fact]
    public async Task AccessRequestsLink_CountsThePendingRequestsLive_Issue14_2()
    {
        await AuthorizeAsAsync(TestUsers.Sophie);
        var cut = Render<AccessRequestsLink>();
        cut.FindAll("[data-testid='access-requests-count']").ShouldBeEmpty();

        await RequestAsync(Identity(), await OrganisationAsync("Mission Locale Technowest"));
        await RequestAsync(Identity(), await OrganisationAsync("France Travail Pau Université"));

        cut.WaitForAssertion(() => ByTestId(cut, "access-requests-count").Shown().ShouldBe("1"));
    }

    [Fact]
    public async Task UsersPage_TheReferent_ListsTheirOrganisationsMembersOnly_WithoutDeactivation_Issue14_2()
    {
        await AuthorizeAsAsync(TestUsers.Sophie);

        var cut = Render<UsersPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='user-name']").Count.ShouldBeGreaterThan(0));
        var names = cut.FindAll("[data-testid='user-name']").Select(e => e.Shown()).ToList();
        names.ShouldContain("Camille Durand");
        names.ShouldContain("Sophie Bernard");
        names.ShouldNotContain("Lucas Martin");
        names.ShouldNotContain("Karim Haddad");
        cut.FindAll("[data-testid='toggle-active']").ShouldBeEmpty();
        cut.FindAll("[data-testid='organisation-filter']").ShouldBeEmpty();
        // Her own line has no role menu nor end button.
        var own = cut.FindAll("[data-testid='users'] tbody tr").Single(r => r.Shown().Contains("Sophie Bernard", StringComparison.Ordinal));
        own.QuerySelectorAll("[data-testid='end-membership']").ShouldBeEmpty();
    }

    [Fact]
    public async Task UsersPage_TheReferent_ChangesAMembersRole_AndEndsAMembership_Issue14_2()
    {
        await AuthorizeAsAsync(TestUsers.Sophie);
        var cut = Render<UsersPage>();
        await cut.InvokeAsync(() => cut.FindComponents<MudTextField<string>>()[0].Instance.ValueChanged.InvokeAsync("camille"));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='user-name']").Select(e => e.Shown()).ShouldBe(["Camille Durand"]));

        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<Role>>().Instance.SelectOption(Role.ReferentFormation));

        await using (var db = Database.CreateDbContext())
        {
            var camille = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Email.StartsWith("camille.durand"), Cancellation);
            camille.Memberships.Single().Role.ShouldBe(Role.ReferentFormation);
        }
        cut.WaitForAssertion(() => ByTestId(cut, "end-membership"));
        await cut.InvokeAsync(() => ByTestId(cut, "end-membership").Click());
        await cut.InvokeAsync(() => ByTestId(cut, "confirm-end").Click());

        // No membership left in her organisation: Camille leaves Sophie's list.
        cut.WaitForAssertion(() => ByTestId(cut, "users-empty"));
        await using var check = Database.CreateDbContext();
        (await check.Memberships.CountAsync(m => m.UserId == check.Users.Single(u => u.Email.StartsWith("camille.durand")).Id, Cancellation)).ShouldBe(0);
    }

    [Fact]
    public async Task UsersPage_TheAdministrator_DeactivatesAnAccount_AfterConfirming_Issue14_2()
    {
        await AuthorizeAsAsync(TestUsers.Admin);
        var cut = Render<UsersPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='user-name']").Count.ShouldBeGreaterThan(0));
        await cut.InvokeAsync(() => cut.FindComponents<MudTextField<string>>()[0].Instance.ValueChanged.InvokeAsync("ines.petit"));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='user-name']").Select(e => e.Shown()).ShouldBe(["Inès Petit"]));

        await cut.InvokeAsync(() => ByTestId(cut, "toggle-active").Click());
        await cut.InvokeAsync(() => ByTestId(cut, "confirm-active").Click());

        cut.WaitForAssertion(() => ByTestId(cut, "user-inactive").Shown().ShouldBe("Désactivé"));
        await using var db = Database.CreateDbContext();
        (await db.Users.SingleAsync(u => u.Email.StartsWith("ines.petit"), Cancellation)).IsActive.ShouldBeFalse();
        (await db.AllAuditEntries.SingleAsync(Cancellation)).Action.ShouldBe(AuditAction.UserDeactivated);
    }

    [Fact]
    public async Task AuditPage_TheAdministrator_ReadsTheLines_AndFiltersByAction_Issue14_2()
    {
        var admin = await AuthorizeAsAsync(TestUsers.Admin);
        await using (var db = Database.CreateDbContext())
        {
            db.AllAuditEntries.Add(new AuditEntry(Clock.GetUtcNow(), admin.UserId, admin.DisplayName, AuditAction.UserDeactivated, Guid.NewGuid(), "Inès Petit (ines.petit@essai.fr)", "Actif", "Désactivé"));
            db.AllAuditEntries.Add(new AuditEntry(Clock.GetUtcNow().AddMinutes(1), admin.UserId, admin.DisplayName, AuditAction.AccessAccepted, Guid.NewGuid(), "Léa Nouvelle → Mission Locale Technowest", "Demande en attente", "Rattaché·e comme « Prescripteur »"));
            await db.SaveChangesAsync(Cancellation);
        }

        var cut = Render<AuditPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='audit'] tbody tr").Count.ShouldBe(2));
        cut.Find("[data-testid='audit'] tbody tr").Shown().ShouldContain("Demande d'accès acceptée");
        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<AuditAction?>>().Instance.SelectOption(AuditAction.UserDeactivated));
        await cut.InvokeAsync(() => cut.Find("form[aria-label=\"Filtrer le journal d'administration\"]").Submit());

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='audit'] tbody tr").Single().Shown().ShouldContain("Inès Petit (ines.petit@essai.fr)"));
    }

    [Fact]
    public async Task AuditPage_TheExportButtons_ExportWhatTheFiltersShow_Issue14_2()
    {
        await AuthorizeAsAsync(TestUsers.Admin);
        var cut = Render<AuditPage>();
        cut.WaitForAssertion(() => ByTestId(cut, "export-csv").GetAttribute("href").ShouldBe("/api/exports/journal-administration.csv"));

        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<AuditAction?>>().Instance.SelectOption(AuditAction.UserDeactivated));
        cut.Find("input[data-testid='audit-actor']").Change("Alex");
        await cut.InvokeAsync(() => cut.Find("form[aria-label=\"Filtrer le journal d'administration\"]").Submit());

        cut.WaitForAssertion(() => ByTestId(cut, "export-csv").GetAttribute("href")
            .ShouldBe("/api/exports/journal-administration.csv?action=UserDeactivated&auteur=Alex"));
        ByTestId(cut, "export-xlsx").GetAttribute("href").ShouldBe("/api/exports/journal-administration.xlsx?action=UserDeactivated&auteur=Alex");
        ByTestId(cut, "export-csv").GetAttribute("aria-label").ShouldBe("Exporter « Journal d'administration » en CSV");
    }

    [Fact]
    public async Task AuditPage_ARefernt_IsRefused_WithoutAnyLine_Issue14_2()
    {
        await AuthorizeAsAsync(TestUsers.Sophie);

        var cut = Render<AuditPage>();

        cut.WaitForAssertion(() => ByTestId(cut, "audit-error").Shown().ShouldBe("Le journal d'administration est réservé à l'administrateur."));
    }
}
