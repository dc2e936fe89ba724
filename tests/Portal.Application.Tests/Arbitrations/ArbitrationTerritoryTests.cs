using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Abstractions;
using Portal.Application.Features.Arbitrations;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Arbitrations;
using Portal.Domain.Common;
using Portal.Testing;

namespace Portal.Application.Tests.Arbitrations;

/// <summary>
/// S10: when an MFE's territory changes, undecided cases follow their territory; decided ones keep their arbitrator. Its own
/// demo database (it moves an MFE). Demo: the MFE du Médoc covers Gironde (33), the MFE du Béarn Pyrénées-Atlantiques (64);
/// the Landes have no MFE.
/// </summary>
public sealed class ArbitrationTerritoryTests(DemoDatabase fixture) : IClassFixture<DemoDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(DemoDatabase.SeededAt);

    private async Task<Arbitration> StoredAsync(Guid id)
    {
        await using var db = fixture.Database.CreateDbContext();
        return await db.AllArbitrations.AsNoTracking().SingleAsync(a => a.Id == id, Ct);
    }

    /// <summary>The territory of that code; the Landes (40), absent from the demo, are created on first use.</summary>
    private async Task<Guid> TerritoryAsync(string code)
    {
        await using var db = fixture.Database.CreateDbContext();
        var id = await db.Territories.Where(t => t.Code == code).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(Ct);
        if (id is { } found) return found;
        var landes = new Portal.Domain.Organisations.Territory(code, "Landes", Portal.Domain.Organisations.TerritoryKind.Departement, code);
        db.Territories.Add(landes);
        await db.SaveChangesAsync(Ct);
        return landes.Id;
    }

    [Fact]
    public async Task MovingTheMfeDuMedocToTheLandes_SendsItsUndecidedGirondeCasesToTheRegion_DecidedOnesStay_OthersUntouched_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var julie = await fixture.UserAsync(TestUsers.Julie);
        var thomas = await fixture.UserAsync(TestUsers.Thomas);
        var aurelie = await fixture.UserAsync(TestUsers.Aurelie);
        var pierre = await fixture.UserAsync(TestUsers.Pierre);
        var claire = await fixture.UserAsync(TestUsers.Claire);
        using var live = new RecordingNotifier<ArbitrationChanged>();
        var open = new OpenArbitration.Handler(fixture.Database, _clock, live.Notifier);
        // An undecided case in Gironde (Médoc), a decided one in Gironde (Médoc), an undecided one in Béarn (Béarn), an
        // undecided one in the Landes (Région).
        var girondeOpen = await open.HandleAsync(new OpenArbitration(await ArbitrationTests.RefusedPrescriptionAsync(fixture, julie, "33281"), "Désaccord."), camille, Ct);
        var girondeDecided = await open.HandleAsync(new OpenArbitration(await ArbitrationTests.RefusedPrescriptionAsync(fixture, julie, "33063"), "Désaccord."), camille, Ct);
        await new DecideArbitration.Handler(fixture.Database, _clock, live.Notifier).HandleAsync(new DecideArbitration(girondeDecided, ArbitrationOutcome.Upheld, "Maintenu."), aurelie, Ct);
        var bearnOpen = await open.HandleAsync(new OpenArbitration(await ArbitrationTests.RefusedPrescriptionAsync(fixture, thomas, "64445"), "Désaccord."), thomas, Ct);
        var landesOpen = await open.HandleAsync(new OpenArbitration(await ArbitrationTests.RefusedPrescriptionAsync(fixture, julie, "40192"), "Désaccord."), camille, Ct);
        int medocOpenBefore;
        await using (var db = fixture.Database.CreateDbContext())
            medocOpenBefore = await db.AllArbitrations.CountAsync(a => a.AssignedOrganisationId == aurelie.OrganisationId && a.Status == ArbitrationStatus.Open, Ct);
        live.Published.Clear();

        var result = await new ChangeMfeTerritory.Handler(fixture.Database, live.Notifier).HandleAsync(
            new ChangeMfeTerritory(aurelie.OrganisationId, await TerritoryAsync("40")), claire, Ct);

        // Gironde has no MFE any more: its undecided cases (ours and the demo's) go to the Région; the Landes' case goes to the
        // MFE that now covers them.
        result.MovedCases.ShouldBe(medocOpenBefore + 1);
        (await StoredAsync(girondeOpen)).AssignedOrganisationId.ShouldBe(claire.OrganisationId);
        (await StoredAsync(landesOpen)).AssignedOrganisationId.ShouldBe(aurelie.OrganisationId);
        (await StoredAsync(girondeDecided)).AssignedOrganisationId.ShouldBe(aurelie.OrganisationId);
        (await StoredAsync(bearnOpen)).AssignedOrganisationId.ShouldBe(pierre.OrganisationId);
        await using (var db = fixture.Database.CreateDbContext())
        {
            (await db.Organisations.Where(o => o.Id == aurelie.OrganisationId).Select(o => o.TerritoryId).SingleAsync(Ct)).ShouldBe(await TerritoryAsync("40"));
            (await db.ArbitrationsToDecide(aurelie).Where(a => a.Status == ArbitrationStatus.Open).Select(a => a.Id).ToListAsync(Ct)).ShouldBe([landesOpen]);
        }
        // The former arbitrator's list loses the Gironde case, the Région's gains it.
        var moved = live.Published.Where(e => e.ArbitrationId == girondeOpen).Select(e => e.AssignedOrganisationId).ToList();
        moved.ShouldBe([aurelie.OrganisationId, claire.OrganisationId]);
    }

    [Fact]
    public async Task OnlyTheAdminOrTheRegion_MovesAnMfe_AndOnlyAnMfeToAnExistingTerritory_S10()
    {
        var camille = await fixture.UserAsync(TestUsers.Camille);
        var pierre = await fixture.UserAsync(TestUsers.Pierre);
        var claire = await fixture.UserAsync(TestUsers.Claire);
        var handler = new ChangeMfeTerritory.Handler(fixture.Database, new RecordingNotifier<ArbitrationChanged>().Notifier);
        var gironde = await TerritoryAsync("33");

        await Should.ThrowAsync<AccessDeniedException>(() => handler.HandleAsync(new ChangeMfeTerritory(pierre.OrganisationId, gironde), camille, Ct));
        await Should.ThrowAsync<AccessDeniedException>(() => handler.HandleAsync(new ChangeMfeTerritory(pierre.OrganisationId, gironde), pierre, Ct));
        (await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(new ChangeMfeTerritory(camille.OrganisationId, gironde), claire, Ct)))
            .Message.ShouldBe("« Mission Locale Technowest » n'est pas une MFE.");
        (await Should.ThrowAsync<DomainException>(() => handler.HandleAsync(new ChangeMfeTerritory(pierre.OrganisationId, Guid.CreateVersion7()), claire, Ct)))
            .Message.ShouldBe("Ce territoire n'existe pas.");
        await using var db = fixture.Database.CreateDbContext();
        (await db.Organisations.Where(o => o.Id == pierre.OrganisationId).Select(o => o.TerritoryId).SingleAsync(Ct)).ShouldBe(await TerritoryAsync("64"));
    }
}
