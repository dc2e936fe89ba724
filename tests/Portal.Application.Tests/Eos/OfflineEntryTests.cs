using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Features.Eos;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Eos;
using Portal.Testing;

namespace Portal.Application.Tests.Eos;

/// <summary>
/// O1: an entry prescribed outside the portal (paper, another tool) is recorded by the session's OF or the Région, with its
/// source. Demo data: the running session SE-2026-0412 is Atlantique Compétences' (Antoine Roche); Jérôme Castaing
/// (born 02/09/1988) entered it through a portal prescription. The clock: 25 November 2026, 10:00 in Paris.
/// </summary>
public sealed class OfflineEntryTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    internal const string Antoine = "antoine.roche";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private RecordOfflineEntry.Handler Record => new(fixture.Database, _clock);

    internal static RecordOfflineEntry Entry(string first, string last, DateOnly birth, string session = "SE-2026-0412", string? ft = null,
        string detail = "Mission Locale des Graves, fiche papier du 3 novembre", DateOnly? entered = null) =>
        new(session, first, last, birth, ft, OfflinePrescriptionSource.Paper, detail, entered ?? new DateOnly(2026, 11, 17));

    private async Task<Guid> SessionIdAsync(string reference)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.Sessions.Where(s => s.ExternalReference == reference).Select(s => s.Id).SingleAsync(Ct);
    }

    private async Task<int> CountAsync()
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.AllOfflineEntries.CountAsync(Ct);
    }

    [Fact]
    public async Task TheSessionsOf_Records_AndSeesItsEntries_AnotherOfGetsNotFound_APrescriberIsRefused_O1()
    {
        var antoine = await fixture.UserAsync(Antoine);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var session = await SessionIdAsync("SE-2026-0412");

        var id = await Record.HandleAsync(Entry("Lina", "Arrieta", new DateOnly(2000, 7, 14), ft: "ft3000001"), antoine, Ct);
        var before = await CountAsync();
        await Should.ThrowAsync<NotFoundException>(() => Record.HandleAsync(Entry("Paul", "Autre", new DateOnly(1990, 1, 1)), julie, Ct));
        await Should.ThrowAsync<NotFoundException>(() => Record.HandleAsync(Entry("Paul", "Autre", new DateOnly(1990, 1, 1), session: session.ToString()), julie, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => Record.HandleAsync(Entry("Paul", "Autre", new DateOnly(1990, 1, 1)), camille, Ct));
        (await CountAsync()).ShouldBe(before);

        var listed = await new GetOfflineEntries.Handler(fixture.Database).HandleAsync(new GetOfflineEntries(session), antoine, Ct);
        var lina = listed.Single(r => r.Id == id);
        (lina.FirstName, lina.LastName, lina.FranceTravailId, lina.Source, lina.EntryDate).ShouldBe(
            ("Lina", "Arrieta", "FT3000001", OfflinePrescriptionSource.Paper, new DateOnly(2026, 11, 17)));
        listed.ShouldNotContain(r => r.LastName == "Autre");
        await Should.ThrowAsync<NotFoundException>(() => new GetOfflineEntries.Handler(fixture.Database).HandleAsync(new GetOfflineEntries(session), julie, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => new GetOfflineEntries.Handler(fixture.Database).HandleAsync(new GetOfflineEntries(session), camille, Ct));
    }

    [Fact]
    public async Task TheRegion_RecordsOnAnySession_ByItsPortalId_O1()
    {
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var antoine = await fixture.UserAsync(Antoine);
        var session = await SessionIdAsync("SE-2026-0412");

        var id = await Record.HandleAsync(Entry("Yanis", "Bordes", new DateOnly(1997, 3, 30), session: session.ToString(),
            detail: "France Travail Bordeaux Bastide, outil interne") with { Source = OfflinePrescriptionSource.OtherTool }, claire, Ct);

        var seenByTheOf = await new GetOfflineEntries.Handler(fixture.Database).HandleAsync(new GetOfflineEntries(session), antoine, Ct);
        var row = seenByTheOf.Single(r => r.Id == id);
        (row.Source, row.SourceDetail).ShouldBe((OfflinePrescriptionSource.OtherTool, "France Travail Bordeaux Bastide, outil interne"));
    }

    [Fact]
    public async Task TheSameTraineeTwice_OrOnePrescribedInThePortal_IsRefusedInFrench_O1()
    {
        var antoine = await fixture.UserAsync(Antoine);
        await Record.HandleAsync(Entry("Maël", "Dupuy", new DateOnly(2002, 10, 1)), antoine, Ct);

        // The same person, written with other accents and case: already recorded.
        var twice = await Should.ThrowAsync<DomainException>(() => Record.HandleAsync(Entry("MAEL", "dupuy", new DateOnly(2002, 10, 1)), antoine, Ct));
        (twice.Message, twice.Rule).ShouldBe((RecordOfflineEntry.AlreadyRecorded, "O1"));
        // Jérôme Castaing entered through a portal prescription: his entry is recorded on it, not beside it.
        var portal = await Should.ThrowAsync<DomainException>(() => Record.HandleAsync(Entry("Jérôme", "Castaing", new DateOnly(1988, 9, 2)), antoine, Ct));
        portal.Message.ShouldBe(RecordOfflineEntry.PrescribedInThePortal);
    }

    [Fact]
    public async Task BadInput_SaysEveryProblemInFrench_AndSavesNothing_O1()
    {
        var antoine = await fixture.UserAsync(Antoine);
        var before = await CountAsync();

        var ex = await Should.ThrowAsync<DomainException>(() => Record.HandleAsync(
            new RecordOfflineEntry("SE-2026-0412", " ", "", new DateOnly(2020, 1, 1), null, (OfflinePrescriptionSource)9, "", new DateOnly(2026, 11, 26)), antoine, Ct));

        ex.Message.ShouldBe("Le prénom du stagiaire est obligatoire. Le nom du stagiaire est obligatoire. La date de naissance n'est pas plausible. "
            + "Indiquez d'où vient la prescription (papier ou autre outil). Indiquez qui a prescrit et comment (organisme prescripteur, outil). "
            + "La date d'entrée ne peut pas être dans le futur.");
        (await CountAsync()).ShouldBe(before);
        // Today in Paris (25 November) is not the future.
        await Record.HandleAsync(Entry("Inès", "Duhau", new DateOnly(2001, 1, 1), entered: new DateOnly(2026, 11, 25)), antoine, Ct);
        (await CountAsync()).ShouldBe(before + 1);
    }
}

/// <summary>
/// O1, S11: the EOS check reads the offline entries (its own demo database: every offline entry counts in an import).
/// EosFiles.Realistic declares five entries; before, one matched (Bastien Moulin) and Océane LARRIEU (line 5, 17/11/2026 on
/// SE-2026-0412) had no prescription in the portal.
/// </summary>
public sealed class OfflineEntryEosTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AnEntryRecordedWithItsPaperPrescription_IsAMatch_AndOneEosDoesNotKnowIsMissingFromEos_O1_S11()
    {
        var antoine = await fixture.UserAsync(OfflineEntryTests.Antoine);
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var record = new RecordOfflineEntry.Handler(fixture.Database, _clock);
        await record.HandleAsync(OfflineEntryTests.Entry("Océane", "Larrieu", new DateOnly(1999, 2, 5)), antoine, Ct);
        await record.HandleAsync(OfflineEntryTests.Entry("Hugo", "Sansnom", new DateOnly(1994, 6, 6), entered: new DateOnly(2026, 11, 18)), antoine, Ct);

        var result = await new ImportEos.Handler(fixture.Database, _clock).HandleAsync(new ImportEos("eos.csv", EosFiles.Windows1252(EosFiles.Realistic)), claire, Ct);

        // Bastien Moulin and now Océane (same day, found by name and birth date) match.
        result.Matched.ShouldBe(2);
        var read = await new GetEosCoherence.Handler(fixture.Database).HandleAsync(new GetEosCoherence(result.ImportId), claire, Ct);
        read.Anomalies.Select(a => (a.Kind, a.Line, a.CandidateName, a.PortalEntryDate)).ShouldBe(
        [
            (EosAnomalyKind.NoPrescription, 6, "Théo LACOSTE", (DateOnly?)null),
            (EosAnomalyKind.EntryNotRecorded, 4, "Maëlle ETCHEVERRY", null),
            (EosAnomalyKind.MissingFromEos, (int?)null, "Jérôme Castaing", new DateOnly(2026, 11, 21)),
            (EosAnomalyKind.MissingFromEos, null, "Hugo Sansnom", new DateOnly(2026, 11, 18)),
            (EosAnomalyKind.DateMismatch, 3, "Anaïs BERANGER", new DateOnly(2026, 11, 19)),
        ]);
    }
}
