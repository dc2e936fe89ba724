using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Export;
using Portal.Application.Features.PersonalData;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Testing;

namespace Portal.Application.Tests.PersonalData;

/// <summary>
/// Issue #14 (4): the register of the requests on personal data (copies and erasures). The administrator reads every
/// line; a prescriber organisation's référent and its correspondant délégué (A2) the lines about their organisation's
/// candidates and no other; a counsellor, an OF or the Région none. Filtered by action and by days in Paris.
/// </summary>
public sealed class PersonalDataRegisterTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // In November Paris is UTC+1: 23:30 UTC on the 26th is 00:30 on the 27th in Paris; 22:30 UTC is still the 26th.
    private static readonly DateTimeOffset OnThe27thInParis = new(2026, 11, 26, 23, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset OnThe26thInParis = new(2026, 11, 26, 22, 30, 0, TimeSpan.Zero);

    private TestDatabase _db = null!;
    private Guid _technowestCandidate, _pauCandidate, _technowest, _pau;
    private string _technowestCandidateName = "", _pauCandidateName = "";

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var sophie = await TestUsers.ForAsync(_db, TestUsers.Sophie);
        var karim = await TestUsers.ForAsync(_db, TestUsers.Karim);
        (_technowest, _pau) = (sophie.OrganisationId, karim.OrganisationId);
        await using var db = _db.CreateDbContext();
        (await db.AllPersonalDataLog.CountAsync(Ct)).ShouldBe(0, "the demo data holds no line: each line below is this test's");
        var technowest = await db.AllCandidates.Where(c => c.OrganisationId == _technowest).OrderBy(c => c.LastName).FirstAsync(Ct);
        var pau = await db.AllCandidates.Where(c => c.OrganisationId == _pau).OrderBy(c => c.LastName).FirstAsync(Ct);
        (_technowestCandidate, _technowestCandidateName) = (technowest.Id, $"{technowest.FirstName} {technowest.LastName}");
        (_pauCandidate, _pauCandidateName) = (pau.Id, $"{pau.FirstName} {pau.LastName}");
        // Sophie gave Technowest's candidate their copy (00:30 on the 27th in Paris); Karim erased Pau's candidate's data (the 26th).
        db.AllPersonalDataLog.Add(new PersonalDataLogEntry
        {
            CandidateId = _technowestCandidate, OrganisationId = _technowest, UserId = sophie.UserId, Action = PersonalDataAction.Export,
            At = OnThe27thInParis, Detail = "Copie des données (JSON)",
        });
        db.AllPersonalDataLog.Add(new PersonalDataLogEntry
        {
            CandidateId = _pauCandidate, OrganisationId = _pau, UserId = karim.UserId, Action = PersonalDataAction.Erasure,
            At = OnThe26thInParis, Detail = "Aucune prescription en cours",
        });
        await db.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private Task<GetPersonalDataRegister.Result> ReadAsync(CurrentUser user, GetPersonalDataRegister? query = null) =>
        new GetPersonalDataRegister.Handler(_db).HandleAsync(query ?? new GetPersonalDataRegister(), user, Ct);

    private async Task NameDelegateAsync(Guid organisationId, Guid? userId)
    {
        await using var db = _db.CreateDbContext();
        var organisation = await db.Organisations.SingleAsync(o => o.Id == organisationId, Ct);
        db.OrganisationHistory.Add(organisation.NameDelegate(userId, null, null, OnThe27thInParis, userId ?? Guid.Empty, "Essai"));
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task TheAdministrator_ReadsEveryLine_TheLatestFirst_WithWhoTheOrganisationAndTheDetail_Issue14_4()
    {
        var register = await ReadAsync(await TestUsers.ForAsync(_db, TestUsers.Admin));

        register.Total.ShouldBe(2);
        register.Rows.Select(r => (r.At, r.Action, r.By, r.ByEmail, r.Candidate, r.Organisation, r.Detail)).ShouldBe([
            (OnThe27thInParis, PersonalDataAction.Export, "Sophie Bernard", "sophie.bernard@demo.portail-formation.fr", _technowestCandidateName,
                "Mission Locale Technowest", "Copie des données (JSON)"),
            (OnThe26thInParis, PersonalDataAction.Erasure, "Karim Haddad", "karim.haddad@demo.portail-formation.fr", _pauCandidateName,
                "France Travail Pau Université", "Aucune prescription en cours"),
        ]);
    }

    [Fact]
    public async Task AReferent_ReadsItsOwnOrganisationsLines_AndNotAnothers_Issue14_4()
    {
        var register = await ReadAsync(await TestUsers.ForAsync(_db, TestUsers.Sophie));

        register.Total.ShouldBe(1);
        register.Rows.Single().CandidateId.ShouldBe(_technowestCandidate);
        register.Rows.ShouldNotContain(r => r.CandidateId == _pauCandidate);
        register.Rows.ShouldNotContain(r => r.Organisation == "France Travail Pau Université");
    }

    [Fact]
    public async Task TheDelegate_ReadsTheirOrganisationsLines_WhileNamed_A2()
    {
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille) with { IsDelegate = true };
        // The claim alone opens nothing: the organisation names its délégué in the database.
        (await Should.ThrowAsync<AccessDeniedException>(() => ReadAsync(camille))).Message.ShouldBe(GetPersonalDataRegister.Refusal);

        await NameDelegateAsync(_technowest, camille.UserId);
        var register = await ReadAsync(camille);

        register.Rows.Select(r => r.CandidateId).ShouldBe([_technowestCandidate]);
        register.Rows.ShouldNotContain(r => r.CandidateId == _pauCandidate);
    }

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Julie)]
    [InlineData(TestUsers.Claire)]
    [InlineData(TestUsers.Aurelie)]
    public async Task ACounsellor_AnOf_TheRegion_OrAnMfe_IsRefused_Issue14_4(string who)
    {
        var refused = await Should.ThrowAsync<AccessDeniedException>(async () => await ReadAsync(await TestUsers.ForAsync(_db, who)));

        refused.Message.ShouldBe("Le registre des demandes sur les données personnelles est réservé à l'administrateur, au référent et au correspondant délégué de l'organisation.");
    }

    [Fact]
    public async Task TheFilters_ActionAndDaysInParis_AndTheirFrenchRefusals_Issue14_4()
    {
        var admin = await TestUsers.ForAsync(_db, TestUsers.Admin);

        (await ReadAsync(admin, new GetPersonalDataRegister(Action: PersonalDataAction.Erasure))).Rows.Select(r => r.CandidateId).ShouldBe([_pauCandidate]);
        (await ReadAsync(admin, new GetPersonalDataRegister(From: new DateOnly(2026, 11, 27)))).Rows.Select(r => r.CandidateId).ShouldBe([_technowestCandidate]);
        (await ReadAsync(admin, new GetPersonalDataRegister(To: new DateOnly(2026, 11, 26)))).Rows.Select(r => r.CandidateId).ShouldBe([_pauCandidate]);
        (await ReadAsync(admin, new GetPersonalDataRegister(PersonalDataAction.Export, To: new DateOnly(2026, 11, 26)))).Total.ShouldBe(0);
        (await Should.ThrowAsync<DomainException>(() => ReadAsync(admin, new GetPersonalDataRegister(From: new DateOnly(2026, 11, 27), To: new DateOnly(2026, 11, 26)))))
            .Message.ShouldBe("La date de fin doit suivre la date de début.");
    }

    [Fact]
    public async Task ThePages_AreReadInSql_OneAfterTheOther_Issue14_4()
    {
        var admin = await TestUsers.ForAsync(_db, TestUsers.Admin);

        var first = await ReadAsync(admin, new GetPersonalDataRegister(Take: 1));
        var second = await ReadAsync(admin, new GetPersonalDataRegister(Skip: 1, Take: 1));

        (first.Total, second.Total).ShouldBe((2, 2));
        first.Rows.Select(r => r.CandidateId).ShouldBe([_technowestCandidate]);
        second.Rows.Select(r => r.CandidateId).ShouldBe([_pauCandidate]);
    }

    [Fact]
    public async Task TheExport_WritesWhatTheFiltersShow_ForItsReadersOnly_Issue14_4()
    {
        var export = new PersonalDataRegisterExport(new GetPersonalDataRegister.Handler(_db), TimeProvider.System);
        var sophie = await TestUsers.ForAsync(_db, TestUsers.Sophie);

        var source = await export.OpenAsync(ExportParameters.Empty, sophie, Ct);
        var rows = await source.ReadPage(0, 10, Ct);

        source.Columns.ShouldBe(["Date", "Action", "Par", "E-mail", "Candidat", "Organisation du candidat", "Détail"]);
        rows.ShouldBe([(IReadOnlyList<string>)["27/11/2026 00:30", "Copie", "Sophie Bernard", "sophie.bernard@demo.portail-formation.fr",
            _technowestCandidateName, "Mission Locale Technowest", "Copie des données (JSON)"]]);
        var erasures = await export.OpenAsync(new ExportParameters([KeyValuePair.Create("action", "Erasure")]), await TestUsers.ForAsync(_db, TestUsers.Admin), Ct);
        erasures.Total.ShouldBe(1);
        await Should.ThrowAsync<AccessDeniedException>(async () => await export.OpenAsync(ExportParameters.Empty, await TestUsers.ForAsync(_db, TestUsers.Camille), Ct));
        (await Should.ThrowAsync<DomainException>(() => export.OpenAsync(new ExportParameters([KeyValuePair.Create("du", "hier")]), sophie, Ct)))
            .Message.ShouldBe("Date invalide : « hier » (attendu AAAA-MM-JJ).");
    }
}
