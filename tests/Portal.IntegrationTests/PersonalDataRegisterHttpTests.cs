using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Infrastructure.Seed;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #14 (4): the register of the requests on personal data over HTTP through the real login: its page and its
/// export, for the administrator and the référent of the candidate's organisation; another organisation's référent
/// reads only its own lines; a counsellor, an OF or the Région gets neither. Issue #14 (2): the audit log's export is
/// the administrator's only.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PersonalDataRegisterHttpTests(PortalFactory factory)
{
    // A day no other test of the shared host writes on, so that the filtered export holds this test's line only (and is
    // written at once: above the factory's threshold of 3 rows it would be queued).
    private const string Day = "2020-03-15";
    private const string Detail = "Copie des données (JSON) – essai HTTP du registre";

    /// <summary>Sophie (référent, Mission Locale Technowest) gave one of her organisation's candidates their copy on <see cref="Day"/>.</summary>
    private Task LineAsync() => factory.QueryAsync(async db =>
    {
        var email = DemoData.Email("sophie.bernard");
        var sophie = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Email == email);
        var organisationId = sophie.Memberships.First().OrganisationId;
        if (await db.AllPersonalDataLog.AnyAsync(l => l.Detail == Detail)) return 0;
        var candidate = await db.AllCandidates.Where(c => c.OrganisationId == organisationId).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        db.AllPersonalDataLog.Add(new PersonalDataLogEntry
        {
            CandidateId = candidate, OrganisationId = organisationId, UserId = sophie.Id, Action = PersonalDataAction.Export,
            At = new DateTimeOffset(2020, 3, 15, 10, 0, 0, TimeSpan.Zero), Detail = Detail,
        });
        return await db.SaveChangesAsync();
    });

    private static string ExportUrl(string format = "csv") => $"/api/exports/registre-donnees-personnelles.{format}?du={Day}&au={Day}";

    [Theory]
    [InlineData("sophie.bernard")]
    [InlineData("admin")]
    public async Task TheReferentOfTheCandidatesOrganisation_AndTheAdministrator_GetThePageAndTheLineInTheExport_Issue14_4(string who)
    {
        await LineAsync();
        var client = await factory.LoggedInAsync(who);

        (await client.GetAsync("/donnees-personnelles/registre")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var export = await client.GetAsync(ExportUrl());

        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        var csv = await export.Content.ReadAsStringAsync();
        csv.ShouldContain("Date;Action;Par;E-mail;Candidat;Organisation du candidat;Détail");
        csv.ShouldContain($"15/03/2020 11:00;Copie;Sophie Bernard;{DemoData.Email("sophie.bernard")};");
        csv.ShouldContain(Detail);
        (await client.GetAsync(ExportUrl("xlsx"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnotherOrganisationsReferent_GetsOnlyItsOwnLines_NotThisOne_Issue14_4()
    {
        await LineAsync();
        var karim = await factory.LoggedInAsync("karim.haddad"); // référent, France Travail Pau Université

        var export = await karim.GetAsync(ExportUrl());

        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        var csv = await export.Content.ReadAsStringAsync();
        csv.ShouldContain("Date;Action;Par;E-mail;Candidat;Organisation du candidat;Détail");
        csv.ShouldNotContain(Detail);
        csv.ShouldNotContain("Mission Locale Technowest");
    }

    [Theory]
    [InlineData("camille.durand")]
    [InlineData("julie.moreau")]
    [InlineData("claire.lefevre")]
    public async Task ACounsellorWhoIsNotDelegate_AnOf_OrTheRegion_GetsNeitherThePageNorTheExport_Issue14_4(string who)
    {
        await LineAsync();
        var client = await factory.LoggedInAsync(who);

        var page = await client.GetAsync("/donnees-personnelles/registre");
        var export = await client.GetAsync(ExportUrl());

        page.StatusCode.ShouldBe(HttpStatusCode.Found);
        page.Headers.Location!.AbsolutePath.ShouldBe("/acces-refuse");
        export.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var body = await export.Content.ReadAsStringAsync();
        body.ShouldContain("réservé à l'administrateur, au référent et au correspondant délégué");
        body.ShouldNotContain(Detail);
    }

    [Fact]
    public async Task ABadFilter_IsA4xxInFrench_Issue14_4()
    {
        var admin = await factory.LoggedInAsync("admin");

        var badDay = await admin.GetAsync("/api/exports/registre-donnees-personnelles.csv?du=demain");
        var badAction = await admin.GetAsync("/api/exports/registre-donnees-personnelles.csv?action=Vente");

        ((int)badDay.StatusCode).ShouldBeInRange(400, 499);
        (await badDay.Content.ReadAsStringAsync()).ShouldContain("Date invalide");
        ((int)badAction.StatusCode).ShouldBeInRange(400, 499);
        (await badAction.Content.ReadAsStringAsync()).ShouldContain("Valeur inconnue pour le paramètre « action »");
    }

    [Fact]
    public async Task TheAuditLogExport_IsTheAdministratorsOnly_Issue14_2()
    {
        var admin = await factory.LoggedInAsync("admin");
        var sophie = await factory.LoggedInAsync("sophie.bernard");

        // A filter that matches nothing: the file is written at once.
        var export = await admin.GetAsync($"/api/exports/journal-administration.csv?du={Day}&au={Day}");
        var refused = await sophie.GetAsync($"/api/exports/journal-administration.csv?du={Day}&au={Day}");

        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await export.Content.ReadAsStringAsync()).ShouldContain("Le;Par;Action;Cible;Avant;Après");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Le journal d'administration est réservé à l'administrateur.");
    }
}
