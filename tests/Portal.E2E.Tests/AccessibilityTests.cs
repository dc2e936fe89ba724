using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Application.Abstractions;
using Portal.Application.Features.Arbitrations;
using Portal.Application.Features.Candidates;
using Portal.Application.Security;
using Portal.Domain.Offer;
using Portal.Domain.Organisations;
using Portal.Domain.Prescriptions;

namespace Portal.E2E.Tests;

/// <summary>
/// Issue #15 (6): an axe-core scan (WCAG 2 A and AA rules) of every screen of the portal, as each demo role reaches it
/// through the real login. A serious or critical violation fails the test with the screen, the rule and the element's
/// selector; moderate and minor ones are reported as diagnostics. The screens are the portal's <c>@page</c> routes, with
/// demo data ids; the Hangfire dashboard (/hangfire, admin) is Hangfire's own page, not the portal's markup, and is left out.
/// </summary>
[Collection(PortalServerCollection.Name)]
public sealed class AccessibilityTests(PortalServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A screen to scan: its address, the HTTP status its page answers (null: not checked here), and whether it opens a circuit.</summary>
    private sealed record Screen(string Route, int? Status = 200, bool Interactive = true);

    [Fact]
    public async Task Axe_PublicScreens_HaveNoSeriousViolations()
    {
        var fiche = await ValidatedFicheAsync("Préparation au titre de cariste d'entrepôt (CACES R489)");
        var followUp = await FollowUpLinkAsync();
        await ScanAsync(null,
            new("/", Interactive: false),
            new("/catalogue", Interactive: false),
            new("/catalogue?q=formation&commune=33063&rayon=30", Interactive: false),
            new($"/catalogue/{fiche}", Interactive: false),
            new(followUp, Interactive: false),
            new("/mon-suivi/lien-inconnu", 404, Interactive: false),
            new("/introuvable", null, Interactive: false),
            new("/connexion-echouee", Interactive: false),
            new("/acces-refuse", null, Interactive: false),
            new("/acces-en-attente"),
            new("/erreur", null, Interactive: false),
            new("/dev-oidc/login", Interactive: false));
    }

    [Fact]
    public async Task Axe_PrescriberScreens_HaveNoSeriousViolations()
    {
        var nadia = await PrescriptionOfAsync("Nadia", "Chevalier");
        var convoked = await ConvokedPrescriptionAsync("camille.durand");
        await ScanAsync("camille.durand",
            new("/"),
            new("/offre"),
            new($"/candidats/{nadia.CandidateId}"),
            new($"/prescriptions/{nadia.Id}"),
            new($"/prescriptions/{convoked}/convocation"),
            new($"/prescriptions/{convoked}/imprimer", Interactive: false),
            new("/catalogue", Interactive: false),
            new("/exports"),
            new("/preferences"));
        await ScanAsync("sophie.bernard",
            new("/"),
            new("/organisation"),
            new("/journal-rqth"),
            new("/donnees-personnelles/registre"),
            new("/acces/demandes"),
            new("/admin/utilisateurs"),
            // Issue #14 (4): the référent's candidate page (copy and erasure buttons) and the readable copy of the data.
            new($"/candidats/{nadia.CandidateId}"),
            new($"/api/candidats/{nadia.CandidateId}/donnees.html", Interactive: false));
    }

    [Fact]
    public async Task Axe_OfScreens_HaveNoSeriousViolations()
    {
        var caces = await FicheAsync("Préparation au titre de cariste d'entrepôt (CACES R489)");
        var returned = await FicheAsync("Remise à niveau vers les métiers de la logistique");
        var session = await OpenSessionOfAsync(caces);
        var nadia = await PrescriptionOfAsync("Nadia", "Chevalier");
        await ScanAsync("julie.moreau",
            new("/"),
            new("/fiches"),
            new("/fiches/nouvelle"),
            new($"/fiches/{caces}"),
            new($"/fiches/{returned}"),
            new($"/sessions/{session}"),
            new($"/sessions/{session}/decisions"),
            new($"/sessions/{session}/fiches/imprimer", Interactive: false),
            new($"/prescriptions/{nadia.Id}"),
            new("/commande-regionale/consultation"),
            new("/offre/import-lheo"),
            new("/exports"),
            new("/preferences"));
    }

    [Fact]
    public async Task Axe_RegionScreens_HaveNoSeriousViolations()
    {
        var submitted = await FicheAsync("Agent de restauration collective");
        await ScanAsync("claire.lefevre",
            new("/"),
            new("/fiches-a-valider"),
            new($"/fiches-a-valider/{submitted}"),
            new("/commande-regionale"),
            new("/arbitrages"),
            new("/region/coherence-eos"),
            new("/observatoire/acces"),
            new("/observatoire/qualite"),
            new("/observatoire/evaluation"));
        // The MFE arbitrates the demo's cases (every demo département has its MFE, so the Région has none to open), and
        // the CARIF-OREF has its own home screen (its observatories are the Région's above).
        var arbitration = await OpenArbitrationInGirondeAsync();
        await ScanAsync("aurelie.fournier",
            new("/"),
            new("/arbitrages"),
            new($"/arbitrages/{arbitration}"));
        await ScanAsync("nicolas.roux",
            new Screen("/"));
    }

    [Fact]
    public async Task Axe_AdminScreens_HaveNoSeriousViolations()
    {
        Guid capEmploi;
        await using (var db = await server.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync(Ct))
            capEmploi = await db.Organisations.Where(o => o.Kind == OrganisationKind.CapEmploi).OrderBy(o => o.Name).Select(o => o.Id).FirstAsync(Ct);
        await ScanAsync("admin",
            new("/"),
            new("/offre/import-lheo"),
            new("/exports"),
            new("/preferences"),
            new("/journal-rqth"),
            new("/donnees-personnelles/registre"),
            new("/admin/organisations"),
            new("/admin/organisations/nouvelle"),
            new($"/admin/organisations/{capEmploi}"),
            new("/admin/referentiels"),
            new("/acces/demandes"),
            new("/admin/utilisateurs"),
            new("/admin/journal"));
    }

    /// <summary>Visits the screens in one browser context of the account, runs axe on each, and fails listing every serious or critical violation.</summary>
    private async Task ScanAsync(string? account, params Screen[] screens)
    {
        await using var context = await server.ContextForAsync(account);
        var page = await context.NewPageAsync();
        var failures = new List<string>();
        var who = account ?? "anonyme";
        foreach (var screen in screens)
        {
            try
            {
                var response = await page.GotoAsync(screen.Route);
                response.ShouldNotBeNull();
                if (screen.Status is { } status) response.Status.ShouldBe(status);
                await Assertions.Expect(page.Locator("main")).ToBeVisibleAsync();
                if (screen.Interactive) await page.WaitForInteractiveAsync();
                // The screen's data: its loading bars (MudProgressLinear, indeterminate) are gone.
                await Assertions.Expect(page.Locator(".mud-progress-linear.mud-progress-indeterminate")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException or ShouldAssertException)
            {
                throw new InvalidOperationException($"{who} {screen.Route} did not open as expected: {e.Message.Split('\n')[0]}", e);
            }

            var violations = await Axe.RunAsync(page, Axe.WcagTags);
            failures.Add(Axe.Describe($"{who} {screen.Route}", violations.Where(v => v.IsSeriousOrCritical())));
            var minor = Axe.Describe($"{who} {screen.Route}", violations.Where(v => !v.IsSeriousOrCritical()));
            if (minor.Length > 0)
            {
                TestContext.Current.SendDiagnosticMessage("axe (moderate or minor): " + minor);
                TestContext.Current.TestOutputHelper?.WriteLine("axe (moderate or minor): " + minor);
            }
        }
        var text = string.Concat(failures);
        text.ShouldBeEmpty($"axe found serious or critical violations:{Environment.NewLine}{text}");
    }

    private async Task<IAppDbContext> DbAsync() => await server.Services.GetRequiredService<IAppDbContextFactory>().CreateAsync(Ct);

    private async Task<Guid> FicheAsync(string title)
    {
        await using var db = await DbAsync();
        return await db.FicheActions.Where(f => f.Title == title).Select(f => f.Id).FirstAsync(Ct);
    }

    private async Task<Guid> ValidatedFicheAsync(string title)
    {
        await using var db = await DbAsync();
        return await db.FicheActions.Where(f => f.Title == title && f.Status == FicheStatus.Validated).Select(f => f.Id).FirstAsync(Ct);
    }

    private async Task<Guid> OpenSessionOfAsync(Guid fiche)
    {
        await using var db = await DbAsync();
        return await db.Sessions.Where(s => s.FicheActionId == fiche && s.Status == SessionStatus.Open).Select(s => s.Id).FirstAsync(Ct);
    }

    private async Task<(Guid Id, Guid CandidateId)> PrescriptionOfAsync(string firstName, string lastName)
    {
        await using var db = await DbAsync();
        var p = await db.AllPrescriptions
            .Where(p => db.AllCandidates.Any(c => c.Id == p.CandidateId && c.FirstName == firstName && c.LastName == lastName))
            .Select(p => new { p.Id, p.CandidateId }).FirstAsync(Ct);
        return (p.Id, p.CandidateId);
    }

    /// <summary>A prescription of the account's organisation convoked to an information session (it has a convocation letter).</summary>
    private async Task<Guid> ConvokedPrescriptionAsync(string account)
    {
        var user = await CurrentUserAsync(account);
        await using var db = await DbAsync();
        return await db.AllPrescriptions
            .Where(p => p.PrescriberOrganisationId == user.OrganisationId && p.ConvokedInfoSessionId != null && p.Status == PrescriptionStatus.Convoked)
            .Select(p => p.Id).FirstAsync(Ct);
    }

    /// <summary>Arranged through the handler: a personal follow-up link of one of Camille's candidates (A7).</summary>
    private async Task<string> FollowUpLinkAsync()
    {
        var camille = await CurrentUserAsync("camille.durand");
        var nadia = await PrescriptionOfAsync("Nadia", "Chevalier");
        using var scope = server.Services.CreateScope();
        var link = await scope.ServiceProvider.GetRequiredService<CreateCandidateLink.Handler>().HandleAsync(new(nadia.CandidateId), camille, Ct);
        return link.Path;
    }

    /// <summary>
    /// An open arbitration case of the MFE de Gironde: arranged through the handler, the prescriber contests a refusal on a
    /// Gironde session (S10), one that is not Nadia Chevalier's (ArbitrationJourneyTests contests hers).
    /// </summary>
    private async Task<Guid> OpenArbitrationInGirondeAsync()
    {
        var mfe = await CurrentUserAsync("aurelie.fournier");
        Guid prescriptionId, prescriberId;
        await using (var db = await DbAsync())
        {
            var existing = await db.AllArbitrations.Where(a => a.AssignedOrganisationId == mfe.OrganisationId && a.Status == Portal.Domain.Arbitrations.ArbitrationStatus.Open)
                .Select(a => (Guid?)a.Id).FirstOrDefaultAsync(Ct);
            if (existing is { } id) return id;
            var julie = await CurrentUserAsync("julie.moreau");
            var refused = await db.AllPrescriptions
                .Where(p => p.TrainingBodyId == julie.OrganisationId && p.Status == PrescriptionStatus.NotSelected)
                .Where(p => !db.AllCandidates.Any(c => c.Id == p.CandidateId && c.FirstName == "Nadia" && c.LastName == "Chevalier"))
                .Where(p => !db.AllArbitrations.Any(a => a.PrescriptionId == p.Id))
                .Select(p => new { p.Id, p.PrescriberUserId }).FirstAsync(Ct);
            (prescriptionId, prescriberId) = (refused.Id, refused.PrescriberUserId);
        }
        var prescriber = await CurrentUserAsync(prescriberId);
        using var scope = server.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<OpenArbitration.Handler>()
            .HandleAsync(new(prescriptionId, "Le candidat a validé son projet par une immersion depuis l'information collective."), prescriber, Ct);
    }

    private async Task<CurrentUser> CurrentUserAsync(string account)
    {
        await using var db = await DbAsync();
        var id = await db.Users.Where(u => u.Email.StartsWith(account + "@")).Select(u => u.Id).SingleAsync(Ct);
        return await CurrentUserAsync(id);
    }

    private async Task<CurrentUser> CurrentUserAsync(Guid userId)
    {
        await using var db = await DbAsync();
        var user = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Id == userId, Ct);
        var org = await db.Organisations.SingleAsync(o => o.Id == user.Memberships.First().OrganisationId, Ct);
        return new(user.Id, user.DisplayName, org.Id, org.Name, org.Kind, org.TerritoryId, user.Memberships.Select(m => m.Role).ToHashSet());
    }
}
