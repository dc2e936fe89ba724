using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Application.Abstractions;
using Portal.Testing;
using Portal.Web.Features.PersonalData;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Features.PersonalData;

/// <summary>Issue #14 (4): the register of the requests on personal data, for the administrator and a référent formation.</summary>
public sealed class PersonalDataRegisterPageTests : PortalTestContext
{
    // 10:15 UTC on 27 November 2026 is 11:15 in Paris (UTC+1).
    private static readonly DateTimeOffset CopiedAt = new(2026, 11, 27, 10, 15, 0, TimeSpan.Zero);

    private async Task<(Guid Technowest, Guid Pau)> TwoLinesAsync()
    {
        var sophie = await UserAsync(TestUsers.Sophie);
        var karim = await UserAsync(TestUsers.Karim);
        await using var db = Database.CreateDbContext();
        var technowest = db.AllCandidates.Where(c => c.OrganisationId == sophie.OrganisationId).OrderBy(c => c.LastName).Select(c => c.Id).First();
        var pau = db.AllCandidates.Where(c => c.OrganisationId == karim.OrganisationId).OrderBy(c => c.LastName).Select(c => c.Id).First();
        db.AllPersonalDataLog.Add(new PersonalDataLogEntry
        {
            CandidateId = technowest, OrganisationId = sophie.OrganisationId, UserId = sophie.UserId, Action = PersonalDataAction.Export,
            At = CopiedAt, Detail = "Copie des données (page lisible)",
        });
        db.AllPersonalDataLog.Add(new PersonalDataLogEntry
        {
            CandidateId = pau, OrganisationId = karim.OrganisationId, UserId = karim.UserId, Action = PersonalDataAction.Erasure,
            At = CopiedAt.AddHours(-1), Detail = "1 prescription(s) en cours retirée(s)",
        });
        await db.SaveChangesAsync(Cancellation);
        return (technowest, pau);
    }

    private static IReadOnlyList<string> Column<T>(IRenderedComponent<T> cut, string testId) where T : IComponent =>
        [.. cut.FindAll($"[data-testid='{testId}']").Select(e => e.TextContent.Trim())];

    [Fact]
    public async Task TheAdministrator_SeesEveryLine_WhenWhatWhoWhichOrganisationAndTheDetail_Issue14_4()
    {
        await TwoLinesAsync();
        await AuthorizeAsAsync(TestUsers.Admin);

        var cut = Render<PersonalDataRegisterPage>();
        cut.WaitForAssertion(() => Column(cut, "register-row-action").Count.ShouldBe(2));

        cut.Find("h1").TextContent.ShouldBe("Registre des demandes sur les données personnelles");
        Column(cut, "register-row-action").ShouldBe(["Copie", "Effacement"]);
        Column(cut, "register-row-organisation").ShouldBe(["Mission Locale Technowest", "France Travail Pau Université"]);
        var first = cut.FindAll("[data-testid='register-table'] tbody tr")[0].TextContent;
        first.ShouldContain("27/11/2026 11:15");
        first.ShouldContain("Sophie Bernard");
        first.ShouldContain("Copie des données (page lisible)");
        cut.Find("[data-testid='export-csv']").GetAttribute("href").ShouldBe("/api/exports/registre-donnees-personnelles.csv");
    }

    [Fact]
    public async Task AReferent_SeesItsOrganisationsLinesOnly_Issue14_4()
    {
        await TwoLinesAsync();
        await AuthorizeAsAsync(TestUsers.Sophie);

        var cut = Render<PersonalDataRegisterPage>();
        cut.WaitForAssertion(() => Column(cut, "register-row-action").Count.ShouldBe(1));

        Column(cut, "register-row-organisation").ShouldBe(["Mission Locale Technowest"]);
        Column(cut, "register-row-organisation").ShouldNotContain("France Travail Pau Université");
        Column(cut, "register-row-action").ShouldNotContain("Effacement");
    }

    [Fact]
    public async Task TheActionFilter_ReloadsFromSql_AndTheExportFollowsIt_AndNoLineIsSaidInFrench_Issue14_4()
    {
        await TwoLinesAsync();
        await AuthorizeAsAsync(TestUsers.Sophie);
        var cut = Render<PersonalDataRegisterPage>();
        cut.WaitForAssertion(() => Column(cut, "register-row-action").Count.ShouldBe(1));

        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<PersonalDataAction?>>().Instance.SelectOption(PersonalDataAction.Erasure));
        await cut.InvokeAsync(() => cut.Find("form[aria-label='Filtrer le registre']").Submit());

        cut.WaitForAssertion(() => cut.Find("[data-testid='register-empty']").TextContent.ShouldBe("Aucune demande sur les données personnelles pour ces critères."));
        Column(cut, "register-row-action").ShouldBeEmpty();
        cut.Find("[data-testid='export-xlsx']").GetAttribute("href").ShouldBe("/api/exports/registre-donnees-personnelles.xlsx?action=Erasure");
    }

    [Fact]
    public async Task TheDelegate_NamedInTheDatabase_SeesTheirOrganisationsLinesOnly_A2()
    {
        await TwoLinesAsync();
        var camille = await AuthorizeAsAsync(TestUsers.Camille, asDelegate: true);
        await using (var db = Database.CreateDbContext())
        {
            var technowest = db.Organisations.Single(o => o.Id == camille.OrganisationId);
            db.OrganisationHistory.Add(technowest.NameDelegate(camille.UserId, null, camille.DisplayName, CopiedAt, camille.UserId, "Essai"));
            await db.SaveChangesAsync(Cancellation);
        }

        var cut = Render<PersonalDataRegisterPage>();
        cut.WaitForAssertion(() => Column(cut, "register-row-action").Count.ShouldBe(1));

        Column(cut, "register-row-organisation").ShouldBe(["Mission Locale Technowest"]);
        Column(cut, "register-row-organisation").ShouldNotContain("France Travail Pau Université");
    }

    [Fact]
    public async Task ACounsellorWhoIsNotDelegate_IsToldInFrench_WithoutAnyLine_Issue14_4()
    {
        await TwoLinesAsync();
        await AuthorizeAsAsync(TestUsers.Camille);

        var cut = Render<PersonalDataRegisterPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid='register-error']").TextContent.Trim().ShouldBe(
            "Le registre des demandes sur les données personnelles est réservé à l'administrateur, au référent et au correspondant délégué de l'organisation."));
        Column(cut, "register-row-action").ShouldBeEmpty();
    }
}
