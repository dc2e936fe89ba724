using Microsoft.EntityFrameworkCore;
using Portal.Application.Abstractions;
using Portal.Application.Features.PersonalData;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Testing;

namespace Portal.Application.Tests.PersonalData;

/// <summary>
/// Issue #14 (4): the RQTH reads journal. The administrator reads every line; a référent formation the lines about
/// its own organisation's candidates (whoever read them) and no other; a counsellor, an OF or the Région none.
/// </summary>
public sealed class SensitiveReadsJournalTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // In November Paris is UTC+1: 23:30 UTC on the 26th is 00:30 on the 27th in Paris; 22:30 UTC is still the 26th.
    private static readonly DateTimeOffset OnThe27thInParis = new(2026, 11, 26, 23, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset OnThe26thInParis = new(2026, 11, 26, 22, 30, 0, TimeSpan.Zero);

    private TestDatabase _db = null!;
    private Guid _technowestCandidate, _pauCandidate;
    private string _technowestCandidateName = "", _pauCandidateName = "";

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);
        var lucas = await TestUsers.ForAsync(_db, TestUsers.Lucas);
        var julie = await TestUsers.ForAsync(_db, TestUsers.Julie);
        await using var db = _db.CreateDbContext();
        (await db.AllSensitiveReads.CountAsync(Ct)).ShouldBe(0, "the demo data holds no read: each line below is this test's");
        var technowest = await db.AllCandidates.Where(c => c.OrganisationId == camille.OrganisationId).OrderBy(c => c.LastName).FirstAsync(Ct);
        var pau = await db.AllCandidates.Where(c => c.OrganisationId == lucas.OrganisationId).OrderBy(c => c.LastName).FirstAsync(Ct);
        (_technowestCandidate, _technowestCandidateName) = (technowest.Id, $"{technowest.FirstName} {technowest.LastName}");
        (_pauCandidate, _pauCandidateName) = (pau.Id, $"{pau.FirstName} {pau.LastName}");
        // Julie (an OF) read the RQTH of Technowest's candidate; Lucas that of his own organisation's candidate.
        db.AllSensitiveReads.Add(new SensitiveReadLog { UserId = julie.UserId, CandidateId = _technowestCandidate, Field = "RQTH", At = OnThe27thInParis });
        db.AllSensitiveReads.Add(new SensitiveReadLog { UserId = lucas.UserId, CandidateId = _pauCandidate, Field = "RQTH", At = OnThe26thInParis });
        await db.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private Task<GetSensitiveReads.Result> ReadAsync(CurrentUser user, GetSensitiveReads? query = null) =>
        new GetSensitiveReads.Handler(_db).HandleAsync(query ?? new GetSensitiveReads(), user, Ct);

    [Fact]
    public async Task TheAdministrator_ReadsEveryLine_TheLatestFirst()
    {
        var journal = await ReadAsync(await TestUsers.ForAsync(_db, TestUsers.Admin));

        journal.Total.ShouldBe(2);
        journal.Rows.Select(r => r.Candidate).ShouldBe([_technowestCandidateName, _pauCandidateName]);
        journal.Rows[0].Reader.ShouldBe("Julie Moreau");
        journal.Rows[0].Field.ShouldBe("RQTH");
    }

    [Fact]
    public async Task AReferent_ReadsTheLinesAboutItsOwnCandidates_WhoeverReadThem_AndNoOther()
    {
        var journal = await ReadAsync(await TestUsers.ForAsync(_db, TestUsers.Sophie));

        journal.Total.ShouldBe(1);
        journal.Rows.Single().CandidateId.ShouldBe(_technowestCandidate);
        journal.Rows.ShouldNotContain(r => r.CandidateId == _pauCandidate);
    }

    /// <summary>A2: the correspondant délégué (a counsellor named so) sees the whole organisation like a référent, this journal included.</summary>
    [Fact]
    public async Task TheDelegate_ReadsTheLinesAboutItsOrganisationsCandidates_AndNoOther_A2()
    {
        var camille = await TestUsers.ForAsync(_db, TestUsers.Camille);

        var journal = await ReadAsync(camille with { IsDelegate = true });

        journal.Total.ShouldBe(1);
        journal.Rows.Single().CandidateId.ShouldBe(_technowestCandidate);
        journal.Rows.ShouldNotContain(r => r.CandidateId == _pauCandidate);
    }

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Julie)]
    [InlineData(TestUsers.Claire)]
    public async Task ACounsellor_AnOf_OrTheRegion_IsRefused(string who)
    {
        var refused = await Should.ThrowAsync<AccessDeniedException>(async () => await ReadAsync(await TestUsers.ForAsync(_db, who)));

        refused.Message.ShouldBe("Le journal des consultations RQTH est réservé à l'administrateur, au référent et au correspondant délégué de l'organisation.");
    }

    [Fact]
    public async Task TheDays_AreParisDays()
    {
        var admin = await TestUsers.ForAsync(_db, TestUsers.Admin);
        var the27th = new DateOnly(2026, 11, 27);

        var onThe27th = await ReadAsync(admin, new GetSensitiveReads(From: the27th, To: the27th));
        var onThe26th = await ReadAsync(admin, new GetSensitiveReads(From: the27th.AddDays(-1), To: the27th.AddDays(-1)));

        onThe27th.Rows.Select(r => r.CandidateId).ShouldBe([_technowestCandidate]);
        onThe26th.Rows.Select(r => r.CandidateId).ShouldBe([_pauCandidate]);
    }

    [Fact]
    public async Task TheSearch_FindsAReaderOrACandidate()
    {
        var admin = await TestUsers.ForAsync(_db, TestUsers.Admin);

        (await ReadAsync(admin, new GetSensitiveReads(Search: "julie"))).Rows.Select(r => r.CandidateId).ShouldBe([_technowestCandidate]);
        (await ReadAsync(admin, new GetSensitiveReads(Search: _pauCandidateName))).Rows.Select(r => r.CandidateId).ShouldBe([_pauCandidate]);
        (await ReadAsync(admin, new GetSensitiveReads(Search: "100%"))).Total.ShouldBe(0);
    }

    [Fact]
    public async Task AnEndBeforeTheStart_IsRefusedInFrench()
    {
        var admin = await TestUsers.ForAsync(_db, TestUsers.Admin);

        var refused = await Should.ThrowAsync<DomainException>(() => ReadAsync(admin, new GetSensitiveReads(From: new DateOnly(2026, 11, 27), To: new DateOnly(2026, 11, 26))));
        refused.Message.ShouldBe("La date de fin doit suivre la date de début.");
    }
}
